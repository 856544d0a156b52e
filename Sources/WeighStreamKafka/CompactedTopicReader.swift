import Foundation

/// Reads partitions of a compacted topic from their beginning to the end they had when the read started,
/// through a consumer that assigns partitions (it never joins a group) and never commits: the engine's state
/// restore and `weighstream status` both read this way. The deadline is on progress, not on the whole read:
/// a partition that moves on keeps its time, however long its history.
public struct CompactedTopicReader {
    public let consumer: KafkaConsumer
    public let topic: String

    public init(consumer: KafkaConsumer, topic: String) {
        self.consumer = consumer
        self.topic = topic
    }

    /// Hands every record of `partitions` up to their high watermarks to `body`, batch by batch; `progress`
    /// is called after every poll. Returns the partitions that made no progress for `stallTimeoutMs` before
    /// their end (empty: all read).
    public func read(
        partitions: [Int32], stallTimeoutMs: Int, body: (KafkaMessageBatch) -> Void, progress: () -> Void = {}
    ) throws(KafkaError) -> [Int32] {
        var end: [Int32: Int64] = [:]
        var start: [TopicPartitionOffset] = []
        for p in partitions {
            let (low, high) = try consumer.watermarks(TopicPartition(topic, p), timeoutMs: stallTimeoutMs)
            if high > low {
                end[p] = high
                start.append(TopicPartitionOffset(topic, p, offset: low))
            }
        }
        guard !start.isEmpty else { return [] }
        try consumer.assign(start)
        defer { try? consumer.assign([]) }
        var deadline = Date(timeIntervalSinceNow: Double(stallTimeoutMs) / 1000)
        while !end.isEmpty {
            guard Date() < deadline else { return end.keys.sorted() }
            let batch = try consumer.poll(maxMessages: 10_000, timeoutMs: 100)
            if !batch.isEmpty {
                deadline = Date(timeIntervalSinceNow: Double(stallTimeoutMs) / 1000)
                body(batch)
            }
            progress()
            // Positions, not record offsets: in exactly-once mode the last offsets are transaction markers,
            // which are never delivered but are stepped over.
            if let positions = try? consumer.position(end.keys.map { TopicPartition(topic, $0) }) {
                for position in positions where position.offset >= end[position.topicPartition.partition] ?? .max {
                    end.removeValue(forKey: position.topicPartition.partition)
                }
            }
        }
        return []
    }
}
