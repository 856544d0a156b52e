/// Called by `KafkaConsumer.poll` on the polling thread, *synchronously*, while a rebalance is in progress.
///
/// Unlike clients that report a revoke after the fact, WeighStream calls `partitionsRevoked` before
/// librdkafka releases the partitions: the listener can drain its work, flush outputs and commit offsets
/// with the consumer (`commit(sync:)` works here) and only then does the group move on. Likewise
/// `partitionsAssigned` runs before any record of the new partitions is fetched, so state can be restored
/// first. With cooperative-sticky assignment both lists hold only the partitions that move.
///
/// The consumer holds its listener weakly: whoever owns the consumer keeps the listener alive.
public protocol KafkaRebalanceListener: AnyObject, Sendable {
    /// `partitions` will be consumed as soon as this returns.
    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer)
    /// `partitions` are released when this returns. `lost` is true when the group already gave them to
    /// another member (session timeout): committing is then pointless and will fail.
    func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool, consumer: KafkaConsumer)
}
