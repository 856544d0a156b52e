import Synchronization
import WeighStreamKafka

/// Outputs handed to the producer and not yet acknowledged, and the reports of failed deliveries.
///
/// A reference type of its own so that the producer's delivery handler, created before the sink that owns
/// the producer, can hold it.
final class DeliveryLedger: Sendable {
    private let unacknowledged = Mutex<[UInt64: KafkaProducerMessage]>([:])
    private let failures = Mutex<[KafkaDeliveryReport]>([])

    /// Runs on the producer's delivery thread, once per batch of reports.
    func record(_ reports: [KafkaDeliveryReport]) {
        var failed: [KafkaDeliveryReport] = []
        unacknowledged.withLock { pending in
            for report in reports {
                if report.isDelivered { pending.removeValue(forKey: report.id) } else { failed.append(report) }
            }
        }
        if !failed.isEmpty { failures.withLock { $0.append(contentsOf: failed) } }
    }

    func remember(_ messages: [KafkaProducerMessage]) {
        unacknowledged.withLock { pending in
            for message in messages { pending[message.id] = message }
        }
    }

    /// The failed reports since the last call, and the outputs they refer to.
    func takeFailures() -> (reports: [KafkaDeliveryReport], messages: [KafkaProducerMessage]) {
        let failed = failures.withLock { list in
            defer { list.removeAll() }
            return list
        }
        let messages = unacknowledged.withLock { pending in failed.compactMap { pending[$0.id] } }
        return (failed, messages)
    }

    func isPending(_ id: UInt64) -> Bool { unacknowledged.withLock { $0[id] != nil } }

    var hasFailures: Bool { failures.withLock { !$0.isEmpty } }

    func forget() {
        unacknowledged.withLock { $0.removeAll() }
        failures.withLock { $0.removeAll() }
    }

    /// Stops waiting for these outputs (failed ones that will not be sent again).
    func forget(_ ids: [UInt64]) {
        unacknowledged.withLock { pending in for id in ids { pending.removeValue(forKey: id) } }
    }


    /// Whether every output with an id up to `watermark` was acknowledged (failed ones stay pending until a
    /// re-send is acknowledged).
    func acknowledged(upTo watermark: UInt64) -> Bool {
        unacknowledged.withLock { pending in !pending.keys.contains { $0 <= watermark } }
    }
}
