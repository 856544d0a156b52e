/// What a `lane-window` and a `site-window` count: a site window is the sum of its lanes' counts.
public struct WindowCounts: Sendable, Hashable {
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
    /// (1.1) Exit reads within `exit_repeat_ms` of a counted exit of the same plate (not in `exits`).
    public var repeatExits = 0
    /// (1.1) Resends of an id with other content (also in `duplicates`).
    public var conflictingResends = 0

    public init() {}

    mutating func add(_ other: WindowCounts) {
        weighed += other.weighed
        overLimit += other.overLimit
        overRatedLoad += other.overRatedLoad
        grossKg += other.grossKg
        netKg += other.netKg
        excessKg += other.excessKg
        maxExcessPct = max(maxExcessPct, other.maxExcessPct)
        exits += other.exits
        unweighedExits += other.unweighedExits
        releasedOverloaded += other.releasedOverloaded
        duplicates += other.duplicates
        late += other.late
        repeatExits += other.repeatExits
        conflictingResends += other.conflictingResends
    }
}
