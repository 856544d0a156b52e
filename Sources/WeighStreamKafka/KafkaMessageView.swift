import CRdKafka

/// One record of a `KafkaMessageBatch`, read in place.
public struct KafkaMessageView: @unchecked Sendable {
    // @unchecked Sendable: `message` is immutable and kept alive by `batch`, which is Sendable.
    let batch: KafkaMessageBatch
    let message: UnsafeMutablePointer<rd_kafka_message_t>

    public var topic: String { String(cString: rd_kafka_topic_name(message.pointee.rkt)) }
    /// The topic name as librdkafka holds it: the same pointer for every record of a topic handle, so a hot
    /// loop can tell topics apart by address and compare names only when it changes. Valid while the batch lives.
    public var topicNameCString: UnsafePointer<CChar> { rd_kafka_topic_name(message.pointee.rkt) }
    public var partition: Int32 { message.pointee.partition }
    public var offset: Int64 { message.pointee.offset }
    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }

    /// The key bytes, valid while the batch lives; `nil` for a null key.
    public var key: UnsafeRawBufferPointer? { RdKafkaMessage.key(of: message) }

    /// The value bytes, valid while the batch lives; empty for a null value.
    public var value: UnsafeRawBufferPointer { RdKafkaMessage.value(of: message) ?? UnsafeRawBufferPointer(start: nil, count: 0) }

    /// The record timestamp in epoch milliseconds, or `nil` when the record has none.
    public var timestampMs: Int64? { RdKafkaMessage.timestampMs(of: message) }

    /// Every header, copied.
    public var headers: [KafkaHeader] { RdKafkaMessage.headers(of: message) }

    /// A copy that outlives the batch.
    public func copy() -> KafkaMessage {
        KafkaMessage(
            topic: topic, partition: partition, offset: offset, key: key.map { Array($0) },
            value: Array(value), timestampMs: timestampMs, headers: headers
        )
    }
}
