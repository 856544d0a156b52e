/// The heartbeat rules and their thresholds; defaults are the contract's.
public struct HealthRules: Sendable, Hashable {
    /// A device is offline after this many of its intervals without a heartbeat...
    public var offlineIntervals: Int64
    /// ...and never sooner than this.
    public var minOfflineMs: Int64
    /// Zero drift: |zero_kg| over this many divisions...
    public var zeroDriftDivisions: Int
    /// ...for this many heartbeats in a row.
    public var zeroDriftConsecutive: Int
    /// The division assumed for a scale that does not report one (class III, 20 kg).
    public var defaultDivisionKg: Int
    public var clockSkewMs: Int64
    /// DEVICE_DEGRADED when a window's score falls below this.
    public var degradedScore: Double
    /// Which window size (index into `ProcessorConfiguration.windows`) drives DEVICE_DEGRADED.
    public var degradedWindowIndex: Int
    public var weights: HealthWeights
    public var uploadLagGoodMs: Int64
    public var uploadLagBadMs: Int64
    /// Severities.
    public var offlineSeverity: Severity
    public var recoveredSeverity: Severity
    public var siteOfflineSeverity: Severity
    public var faultSeverity: Severity
    public var zeroDriftSeverity: Severity
    public var clockSkewSeverity: Severity
    public var degradedSeverity: Severity
    public var siteRecoveredSeverity: Severity
    /// (1.1) A device silent this long (event time) is forgotten: no more health windows, and it no longer
    /// counts in `devices` nor in site supervision.
    public var deviceRetentionMs: Int64

    public init(
        offlineIntervals: Int64 = 3, minOfflineMs: Int64 = 30_000, zeroDriftDivisions: Int = 2, zeroDriftConsecutive: Int = 3,
        defaultDivisionKg: Int = 20, clockSkewMs: Int64 = 5_000, degradedScore: Double = 60, degradedWindowIndex: Int = 0,
        weights: HealthWeights = HealthWeights(), uploadLagGoodMs: Int64 = 5_000, uploadLagBadMs: Int64 = 60_000,
        offlineSeverity: Severity = .major, recoveredSeverity: Severity = .info, siteOfflineSeverity: Severity = .critical,
        faultSeverity: Severity = .major, zeroDriftSeverity: Severity = .major, clockSkewSeverity: Severity = .warning,
        degradedSeverity: Severity = .warning, siteRecoveredSeverity: Severity = .info,
        deviceRetentionMs: Int64 = 7 * 86_400_000
    ) {
        self.offlineIntervals = offlineIntervals
        self.minOfflineMs = minOfflineMs
        self.zeroDriftDivisions = zeroDriftDivisions
        self.zeroDriftConsecutive = zeroDriftConsecutive
        self.defaultDivisionKg = defaultDivisionKg
        self.clockSkewMs = clockSkewMs
        self.degradedScore = degradedScore
        self.degradedWindowIndex = degradedWindowIndex
        self.weights = weights
        self.uploadLagGoodMs = uploadLagGoodMs
        self.uploadLagBadMs = uploadLagBadMs
        self.offlineSeverity = offlineSeverity
        self.recoveredSeverity = recoveredSeverity
        self.siteOfflineSeverity = siteOfflineSeverity
        self.faultSeverity = faultSeverity
        self.zeroDriftSeverity = zeroDriftSeverity
        self.clockSkewSeverity = clockSkewSeverity
        self.degradedSeverity = degradedSeverity
        self.siteRecoveredSeverity = siteRecoveredSeverity
        self.deviceRetentionMs = deviceRetentionMs
    }

    /// How long a device with this interval may stay silent before it is offline.
    public func offlineTimeout(intervalMs: Int64) -> Int64 { max(offlineIntervals * intervalMs, minOfflineMs) }
}
