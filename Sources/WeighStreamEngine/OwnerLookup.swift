import Logging
import WeighStreamKafka

/// Reads which instance holds input partitions from the group's committed offsets (their metadata is a
/// `SiteOwner`). Its own consumer with the group's id never subscribes, so it never joins the group: it
/// only fetches committed offsets. Created on the first lookup; closed with it.
final class OwnerLookup {
    private let consumer: KafkaConsumer
    private let topic: String

    init(configuration: EngineConfiguration, logger: Logger) throws(KafkaError) {
        var options = configuration.client
        options.clientID += "-owners"
        consumer = try KafkaConsumer(
            configuration: KafkaConsumerConfiguration(client: options, groupID: configuration.groupID), logger: logger)
        topic = configuration.topics.weighEvents
    }

    deinit {
        consumer.close()
    }

    /// The owner of each partition, as committed; partitions without WeighStream metadata are left out.
    func owners(of partitions: [Int32], timeoutMs: Int = 3_000) throws(KafkaError) -> [Int32: SiteOwner] {
        guard !partitions.isEmpty else { return [:] }
        let committed = try consumer.committed(partitions.map { TopicPartition(topic, $0) }, timeoutMs: timeoutMs)
        var result: [Int32: SiteOwner] = [:]
        for c in committed {
            if let owner = SiteOwner(metadata: c.metadata) { result[c.partition] = owner }
        }
        return result
    }
}
