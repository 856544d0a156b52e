/// The weights of a device's health score. Each part is a 0..1 measure over the window:
///
/// - `availability`: heartbeats received / expected (capped at 1);
/// - `status`: the mean of each heartbeat's status (ok 1, degraded or with errors 0.5, fault 0);
/// - `zero`: for scales, the share of heartbeats with |zero_kg| within the drift bound (others: 1);
/// - `uploadLag`: the mean of 1 at or under `HealthRules.uploadLagGoodMs`, falling linearly to 0 at
///   `uploadLagBadMs` (1 when not reported);
/// - `clock`: the share of heartbeats with |clock_offset_ms| within the skew bound (1 when not reported).
///
/// score = 100 × Σ weightᵢ × partᵢ / Σ weightᵢ. A window without heartbeats scores 0.
public struct HealthWeights: Sendable, Hashable {
    public var availability: Double
    public var status: Double
    public var zero: Double
    public var uploadLag: Double
    public var clock: Double

    public init(availability: Double = 50, status: Double = 20, zero: Double = 10, uploadLag: Double = 10, clock: Double = 10) {
        self.availability = availability
        self.status = status
        self.zero = zero
        self.uploadLag = uploadLag
        self.clock = clock
    }

    var total: Double { availability + status + zero + uploadLag + clock }
}
