import WeighStreamKafka

/// Offsets of a commit point, waiting for the broker to acknowledge every output sent before it.
struct PendingCommit: Sendable {
    var offsets: [TopicPartitionOffset]
    /// The id of the last output sent before the barrier.
    var watermark: UInt64
}
