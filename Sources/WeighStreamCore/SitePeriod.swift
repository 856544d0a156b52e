/// One site window in the making: its lanes' counts (from the weigh-events clock) joined with its devices'
/// time online (from the heartbeats clock). It is emitted once both sides have closed it, so that
/// `devices_online_pct` is the same on every replay whichever topic was read further; hour and day periods
/// stay for `late_retention_ms` after their end, for revisions.
public struct SitePeriod: Sendable, Hashable {
    public var spec: Int
    public var start: Int64
    public var end: Int64
    /// Sum of the lane windows closed for it (windows shorter than an hour; longer ones sum their retained lanes).
    public var counts = WindowCounts()
    /// Whether a lane window of the site existed in it: a site window exists only then.
    public var hasLanes = false
    /// Device-time: online milliseconds (availability x covered), known milliseconds, and how many devices.
    public var onlineMs = 0.0
    public var deviceMs: Int64 = 0
    public var devices = 0
    /// The last revision emitted (-1: not yet emitted).
    public var revision = -1
    public var dirty = false
    public var nextEmit: Int64 = .min

    public init(spec: Int, start: Int64, end: Int64) {
        self.spec = spec
        self.start = start
        self.end = end
    }
}
