/// The coordinator's answer to one `KafkaConsumer.commitAsync`: the offsets sent, and the error when the
/// commit (or one of its partitions) was refused. A refused commit stored nothing the caller can rely on.
public struct KafkaCommitResult: Sendable, Hashable {
    public var offsets: [TopicPartitionOffset]
    public var error: KafkaError?

    public init(offsets: [TopicPartitionOffset], error: KafkaError?) {
        self.offsets = offsets
        self.error = error
    }
}
