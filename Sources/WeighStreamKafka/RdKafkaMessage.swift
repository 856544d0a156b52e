import CRdKafka

/// Reads the parts of a librdkafka message, consumed or produced and reported: one place for what
/// `KafkaMessageView` reads in place and what a failed delivery report copies out.
enum RdKafkaMessage {
    /// The key bytes, valid while the message lives; `nil` for a null key.
    static func key(of message: UnsafePointer<rd_kafka_message_t>) -> UnsafeRawBufferPointer? {
        guard let key = message.pointee.key else { return nil }
        return UnsafeRawBufferPointer(start: key, count: message.pointee.key_len)
    }

    /// The value bytes, valid while the message lives; `nil` for a null value.
    static func value(of message: UnsafePointer<rd_kafka_message_t>) -> UnsafeRawBufferPointer? {
        guard let payload = message.pointee.payload else { return nil }
        return UnsafeRawBufferPointer(start: payload, count: message.pointee.len)
    }

    /// The timestamp in epoch milliseconds, or `nil` when librdkafka reports none.
    static func timestampMs(of message: UnsafePointer<rd_kafka_message_t>) -> Int64? {
        var type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let ts = rd_kafka_message_timestamp(message, &type)
        return type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : ts
    }

    /// Every header, copied out of the message.
    static func headers(of message: UnsafePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var hdrs: OpaquePointer?
        guard rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs else { return [] }
        var result: [KafkaHeader] = []
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(hdrs, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(key: name.map { String(cString: $0) } ?? "", value: bytes))
            index += 1
        }
        return result
    }
}
