/// One static weighing of a loaded truck at a site's weigh lane (`"type":"weigh"` on `weigh-events`).
///
/// Weights are whole kilograms; a decimal weight on the wire is rounded to the nearest kilogram, far below
/// any weighbridge's division.
public struct WeighRecord: Sendable, Hashable {
    /// Unique per site; devices may resend a record with the same id.
    public var id: String
    public var site: String
    public var lane: Int
    /// Device time, epoch milliseconds UTC.
    public var ts: Int64
    public var plate: String
    public var plateColor: String?
    public var axles: Int
    public var vehicle: VehicleKind
    /// A 6+ axle combination with a single drive axle has a lower limit (46 t).
    public var singleDriveAxle: Bool
    public var grossKg: Int
    public var tareKg: Int?
    /// The rated load on the vehicle's licence (超载 is judged against it).
    public var ratedLoadKg: Int?
    public var axleKg: [Int]?
    /// False when the scale reported an unstable reading.
    public var stable: Bool
    public var scale: String?
    /// Up to 8 URIs of photos or video clips (contract 1.1), copied into the alarms this record raises.
    public var evidence: [String]?

    public init(
        id: String, site: String, lane: Int, ts: Int64, plate: String, plateColor: String? = nil, axles: Int,
        vehicle: VehicleKind, singleDriveAxle: Bool = false, grossKg: Int, tareKg: Int? = nil,
        ratedLoadKg: Int? = nil, axleKg: [Int]? = nil, stable: Bool = true, scale: String? = nil,
        evidence: [String]? = nil
    ) {
        self.id = id
        self.site = site
        self.lane = lane
        self.ts = ts
        self.plate = plate
        self.plateColor = plateColor
        self.axles = axles
        self.vehicle = vehicle
        self.singleDriveAxle = singleDriveAxle
        self.grossKg = grossKg
        self.tareKg = tareKg
        self.ratedLoadKg = ratedLoadKg
        self.axleKg = axleKg
        self.stable = stable
        self.scale = scale
        self.evidence = evidence
    }
}
