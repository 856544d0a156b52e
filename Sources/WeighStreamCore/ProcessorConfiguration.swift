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

    public init(
        overload: OverloadRules = OverloadRules(), health: HealthRules = HealthRules(),
        windows: [WindowSpec] = [.minute, .hour, .chinaDay], graceMs: Int64 = 10_000, dedupWindowMs: Int64 = 15 * 60_000,
        weighEventsTopic: String = "weigh-events", heartbeatsTopic: String = "heartbeats",
        skipsAppliedRecords: Bool = false
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
    }
}
