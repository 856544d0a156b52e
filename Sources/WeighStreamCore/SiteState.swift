/// Everything WeighStream remembers about one site: the unit of sharding, snapshots and restore.
///
/// Pure value state. Records and time advance it through `SiteState+Overload`, `SiteState+Health`,
/// `SiteState+Supervision`, `SiteState+RecordClock` and `SiteState+Windows`; nothing here reads a clock.
public struct SiteState: Sendable, Equatable {
    public var site: String
    /// Per plate number: latest weighs (per colour) and exits, kept for the match, re-weigh and repeat windows.
    public var plates = PlateTable()
    public var dedup = DedupSet()
    /// Per device id, keyed by its bytes and digest (`HashedID`): every heartbeat looks its device up.
    public var devices: [HashedID: DeviceState] = [:]
    /// Lanes the site's records named: bounded by `max_lanes_per_site`.
    public var lanes: Set<Int> = []
    /// `SITE_OFFLINE` is open: since when, and why (`all_devices`, `all_scales`, `all_cameras`).
    public var siteOffline = false
    public var siteOfflineAt: Int64 = 0
    public var siteOfflineReason = ""
    /// Devices (or `lane:N`) whose record clock is currently judged wrong: `CLOCK_SKEW source=record_ts` is open.
    public var recordSkew: Set<String> = []
    public var laneWindows: [OpenLaneWindow] = []
    /// Hour and day lane windows emitted and still open to revisions.
    public var closedLaneWindows: [ClosedLaneWindow] = []
    /// Site windows being joined from lanes and devices, or kept for revisions.
    public var periods: [SitePeriod] = [] { didSet { periodWatch = PeriodWatch() } }
    /// Per window size: every lane window ending at or before this was emitted.
    public var closedUntil: [Int64] { didSet { periodWatch.idle = false } }
    /// Per window size: every device-health window ending at or before this was emitted.
    public var deviceClosedUntil: [Int64] { didSet { periodWatch.idle = false } }
    /// The event times last applied to the site (weigh-events and heartbeats partitions).
    public var weighTime: Int64 = .min
    public var heartbeatTime: Int64 = .min
    /// The partitions the site's records arrive on, for the processor's timers.
    public var weighPartition: Int32 = -1
    public var heartbeatPartition: Int32 = -1
    /// The next offset after the last record applied from each input partition: the site's position,
    /// stored with its snapshot so that records re-read after a restore are not applied twice.
    public var weighOffset: Int64 = -1
    public var heartbeatOffset: Int64 = -1
    /// The next weigh time at which plates are swept.
    public var nextPlateSweep: Int64 = .min
    /// (1.1) What the site published to `site-status` (`SiteState+Status`).
    public var status = StatusTrack()
    /// Conservative lower bounds of the next time something is due on each clock. Part of the state's value:
    /// a timer run at a stale bound still flushes site windows whose other side (the other topic's clock)
    /// has passed, so these decide at which point of the input such a window is emitted.
    var weighDue: Int64 = .max
    var heartbeatDue: Int64 = .max
    /// Set whenever a record or timer touched the site; the engine snapshots such sites at commit points.
    /// Not part of the state's value (equality, snapshots).
    public var changed = false
    /// What the periods wait for, kept between timer runs (`SiteState+Windows`). Not part of the state's
    /// value either: derived from the periods and the closed-until marks, and cleared when they are written.
    /// (The observers above are of the simple kind that leave element writes in place: no copy of the array.)
    var periodWatch = PeriodWatch()

    public init(site: String, windowCount: Int) {
        self.site = site
        closedUntil = Array(repeating: .min, count: windowCount)
        deviceClosedUntil = Array(repeating: .min, count: windowCount)
    }

    public static func == (a: SiteState, b: SiteState) -> Bool {
        a.site == b.site && a.plates == b.plates && a.dedup == b.dedup && a.devices == b.devices && a.lanes == b.lanes
            && a.siteOffline == b.siteOffline && a.siteOfflineAt == b.siteOfflineAt && a.siteOfflineReason == b.siteOfflineReason
            && a.recordSkew == b.recordSkew && a.laneWindows == b.laneWindows && a.closedLaneWindows == b.closedLaneWindows
            && a.periods == b.periods && a.closedUntil == b.closedUntil && a.deviceClosedUntil == b.deviceClosedUntil
            && a.weighTime == b.weighTime && a.heartbeatTime == b.heartbeatTime && a.weighPartition == b.weighPartition
            && a.heartbeatPartition == b.heartbeatPartition && a.nextPlateSweep == b.nextPlateSweep
            && a.weighOffset == b.weighOffset && a.heartbeatOffset == b.heartbeatOffset && a.status == b.status
            && a.weighDue == b.weighDue && a.heartbeatDue == b.heartbeatDue
    }

    /// Builds an alarm with its deterministic id.
    func alarm(
        _ type: AlarmType, _ severity: Severity, lane: Int?, plate: String?, device: String?, eventTs: Int64,
        detectedTs: Int64, details: [AlarmDetail], source: RecordSource, eventID: String?, identity: [String]
    ) -> Alarm {
        Self.alarm(
            at: site, type, severity, lane: lane, plate: plate, device: device, eventTs: eventTs, detectedTs: detectedTs,
            details: details, source: source, eventID: eventID, identity: identity)
    }

    /// Builds an alarm of `site` with its deterministic id, for code that works on part of a site's state
    /// in place and so cannot read the site while it does.
    static func alarm(
        at site: String, _ type: AlarmType, _ severity: Severity, lane: Int?, plate: String?, device: String?, eventTs: Int64,
        detectedTs: Int64, details: [AlarmDetail], source: RecordSource, eventID: String?, identity: [String]
    ) -> Alarm {
        Alarm(
            alarmID: AlarmID.make(type, site: site, parts: identity), type: type, severity: severity, site: site,
            lane: lane, plate: plate, device: device, eventTs: eventTs, detectedTs: detectedTs, details: details,
            source: source, sourceEventID: eventID)
    }

    /// Why a weigh or passage on `lane` would take the site past its lane bound (contract 1.1), or nil.
    // Inlined: a non-inlined call of a non-mutating method from mutating code is handed a copy of the whole
    // site state (369 bytes of `memcpy`, found in the disassembly), here once per weigh and passage.
    @inline(__always)
    func laneRefusal(_ lane: Int, bounds: SiteBounds) -> DecodeError? {
        lanes.count < bounds.maxLanesPerSite || lanes.contains(lane) ? nil
            : DecodeError(field: "lane", reason: .tooManyLanes(bounds.maxLanesPerSite))
    }
}
