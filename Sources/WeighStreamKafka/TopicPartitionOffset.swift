/// A position in a partition. As in Kafka, a committed offset names the *next* record to read.
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    public var topicPartition: TopicPartition
    public var offset: Int64
    /// The commit's metadata string, stored by the group coordinator with the offset (at most
    /// `offset.metadata.max.bytes`, 4096 by default); nil: none.
    public var metadata: String?

    public init(_ topicPartition: TopicPartition, offset: Int64, metadata: String? = nil) {
        self.topicPartition = topicPartition
        self.offset = offset
        self.metadata = metadata
    }

    public init(_ topic: String, _ partition: Int32, offset: Int64, metadata: String? = nil) {
        self.init(TopicPartition(topic, partition), offset: offset, metadata: metadata)
    }

    public var topic: String { topicPartition.topic }
    public var partition: Int32 { topicPartition.partition }

    public var description: String { "\(topicPartition)@\(offset)" }
}
