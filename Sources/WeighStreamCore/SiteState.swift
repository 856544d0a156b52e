/// Everything WeighStream remembers about one site: the unit of sharding, snapshots and restore.
///
/// Pure value state. Records and time advance it through `SiteState+Overload`, `SiteState+Health` and
/// `SiteState+Windows`; nothing here reads a clock.
public struct SiteState: Sendable, Equatable {
    public var site: String
    /// Latest weigh per plate, kept for the match and re-weigh windows.
    public var plates: [String: PlateState] = [:]
    public var dedup = DedupSet()
    public var devices: [String: DeviceState] = [:]
    public var siteOffline = false
    public var laneWindows: [OpenLaneWindow] = []
    /// Per window size: every lane window ending at or before this was emitted.
    public var closedUntil: [Int64]
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
    /// Conservative lower bounds of the next time something is due on each clock.
    var weighDue: Int64 = .max
    var heartbeatDue: Int64 = .max
    /// Set whenever a record or timer touched the site; the engine snapshots such sites at commit points.
    /// Not part of the state's value (equality, snapshots).
    public var changed = false

    public init(site: String, windowCount: Int) {
        self.site = site
        closedUntil = Array(repeating: .min, count: windowCount)
    }

    public static func == (a: SiteState, b: SiteState) -> Bool {
        a.site == b.site && a.plates == b.plates && a.dedup == b.dedup && a.devices == b.devices
            && a.siteOffline == b.siteOffline && a.laneWindows == b.laneWindows && a.closedUntil == b.closedUntil
            && a.weighTime == b.weighTime && a.heartbeatTime == b.heartbeatTime && a.weighPartition == b.weighPartition
            && a.heartbeatPartition == b.heartbeatPartition && a.nextPlateSweep == b.nextPlateSweep
            && a.weighOffset == b.weighOffset && a.heartbeatOffset == b.heartbeatOffset
    }

    /// Builds an alarm with its deterministic id.
    func alarm(
        _ type: AlarmType, _ severity: Severity, lane: Int?, plate: String?, device: String?, eventTs: Int64,
        detectedTs: Int64, details: [AlarmDetail], source: RecordSource, eventID: String?, identity: [String]
    ) -> Alarm {
        Alarm(
            alarmID: AlarmID.make(type, site: site, parts: identity), type: type, severity: severity, site: site,
            lane: lane, plate: plate, device: device, eventTs: eventTs, detectedTs: detectedTs, details: details,
            source: source, sourceEventID: eventID)
    }
}
