import Dispatch
import WeighStreamCore
import WeighStreamKafka

/// What the poll thread hands a shard through its ring.
enum ShardItem: Sendable {
    /// Records of one poll batch for this shard.
    case records(ShardChunk)
    /// Sites read back from the state topic, installed before any record of their partitions, with the
    /// part keys of those stored in parts.
    case restore([SiteState], parts: [String: [[UInt8]]], DispatchGroup)
    /// A commit point: everything queued before it is processed; then sites are snapshotted as asked and
    /// sites whose partitions are being released are dropped. The group is left when done.
    case barrier(snapshot: SnapshotRequest?, release: Set<Int32>?, done: DispatchGroup)
    /// A silent partition's event time moves forward by this many milliseconds (the idle timeout).
    case advance(PartitionKey, by: Int64)
}

/// One record of a chunk: where it sits in the batch and which input topic it came from.
struct ShardEntry: Sendable {
    var index: Int32
    var topic: InputTopic
}

/// The records of one poll batch that belong to one shard. The batch stays alive (and its records in
/// librdkafka's buffers, uncopied) until every shard has dropped its chunk.
struct ShardChunk: Sendable {
    var batch: KafkaMessageBatch
    var entries: [ShardEntry]
}
