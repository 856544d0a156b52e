/// A `site-window` aggregate: the lane counts summed over a site's lanes, plus its devices.
public struct SiteWindow: Sendable, Hashable {
    public var site: String
    public var windowStart: Int64
    public var windowEnd: Int64
    public var weighed = 0
    public var overLimit = 0
    public var overRatedLoad = 0
    public var grossKg: Int64 = 0
    public var netKg: Int64 = 0
    public var excessKg: Int64 = 0
    public var maxExcessPct = 0.0
    public var exits = 0
    public var unweighedExits = 0
    public var releasedOverloaded = 0
    public var duplicates = 0
    public var late = 0
    /// Devices known at the site, and the share of them online when the window closed (0..100).
    public var devices = 0
    public var devicesOnlinePct = 0.0

    public init(site: String, windowStart: Int64, windowEnd: Int64) {
        self.site = site
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    mutating func add(_ lane: LaneWindow) {
        weighed += lane.weighed
        overLimit += lane.overLimit
        overRatedLoad += lane.overRatedLoad
        grossKg += lane.grossKg
        netKg += lane.netKg
        excessKg += lane.excessKg
        maxExcessPct = max(maxExcessPct, lane.maxExcessPct)
        exits += lane.exits
        unweighedExits += lane.unweighedExits
        releasedOverloaded += lane.releasedOverloaded
        duplicates += lane.duplicates
        late += lane.late
    }
}
