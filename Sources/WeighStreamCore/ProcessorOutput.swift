/// What processing produced: alarms and aggregates in a deterministic order, and counters for metrics.
/// Reused across batches (`removeAll` keeps capacity) so the hot path does not allocate for it.
public struct ProcessorOutput: Sendable {
    public var alarms: [Alarm] = []
    public var aggregates: [Aggregate] = []
    /// (1.1) `site-status` records, in the order their sites changed.
    public var statuses: [SiteStatus] = []
    public var duplicates = 0
    public var late = 0
    /// (1.1) Plates awaiting exit evicted by `max_pending_plates_per_site`.
    public var evictedPlates = 0
    /// (1.1) Devices forgotten after `device_retention_ms` of silence.
    public var forgottenDevices = 0

    public init() {}

    public mutating func removeAll() {
        alarms.removeAll(keepingCapacity: true)
        aggregates.removeAll(keepingCapacity: true)
        statuses.removeAll(keepingCapacity: true)
        duplicates = 0
        late = 0
        evictedPlates = 0
        forgottenDevices = 0
    }
}
