/// An input partition: event time is kept per partition.
public struct PartitionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var topic: InputTopic
    public var partition: Int32

    public init(_ topic: InputTopic, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic == .weighEvents ? "weigh-events" : "heartbeats")/\(partition)" }

    public static func < (a: PartitionKey, b: PartitionKey) -> Bool { (a.topic.rawValue, a.partition) < (b.topic.rawValue, b.partition) }
}
