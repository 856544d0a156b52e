/// An exit a site remembers for its plate, so that a second read of the same exit within `exit_repeat_ms`
/// raises nothing (front and rear cameras, a re-read at the gate).
public struct ExitMark: Sendable, Hashable {
    public var color: String?
    public var ts: Int64
}
