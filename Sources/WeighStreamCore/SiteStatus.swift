/// One record of the compacted `site-status` topic (contract 1.1): a site's current supervision status.
public struct SiteStatus: Sendable, Hashable {
    public var site: String
    public var status: SiteStatusLevel
    /// Event time at which the site entered `status`.
    public var sinceTs: Int64
    /// Event time of the latest change this record carries.
    public var updatedTs: Int64
    /// Known devices, by id.
    public var devices: [StatusDevice]
    /// Condition alarms raised and not cleared, oldest first.
    public var openAlarms: [OpenAlarm]
    public var today: TodayCounts

    public init(
        site: String, status: SiteStatusLevel, sinceTs: Int64, updatedTs: Int64, devices: [StatusDevice], openAlarms: [OpenAlarm],
        today: TodayCounts
    ) {
        self.site = site
        self.status = status
        self.sinceTs = sinceTs
        self.updatedTs = updatedTs
        self.devices = devices
        self.openAlarms = openAlarms
        self.today = today
    }
}

extension SiteStatus {
    /// The inspection wall's order, worst first: offline, then degraded, then online; within one status the
    /// longest in it first (online sites by id), then the most open alarms, then by id.
    public func isWorse(than other: SiteStatus) -> Bool {
        if status != other.status { return status > other.status }
        if status != .online && sinceTs != other.sinceTs { return sinceTs < other.sinceTs }
        if openAlarms.count != other.openAlarms.count { return openAlarms.count > other.openAlarms.count }
        return site < other.site
    }
}
