import Synchronization
import WeighStreamKafka

/// The snapshots the shards encode at one barrier, gathered for the poll thread, and the tombstones of the
/// snapshot parts they supersede (sent only once the new snapshots are stored).
///
/// The poll thread does not wait for the barrier, so a commit point can be fenced (the member may have left
/// the group) while shards are still encoding into it: `fence` drops what is here and everything added
/// later, and each drop is reported to `dropped` (the engine's `fenced_snapshots` count).
final class SnapshotCollector: Sendable {
    private struct Gathered {
        var snapshots: [KafkaProducerMessage] = []
        var retired: [KafkaProducerMessage] = []
        var fenced = false
    }

    private let gathered = Mutex(Gathered())
    private let dropped: @Sendable (Int) -> Void

    init(dropped: @escaping @Sendable (Int) -> Void) {
        self.dropped = dropped
    }

    func add(_ snapshots: [KafkaProducerMessage], retiring retired: [KafkaProducerMessage]) {
        guard !snapshots.isEmpty || !retired.isEmpty else { return }
        let fenced = gathered.withLock { g in
            if g.fenced { return true }
            g.snapshots.append(contentsOf: snapshots)
            g.retired.append(contentsOf: retired)
            return false
        }
        if fenced && !snapshots.isEmpty { dropped(snapshots.count) }
    }

    func take() -> (snapshots: [KafkaProducerMessage], retired: [KafkaProducerMessage]) {
        gathered.withLock { g in
            defer { g.snapshots = []; g.retired = [] }
            return (g.snapshots, g.retired)
        }
    }

    /// Drops the snapshots gathered so far and any added later (reported to `dropped`); returns how many
    /// were dropped now.
    func fence() -> Int {
        gathered.withLock { g in
            defer { g = Gathered(fenced: true) }
            return g.snapshots.count
        }
    }
}
