/// A `lane-window` aggregate: one lane's counts over one tumbling window. Also the open window's state.
public struct LaneWindow: Sendable, Hashable {
    public var site: String
    public var lane: Int
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

    public init(site: String, lane: Int, windowStart: Int64, windowEnd: Int64) {
        self.site = site
        self.lane = lane
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
