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

    public init(id: UInt64, topic: String, partition: Int32, offset: Int64?, error: KafkaError?) {
        self.id = id
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error = error
    }

    public var isDelivered: Bool { error == nil }
}
