/// A plate camera's sighting of a truck at a site's gate (`"type":"passage"` on `weigh-events`).
public struct PassageRecord: Sendable, Hashable {
    public var id: String
    public var site: String
    public var lane: Int
    public var ts: Int64
    public var plate: String
    public var direction: PassageDirection
    public var camera: String?

    public init(id: String, site: String, lane: Int, ts: Int64, plate: String, direction: PassageDirection, camera: String? = nil) {
        self.id = id
        self.site = site
        self.lane = lane
        self.ts = ts
        self.plate = plate
        self.direction = direction
        self.camera = camera
    }
}
