/// The broker's verdict on one produced record.
public struct KafkaDeliveryReport: Sendable, Hashable {
    /// The `id` of the `KafkaProducerMessage`.
    public var id: UInt64
    public var topic: String
    public var partition: Int32
    /// The record's offset when delivered, else `nil`.
    public var offset: Int64?
    /// Why it was not delivered; `nil` when it was.
    public var error: KafkaError?
    /// For a failed delivery, the record as it was produced (the partition it went to, key, value, headers,
    /// `id`), copied from librdkafka's own copy: a caller can send it again without keeping every record until
    /// it is acknowledged. `nil` for a delivered record. Its timestamp is the one librdkafka reports, if any:
    /// 2.0.2 reports none for a failed record, so a re-sent one is stamped anew (WeighStream's outputs carry
    /// no timestamp of their own, so nothing is lost for them).
    public var message: KafkaProducerMessage?

    public init(
        id: UInt64, topic: String, partition: Int32, offset: Int64?, error: KafkaError?, message: KafkaProducerMessage? = nil
    ) {
        self.id = id
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error = error
        self.message = message
    }

    public var isDelivered: Bool { error == nil }
}
