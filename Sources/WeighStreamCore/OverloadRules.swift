/// The weigh-event rules and their thresholds; defaults are the contract's.
public struct OverloadRules: Sendable, Hashable {
    public var limits: LimitTable
    /// An excess up to this many kg draws a warning only (Art. 43).
    public var warningBandKg: Int
    /// An excess up to this share of the limit is `major`; above it, `critical`.
    public var majorExcessFraction: Double
    /// 超载 over the rated load by more than this share is `critical`, else `major`.
    public var ratedLoadCriticalFraction: Double
    /// How far back an exit passage looks for the plate's weigh.
    public var matchWindowMs: Int64
    /// (1.1) A second exit read of a plate this soon after a matched or unweighed exit raises nothing and is
    /// counted in `repeat_exits` (front and rear cameras, a re-read at the gate).
    public var exitRepeatMs: Int64
    /// A re-weigh sooner than this after an over-limit weigh, and lighter by `reweighDropKg`, is suspect.
    public var reweighWindowMs: Int64
    public var reweighDropKg: Int
    /// `axle_kg` summing further than this share from `gross_kg` is a scale anomaly.
    public var axleSumToleranceFraction: Double
    /// Severity of the alarms whose severity the contract fixes.
    public var releasedOverloadedSeverity: Severity
    public var unweighedExitSeverity: Severity
    public var suspectReweighSeverity: Severity
    public var scaleAnomalySeverity: Severity
    public var conflictingResendSeverity: Severity

    public init(
        limits: LimitTable = .order62, warningBandKg: Int = 1_000, majorExcessFraction: Double = 0.30,
        ratedLoadCriticalFraction: Double = 0.30, matchWindowMs: Int64 = 30 * 60_000, reweighWindowMs: Int64 = 5 * 60_000,
        reweighDropKg: Int = 2_000, axleSumToleranceFraction: Double = 0.05,
        releasedOverloadedSeverity: Severity = .critical, unweighedExitSeverity: Severity = .major,
        suspectReweighSeverity: Severity = .major, scaleAnomalySeverity: Severity = .warning,
        exitRepeatMs: Int64 = 10 * 60_000, conflictingResendSeverity: Severity = .major
    ) {
        self.limits = limits
        self.warningBandKg = warningBandKg
        self.majorExcessFraction = majorExcessFraction
        self.ratedLoadCriticalFraction = ratedLoadCriticalFraction
        self.matchWindowMs = matchWindowMs
        self.reweighWindowMs = reweighWindowMs
        self.reweighDropKg = reweighDropKg
        self.axleSumToleranceFraction = axleSumToleranceFraction
        self.releasedOverloadedSeverity = releasedOverloadedSeverity
        self.unweighedExitSeverity = unweighedExitSeverity
        self.suspectReweighSeverity = suspectReweighSeverity
        self.scaleAnomalySeverity = scaleAnomalySeverity
        self.exitRepeatMs = exitRepeatMs
        self.conflictingResendSeverity = conflictingResendSeverity
    }

    /// The severity of an over-limit excess: warning within the Art. 43 band, major up to 30 %, else critical.
    public func overLimitSeverity(excessKg: Int, limitKg: Int) -> Severity {
        if excessKg <= warningBandKg { return .warning }
        if Double(excessKg) <= majorExcessFraction * Double(limitKg) { return .major }
        return .critical
    }
}
