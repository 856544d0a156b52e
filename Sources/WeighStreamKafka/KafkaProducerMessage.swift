/// A record to produce. `id` comes back in its delivery report so the caller can match the two.
public struct KafkaProducerMessage: Sendable, Hashable {
    public var topic: String
    /// A fixed partition, or `nil` to let the partitioner pick by key (librdkafka's consistent_random).
    public var partition: Int32?
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch; `nil` lets librdkafka stamp it.
    public var timestampMs: Int64?
    /// Caller's correlation id, returned in the delivery report.
    public var id: UInt64

    public init(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestampMs: Int64? = nil, id: UInt64 = 0
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
        self.id = id
    }

    public init(topic: String, key: String?, value: String, headers: [KafkaHeader] = [], id: UInt64 = 0) {
        self.init(topic: topic, key: key.map { Array($0.utf8) }, value: Array(value.utf8), headers: headers, id: id)
    }
}
