/// Where an input record came from: its topic, partition and offset.
public struct RecordSource: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// For records that did not come from Kafka (tests, replays from files).
    public static let none = RecordSource(topic: "", partition: -1, offset: -1)
}
