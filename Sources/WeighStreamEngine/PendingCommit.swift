import WeighStreamKafka

/// A commit point on its way (at-least-once): first every output sent before its barrier is acknowledged,
/// then its snapshots are sent, then they are acknowledged, and only then are its offsets committed.
struct PendingCommit: Sendable {
    /// Commit points are numbered in order.
    var seq: Int
    var offsets: [TopicPartitionOffset]
    /// The id of the last output sent before the barrier.
    var outputWatermark: UInt64
    /// Snapshots of the sites changed up to the barrier, waiting for those outputs.
    var snapshots: [KafkaProducerMessage]
    /// The id of the last output issued when the snapshots went out; nil before.
    var snapshotWatermark: UInt64?
    /// Tombstones of snapshot parts these snapshots supersede: sent once the point is complete.
    var retired: [KafkaProducerMessage] = []
}
