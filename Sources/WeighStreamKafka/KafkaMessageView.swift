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
    public var key: UnsafeRawBufferPointer? {
        guard let key = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.pointee.key_len)
    }

    /// The value bytes, valid while the batch lives; empty for a null value.
    public var value: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: message.pointee.payload, count: message.pointee.len)
    }

    /// The record timestamp in epoch milliseconds, or `nil` when the record has none.
    public var timestampMs: Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
    }

    /// Every header, copied.
    public var headers: [KafkaHeader] { KafkaHeader.copied(from: UnsafePointer(message)) }

    /// A copy that outlives the batch.
    public func copy() -> KafkaMessage {
        KafkaMessage(
            topic: topic, partition: partition, offset: offset, key: key.map { Array($0) },
            value: Array(value), timestampMs: timestampMs, headers: headers
        )
    }
}
