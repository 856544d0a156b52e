import WeighStreamCore

/// One record as a gateway sends it: topic, key (the site), JSON bytes, event time, and the time it reaches
/// Kafka (the record's CreateTime): later than `ts` for a buffered upload, far from it for a wrong clock.
public struct SimulatedRecord: Sendable, Hashable {
    public var topic: InputTopic
    public var key: String
    public var value: [UInt8]
    /// The device's time (the record's `ts`, as the device's clock has it).
    public var ts: Int64
    /// When the record reaches Kafka: the timestamp to produce it with.
    public var kafkaTs: Int64

    public init(topic: InputTopic, key: String, value: [UInt8], ts: Int64, kafkaTs: Int64? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.ts = ts
        self.kafkaTs = kafkaTs ?? ts
    }
}
