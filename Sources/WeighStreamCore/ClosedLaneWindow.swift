/// An hour or day lane window already emitted (or first created by a late record), kept for
/// `late_retention_ms` after its end so that late records revise it (contract 1.1, window revisions).
public struct ClosedLaneWindow: Sendable, Hashable {
    public var spec: Int
    /// Its totals so far; `revision` is the last one emitted (-1: never emitted).
    public var window: LaneWindow
    /// Late records arrived since the last emission.
    public var dirty = false
    /// Event time (weigh-events clock) before which it is not emitted again.
    public var nextEmit: Int64
}
