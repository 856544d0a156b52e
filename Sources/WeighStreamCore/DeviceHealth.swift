/// A `device-health` aggregate: one device over one window, with its health score.
public struct DeviceHealth: Sendable, Hashable {
    public var device: String
    public var site: String
    public var deviceKind: DeviceKind
    public var windowStart: Int64
    public var windowEnd: Int64
    public var heartbeats: Int
    public var expected: Int
    /// heartbeats / expected, capped at 1.
    public var availability: Double
    /// 0..100, see `HealthRules`.
    public var score: Double
    /// `ok`, `degraded`, `fault` (the device's last word) or `offline`.
    public var status: String
    /// (1.1) 0 at first emission; hour and day windows revised by backfill are re-emitted with + 1.
    public var revision = 0

    public init(
        device: String, site: String, deviceKind: DeviceKind, windowStart: Int64, windowEnd: Int64, heartbeats: Int,
        expected: Int, availability: Double, score: Double, status: String
    ) {
        self.device = device
        self.site = site
        self.deviceKind = deviceKind
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.heartbeats = heartbeats
        self.expected = expected
        self.availability = availability
        self.score = score
        self.status = status
    }
}
