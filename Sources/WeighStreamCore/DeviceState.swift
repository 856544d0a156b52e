/// What a site knows of one device.
public struct DeviceState: Sendable, Hashable {
    public var kind: DeviceKind
    public var intervalMs: Int64
    public var firstTs: Int64
    public var lastTs: Int64
    public var lastSeq: Int64
    public var lastStatus: DeviceStatus
    public var offline = false
    /// When the current outage started (last heartbeat + timeout).
    public var offlineAt: Int64 = 0
    public var faultActive = false
    public var zeroDriftRun = 0
    public var zeroDriftActive = false
    public var clockSkewActive = false
    public var degradedActive = false
    /// Where its latest heartbeat came from, cited by time-driven alarms.
    public var lastSource: RecordSource
    public var windows: [DeviceWindow] = []
    /// (1.1) Hour and day windows already emitted, kept for revisions by backfill.
    public var closed: [ClosedDeviceWindow] = []
    /// (1.1) Buffered heartbeats received since it went offline, reported by its `DEVICE_RECOVERED`.
    public var backfilled = 0
    /// Per window size: the start of the oldest window not yet emitted.
    public var cursors: [Int64]

    /// A device first heard of through `hb`, whose event time is `t`.
    init(first hb: HeartbeatRecord, at t: Int64, source: RecordSource, specs: [WindowSpec]) {
        kind = hb.kind
        intervalMs = hb.intervalMs
        firstTs = t
        lastTs = t
        lastSeq = hb.seq
        lastStatus = hb.status
        lastSource = source
        cursors = specs.map { $0.start(of: t) }
    }

    /// What a site's device table holds for a device while its state is moved out to be changed (see
    /// `SiteState.onHeartbeatTime`): no heap storage, so putting it in and taking it out costs
    /// no allocation, and the moved-out state is changed without copying its windows.
    /// Made afresh each time, not a `static let`: copying a stored value out of a global retained and released
    /// each of its fields (callgrind: 5 % of detection on the simulator mix); this one is built from constants.
    static var vacant: DeviceState {
        DeviceState(
            kind: .scale, intervalMs: 0, firstTs: 0, lastTs: 0, lastSeq: 0, lastStatus: .ok,
            lastSource: RecordSource(topic: "", partition: 0, offset: 0), cursors: [])
    }

    init(
        kind: DeviceKind, intervalMs: Int64, firstTs: Int64, lastTs: Int64, lastSeq: Int64, lastStatus: DeviceStatus,
        lastSource: RecordSource, cursors: [Int64]
    ) {
        self.kind = kind
        self.intervalMs = intervalMs
        self.firstTs = firstTs
        self.lastTs = lastTs
        self.lastSeq = lastSeq
        self.lastStatus = lastStatus
        self.lastSource = lastSource
        self.cursors = cursors
    }
}
