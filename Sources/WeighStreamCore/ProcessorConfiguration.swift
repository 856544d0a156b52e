/// Everything that shapes the processor's output. Defaults follow the contract.
public struct ProcessorConfiguration: Sendable, Hashable {
    public var overload: OverloadRules
    public var health: HealthRules
    /// Tumbling window sizes for every aggregate: 1 min, 1 h and the local day (UTC+8) by default.
    public var windows: [WindowSpec]
    /// A window is emitted once event time passes its end plus this.
    public var graceMs: Int64
    /// A record whose id was seen for its site within this window is a duplicate.
    public var dedupWindowMs: Int64
    /// Names written in `source.topic` of alarms.
    public var weighEventsTopic: String
    public var heartbeatsTopic: String
    /// When true, a record whose offset is below the position its site has already applied on that
    /// partition is skipped: it was processed before the state was snapshotted, and is being re-read
    /// because the offset commit did not happen. The engine turns this on; offsets must then grow per
    /// partition, as Kafka's do.
    public var skipsAppliedRecords: Bool
    /// (1.1) Judges each record's `ts` against its Kafka timestamp.
    public var timeGuard: EventTimeGuard
    /// (1.1) Hour and day windows (every window size of at least an hour) accept late records this long after
    /// their end, in event time, and are re-emitted with `revision` + 1; shorter windows keep v1's behaviour.
    public var lateRetentionMs: Int64
    /// (1.1) A revised window is re-emitted at most once per this much event time.
    public var revisionIntervalMs: Int64
    /// (1.1) What one site may hold.
    public var bounds: SiteBounds
    /// (1.1) A site's `today` counts alone are re-published at most once per this much event time.
    public var statusIntervalMs: Int64 = 60_000
    /// (1.1) The local day of `site-status.today` (UTC+8).
    public var statusDay: WindowSpec = .chinaDay

    public init(
        overload: OverloadRules = OverloadRules(), health: HealthRules = HealthRules(),
        windows: [WindowSpec] = [.minute, .hour, .chinaDay], graceMs: Int64 = 10_000, dedupWindowMs: Int64 = 15 * 60_000,
        weighEventsTopic: String = "weigh-events", heartbeatsTopic: String = "heartbeats",
        skipsAppliedRecords: Bool = false, timeGuard: EventTimeGuard = EventTimeGuard(),
        lateRetentionMs: Int64 = 48 * 3_600_000, revisionIntervalMs: Int64 = 60_000, bounds: SiteBounds = SiteBounds()
    ) {
        precondition(!windows.isEmpty, "at least one window size")
        self.overload = overload
        self.health = health
        self.windows = windows
        self.graceMs = graceMs
        self.dedupWindowMs = dedupWindowMs
        self.weighEventsTopic = weighEventsTopic
        self.heartbeatsTopic = heartbeatsTopic
        self.skipsAppliedRecords = skipsAppliedRecords
        self.timeGuard = timeGuard
        self.lateRetentionMs = lateRetentionMs
        self.revisionIntervalMs = revisionIntervalMs
        self.bounds = bounds
    }

    /// Whether windows of size `spec` (an index into `windows`) take revisions.
    @inline(__always)
    func revisable(_ spec: Int) -> Bool { windows[spec].sizeMs >= 3_600_000 }

    /// Settings that cannot work together, in words naming them; nil when the configuration is sound.
    /// `max_future_ms` must stay below the shortest offline timeout, or a device whose clock runs just inside
    /// the guard could look offline to a partition clock moved by another.
    public var problem: String? {
        if timeGuard.maxFutureMs >= health.minOfflineMs {
            return "max_future_ms (\(timeGuard.maxFutureMs)) must be below the shortest offline timeout (\(health.minOfflineMs) ms)"
        }
        if timeGuard.maxFutureMs < 0 || timeGuard.maxPastMs < 0 { return "max_future_ms and max_past_ms must not be negative" }
        if bounds.maxDevicesPerSite < 1 || bounds.maxLanesPerSite < 1 || bounds.maxPendingPlatesPerSite < 1 {
            return "max_devices_per_site, max_lanes_per_site and max_pending_plates_per_site must be at least 1"
        }
        if revisionIntervalMs < 1 { return "the revision interval must be positive" }
        if statusIntervalMs < 0 { return "status_interval_ms must not be negative" }
        return nil
    }
}
