/// A position in a partition. As in Kafka, a committed offset names the *next* record to read.
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    public var offset: Int64

    public init(_ topicPartition: TopicPartition, offset: Int64) {
        self.topicPartition = topicPartition
        self.offset = offset
    }

    public init(_ topic: String, _ partition: Int32, offset: Int64) {
        self.init(TopicPartition(topic, partition), offset: offset)
    }

    public var topic: String { topicPartition.topic }
    public var partition: Int32 { topicPartition.partition }

    public var description: String { "\(topicPartition)@\(offset)" }
}
