/// An alarm for the `alarms` topic. `alarmID` is deterministic: the same input gives the same id on any
/// instance, after any restart or replay, so downstream services can drop duplicates.
public struct Alarm: Sendable, Hashable {
    public var alarmID: String
    public var type: AlarmType
    public var severity: Severity
    public var site: String
    /// Lane, plate and device of the record that raised the alarm; nil where they do not apply.
    public var lane: Int?
    public var plate: String?
    public var device: String?
    /// Event time of the condition (device time, or the moment a silence became an outage).
    public var eventTs: Int64
    /// When WeighStream detected it (the processor's wall clock, handed in).
    public var detectedTs: Int64
    public var details: [AlarmDetail]
    public var source: RecordSource
    /// The input record's `id` (weigh-events) or `device#seq` (heartbeats).
    public var sourceEventID: String?

    public init(
        alarmID: String, type: AlarmType, severity: Severity, site: String, lane: Int?, plate: String?, device: String?,
        eventTs: Int64, detectedTs: Int64, details: [AlarmDetail], source: RecordSource, sourceEventID: String?
    ) {
        self.alarmID = alarmID
        self.type = type
        self.severity = severity
        self.site = site
        self.lane = lane
        self.plate = plate
        self.device = device
        self.eventTs = eventTs
        self.detectedTs = detectedTs
        self.details = details
        self.source = source
        self.sourceEventID = sourceEventID
    }

    /// The detail under `key`, if any.
    public func detail(_ key: String) -> DetailValue? { details.first { $0.key == key }?.value }
}
