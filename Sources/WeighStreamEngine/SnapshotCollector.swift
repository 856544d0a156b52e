import Synchronization
import WeighStreamKafka

/// The snapshots the shards encode at one barrier, gathered for the poll thread, and the tombstones of the
/// snapshot parts they supersede (sent only once the new snapshots are stored).
final class SnapshotCollector: Sendable {
    private let gathered = Mutex<(snapshots: [KafkaProducerMessage], retired: [KafkaProducerMessage])>(([], []))

    func add(_ snapshots: [KafkaProducerMessage], retiring retired: [KafkaProducerMessage]) {
        guard !snapshots.isEmpty || !retired.isEmpty else { return }
        gathered.withLock {
            $0.snapshots.append(contentsOf: snapshots)
            $0.retired.append(contentsOf: retired)
        }
    }

    func take() -> (snapshots: [KafkaProducerMessage], retired: [KafkaProducerMessage]) {
        gathered.withLock { all in defer { all = ([], []) }; return all }
    }
}
