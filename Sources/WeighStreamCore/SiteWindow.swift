/// A `site-window` aggregate: the lane counts summed over a site's lanes, plus its devices.
public struct SiteWindow: Sendable, Hashable {
    public var site: String
    public var windowStart: Int64
    public var windowEnd: Int64
    public var counts = WindowCounts()
    /// Devices known at the site, and the share of them online when the window closed (0..100).
    public var devices = 0
    public var devicesOnlinePct = 0.0

    public init(site: String, windowStart: Int64, windowEnd: Int64) {
        self.site = site
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
