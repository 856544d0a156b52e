/// An hour or day device-health window already emitted (or first created by backfill), kept for
/// `late_retention_ms` after its end so that buffered heartbeats revise it (contract 1.1).
public struct ClosedDeviceWindow: Sendable, Hashable {
    public var window: DeviceWindow
    /// The last revision emitted (-1: never emitted).
    public var revision: Int
    public var dirty = false
    /// Event time (heartbeats clock) before which it is not emitted again.
    public var nextEmit: Int64
    /// What it last added to its site window's device-time: online milliseconds (availability x covered).
    public var onlineMs = 0.0
}
