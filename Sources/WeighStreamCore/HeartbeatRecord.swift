/// A device's periodic sign of life (`heartbeats` topic).
public struct HeartbeatRecord: Sendable, Hashable {
    public var device: String
    public var site: String
    public var kind: DeviceKind
    public var ts: Int64
    public var seq: Int64
    /// How often the device promises a heartbeat; offline detection waits 3 intervals (at least 30 s).
    public var intervalMs: Int64
    public var status: DeviceStatus
    public var errors: [String]
    /// A scale's reading with nothing on the platform, and its verification division.
    public var zeroKg: Int?
    public var divisionKg: Int?
    /// Device clock minus platform clock. Timestamps are evidence, so skew matters.
    public var clockOffsetMs: Int64?
    public var uploadLagMs: Int64?
    public var diskFreePct: Double?

    public init(
        device: String, site: String, kind: DeviceKind, ts: Int64, seq: Int64, intervalMs: Int64 = 10_000,
        status: DeviceStatus = .ok, errors: [String] = [], zeroKg: Int? = nil, divisionKg: Int? = nil,
        clockOffsetMs: Int64? = nil, uploadLagMs: Int64? = nil, diskFreePct: Double? = nil
    ) {
        self.device = device
        self.site = site
        self.kind = kind
        self.ts = ts
        self.seq = seq
        self.intervalMs = intervalMs
        self.status = status
        self.errors = errors
        self.zeroKg = zeroKg
        self.divisionKg = divisionKg
        self.clockOffsetMs = clockOffsetMs
        self.uploadLagMs = uploadLagMs
        self.diskFreePct = diskFreePct
    }
}

extension HeartbeatRecord {
    /// Heartbeats carry no id: alarms cite them as `device#seq`.
    public static func eventID(device: String, seq: Int64) -> String { "\(device)#\(seq)" }
}
