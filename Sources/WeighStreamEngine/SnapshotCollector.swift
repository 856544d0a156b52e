import Synchronization
import WeighStreamKafka

/// The snapshots the shards encode at one barrier, gathered for the poll thread.
final class SnapshotCollector: Sendable {
    private let messages = Mutex<[KafkaProducerMessage]>([])

    func add(_ snapshots: [KafkaProducerMessage]) {
        guard !snapshots.isEmpty else { return }
        messages.withLock { $0.append(contentsOf: snapshots) }
    }

    func take() -> [KafkaProducerMessage] { messages.withLock { list in defer { list.removeAll() }; return list } }
}
