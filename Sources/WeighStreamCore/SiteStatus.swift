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
