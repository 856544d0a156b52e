/// A plate camera's sighting of a truck at a site's gate (`"type":"passage"` on `weigh-events`).
public struct PassageRecord: Sendable, Hashable {
    public var id: String
    public var site: String
    public var lane: Int
    public var ts: Int64
    public var plate: String
    public var direction: PassageDirection
    public var camera: String?
    /// With `plate`, tells two vehicles of one number apart (a plate is plate + colour where both records have one).
    public var plateColor: String?
    /// Up to 8 URIs of photos or video clips (contract 1.1), copied into the alarms this record raises.
    public var evidence: [String]?

    public init(
        id: String, site: String, lane: Int, ts: Int64, plate: String, direction: PassageDirection, camera: String? = nil,
        plateColor: String? = nil, evidence: [String]? = nil
    ) {
        self.id = id
        self.site = site
        self.lane = lane
        self.ts = ts
        self.plate = plate
        self.direction = direction
        self.camera = camera
        self.plateColor = plateColor
        self.evidence = evidence
    }
}
