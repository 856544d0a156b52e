/// A site's counts for the local day so far (site-status `today`).
public struct TodayCounts: Sendable, Hashable {
    /// Start of the local day counted (epoch ms); `.min` before the site's first weigh-events record.
    public var dayStart: Int64 = .min
    public var weighed = 0
    public var overLimit = 0
    public var releasedOverloaded = 0
    public var unweighedExits = 0

    public init() {}

    var isZero: Bool { weighed == 0 && overLimit == 0 && releasedOverloaded == 0 && unweighedExits == 0 }
}
