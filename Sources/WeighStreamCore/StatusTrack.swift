/// What a site has published to `site-status`, and what it is counting towards the next record.
///
/// Two views, each moved by one input stream only, so that every stream decides its publications from its
/// own history: the conditions view (status, devices, open alarms) by heartbeats and the records' clocks, the
/// `today` view by weigh-events. Records interleave differently on every run, so a record carries whichever
/// views were last published; the latest record of a site, once every input is read, is the same on every
/// replay (contract 1.1: deterministic on replay).
public struct StatusTrack: Sendable, Hashable {
    // Conditions view, as last published.
    public var level = SiteStatusLevel.online
    public var sinceTs: Int64 = .min
    public var devices: [StatusDevice] = []
    public var open: [OpenAlarm] = []
    /// Event time of the last publication of the conditions view; `.min` before the first.
    public var conditionsAt: Int64 = .min
    /// Condition alarms raised and not yet seen cleared: where `open` takes ids and start times from.
    public var raised: [OpenAlarm] = []
    /// Counts so far, and as last published.
    public var today = TodayCounts()
    public var publishedToday = TodayCounts()
    /// Event time of the last publication of `today`; `.min` before the first.
    public var todayAt: Int64 = .min

    public init() {}

    /// Whether anything was ever published for the site.
    public var published: Bool { conditionsAt != .min || todayAt != .min }
}
