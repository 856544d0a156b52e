/// The county a `CountySimulator` plays. Every rate is a probability per truck trip (or per record for
/// duplicates and bad records); defaults follow the domain brief.
public struct SimulatorConfiguration: Sendable, Hashable {
    public var sites: Int
    public var seed: UInt64
    /// Simulated time starts here (epoch ms).
    public var start: Int64
    /// Mean arrivals per weigh lane per hour.
    public var trucksPerLanePerHour: Double
    /// Share of trips over the legal limit.
    public var overLimitRate: Double
    /// Of over-limit trucks: the site lets them leave without unloading (RELEASED_OVERLOADED).
    public var releasedRate: Double
    /// Of over-limit trucks: re-weighed lighter within minutes, too fast to have unloaded (SUSPECT_REWEIGH).
    public var fastReweighRate: Double
    /// Share of trips leaving without being weighed (UNWEIGHED_EXIT).
    public var unweighedExitRate: Double
    /// Share of weighs the scale reports unstable (SCALE_ANOMALY).
    public var unstableRate: Double
    /// Share of records a gateway sends twice.
    public var duplicateRate: Double
    /// Share of records that arrive garbled (dead letters).
    public var badRecordRate: Double
    /// Share of exits the gate reads twice (front and rear camera): `repeat_exits`, no alarm.
    public var doubleExitReadRate: Double
    /// Share of weighs the scale re-sends with another weight (CONFLICTING_RESEND).
    public var conflictingResendRate: Double
    /// Share of records with one bad optional field (processed; a partial dead letter).
    public var badOptionalFieldRate: Double
    /// Share of 2 to 5 axle vehicles that are combinations, and of 6+ axle combinations with a single drive
    /// axle (46 t), so that every row of the limit table is exercised.
    public var smallCombinationRate: Double
    public var singleDriveAxleRate: Double
    public var heartbeatIntervalMs: Int64
    /// Plant the device anomalies: a drifting scale, a faulty camera, a skewed clock offset, a flaky device, a
    /// gateway clock a year fast, a gateway cut off for a while that uploads its buffer on reconnecting, and a
    /// site that switches every device off (and sends nothing at all) for a while. Needs at least 8 sites.
    public var anomalies: Bool
    /// When the switched-off site goes dark, after `start`, and for how long.
    public var switchOffAtMs: Int64
    public var switchOffForMs: Int64

    public init(
        sites: Int = 100, seed: UInt64 = 2026, start: Int64 = 1_795_950_000_000, trucksPerLanePerHour: Double = 30,
        overLimitRate: Double = 0.02, releasedRate: Double = 0.25, fastReweighRate: Double = 0.25,
        unweighedExitRate: Double = 0.003, unstableRate: Double = 0.002, duplicateRate: Double = 0.002,
        badRecordRate: Double = 0.0005, doubleExitReadRate: Double = 0.1, conflictingResendRate: Double = 0.002,
        badOptionalFieldRate: Double = 0.001, smallCombinationRate: Double = 0.3, singleDriveAxleRate: Double = 0.2,
        heartbeatIntervalMs: Int64 = 10_000, anomalies: Bool = true,
        switchOffAtMs: Int64 = 20 * 60_000, switchOffForMs: Int64 = 10 * 60_000
    ) {
        self.sites = sites
        self.seed = seed
        self.start = start
        self.trucksPerLanePerHour = trucksPerLanePerHour
        self.overLimitRate = overLimitRate
        self.releasedRate = releasedRate
        self.fastReweighRate = fastReweighRate
        self.unweighedExitRate = unweighedExitRate
        self.unstableRate = unstableRate
        self.duplicateRate = duplicateRate
        self.badRecordRate = badRecordRate
        self.doubleExitReadRate = doubleExitReadRate
        self.conflictingResendRate = conflictingResendRate
        self.badOptionalFieldRate = badOptionalFieldRate
        self.smallCombinationRate = smallCombinationRate
        self.singleDriveAxleRate = singleDriveAxleRate
        self.heartbeatIntervalMs = heartbeatIntervalMs
        self.anomalies = anomalies
        self.switchOffAtMs = switchOffAtMs
        self.switchOffForMs = switchOffForMs
    }
}
