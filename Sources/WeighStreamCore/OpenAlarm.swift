/// A condition alarm that is raised and not yet cleared (contract 1.1, site-status `open_alarms`).
public struct OpenAlarm: Sendable, Hashable {
    public var type: AlarmType
    /// The alarm's `device` (nil for `SITE_OFFLINE` and a lane's wrong clock).
    public var device: String?
    /// What the condition is about: the device id, `lane:N` for a lane's wrong record clock, or "" for the site.
    public var subject: String
    /// `CLOCK_SKEW`'s `details.source` (`clock_offset` or `record_ts`); nil for other types.
    public var source: String?
    public var alarmID: String
    /// The alarm's `event_ts`: when the condition started.
    public var sinceTs: Int64

    public init(type: AlarmType, device: String?, subject: String, source: String?, alarmID: String, sinceTs: Int64) {
        self.type = type
        self.device = device
        self.subject = subject
        self.source = source
        self.alarmID = alarmID
        self.sinceTs = sinceTs
    }

    /// Whether `other` is the same condition (a newer alarm of it replaces this one).
    func isSameCondition(as other: OpenAlarm) -> Bool {
        type == other.type && subject == other.subject && source == other.source
    }
}
