import Dispatch
import WeighStreamKafka

/// A commit point on its way (at-least-once): first every output sent before its barrier is acknowledged,
/// then its snapshots are sent, then they are acknowledged, and only then are its offsets committed.
struct PendingCommit: Sendable {
    /// Commit points are numbered in order.
    var seq: Int
    var offsets: [TopicPartitionOffset]
    /// Left by each shard once it has processed every record dispatched before the point and encoded its
    /// changed sites. The poll thread does not wait for it (it goes on dispatching); nil once passed.
    var barrier: DispatchGroup?
    /// Wall-clock milliseconds when the barrier was queued (liveness).
    var barrierQueuedMs: Int64 = 0
    /// Where the shards put their snapshots at the barrier; taken into `snapshots` once it is passed.
    var collector: SnapshotCollector?
    /// An output id at or after the last output sent before the barrier (read once it is passed).
    var outputWatermark: UInt64 = 0
    /// Snapshots of the sites changed up to the barrier, waiting for those outputs.
    var snapshots: [KafkaProducerMessage] = []
    /// The id of the last output issued when the snapshots went out; nil before.
    var snapshotWatermark: UInt64?
    /// Tombstones of snapshot parts these snapshots supersede: sent once the point is complete.
    var retired: [KafkaProducerMessage] = []
}
