/// A device's open health window: what its heartbeats said so far.
public struct DeviceWindow: Sendable, Hashable {
    public var spec: Int
    public var start: Int64
    public var heartbeats = 0
    public var statusSum = 0.0
    public var zeroOK = 0
    public var lagSum = 0.0
    public var clockOK = 0

    public init(spec: Int, start: Int64) {
        self.spec = spec
        self.start = start
    }

    mutating func add(_ v: HeartbeatValues) {
        heartbeats += 1
        statusSum += v.status
        zeroOK += v.zeroOK ? 1 : 0
        lagSum += v.lag
        clockOK += v.clockOK ? 1 : 0
    }
}
