import Synchronization
import WeighStreamKafka

/// The ids of outputs handed to the producer and not yet acknowledged (`PendingIDs`, which also hands the ids
/// out), and the reports of failed deliveries.
///
/// Ids only: a failed delivery's report carries its record back (copied from librdkafka's own copy), so the
/// ledger need not keep every output until it is acknowledged. Keeping them made each output's buffers die on
/// the delivery thread instead of the shard that allocated them, and those frees contended for the shard's
/// allocator arena (perf on a weigh-only run: the ledger's copy 6 % of the shard's thread, `malloc` 19 %,
/// half of it waiting on the arena lock).
///
/// A reference type of its own so that the producer's delivery handler, created before the sink that owns
/// the producer, can hold it.
final class DeliveryLedger: Sendable {
    private let unacknowledged = Mutex(PendingIDs())
    private let failures = Mutex<[KafkaDeliveryReport]>([])

    /// Runs on the producer's delivery thread, once per batch of reports.
    func record(_ reports: [KafkaDeliveryReport]) {
        var failed: [KafkaDeliveryReport] = []
        unacknowledged.withLock { pending in
            for report in reports {
                if report.isDelivered { pending.settle(report.id) } else { failed.append(report) }
            }
        }
        if !failed.isEmpty { failures.withLock { $0.append(contentsOf: failed) } }
    }

    /// Hands out `count` new output ids and waits for their acknowledgement.
    func issue(_ count: Int) -> Range<UInt64> {
        unacknowledged.withLock { $0.issue(count) }
    }

    /// The last id handed out: every output sent before a barrier has an id up to this.
    var lastIssued: UInt64 { unacknowledged.withLock { $0.next - 1 } }

    /// The failed reports since the last call, and the failed outputs still waited for (an output forgotten
    /// meanwhile, with an aborted transaction or an abandoned run, is not handed out).
    func takeFailures() -> (reports: [KafkaDeliveryReport], pending: [KafkaDeliveryReport]) {
        let failed = failures.withLock { list in
            defer { list.removeAll() }
            return list
        }
        let pending = unacknowledged.withLock { pending in failed.filter { pending.contains($0.id) } }
        return (failed, pending)
    }

    func isPending(_ id: UInt64) -> Bool { unacknowledged.withLock { $0.contains(id) } }

    var hasFailures: Bool { failures.withLock { !$0.isEmpty } }

    func forget() {
        unacknowledged.withLock { $0.settleAll() }
        failures.withLock { $0.removeAll() }
    }

    /// Stops waiting for these outputs (failed ones that will not be sent again).
    func forget(_ ids: [UInt64]) {
        unacknowledged.withLock { pending in for id in ids { pending.settle(id) } }
    }

    /// Whether every output with an id up to `watermark` was acknowledged (failed ones stay pending until a
    /// re-send is acknowledged).
    func acknowledged(upTo watermark: UInt64) -> Bool {
        unacknowledged.withLock { $0.oldest > watermark }
    }
}
