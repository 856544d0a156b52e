/// A `site-window` aggregate: the lane counts summed over a site's lanes, plus its devices.
public struct SiteWindow: Sendable, Hashable {
    public var site: String
    public var windowStart: Int64
    public var windowEnd: Int64
    public var counts = WindowCounts()
    /// Devices with a health window in this window, and the share of their device-time in it that they were
    /// online (0..100): each device's availability times the time it was known in the window, summed, over
    /// that time summed. Computed from device-health windows, so the same on every replay.
    public var devices = 0
    public var devicesOnlinePct = 0.0
    /// (1.1) 0 at first emission; hour and day windows revised by late records are re-emitted with + 1.
    public var revision = 0

    public init(site: String, windowStart: Int64, windowEnd: Int64) {
        self.site = site
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }
}
