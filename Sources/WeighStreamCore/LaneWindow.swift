/// A `lane-window` aggregate: one lane's counts over one tumbling window. Also the open window's state.
public struct LaneWindow: Sendable, Hashable {
    public var site: String
    public var lane: Int
    public var windowStart: Int64
    public var windowEnd: Int64
    public var counts = WindowCounts()
    /// (1.1) 0 at first emission; hour and day windows revised by late records are re-emitted with + 1.
    public var revision = 0

    public init(site: String, lane: Int, windowStart: Int64, windowEnd: Int64) {
        self.site = site
        self.lane = lane
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
