import WeighStreamCore

/// One record as a gateway sends it: topic, key (the site), JSON bytes, event time.
public struct SimulatedRecord: Sendable, Hashable {
    public var topic: InputTopic
    public var key: String
    public var value: [UInt8]
    public var ts: Int64
}
