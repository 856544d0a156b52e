/// A tumbling event-time window size with its alignment: windows start where (ts + offset) is a multiple of
/// the size. `offsetMs` 8 h aligns a day to midnight in UTC+8.
public struct WindowSpec: Sendable, Hashable {
    public var sizeMs: Int64
    public var offsetMs: Int64

    public init(sizeMs: Int64, offsetMs: Int64 = 0) {
        precondition(sizeMs > 0, "a window has a positive size")
        self.sizeMs = sizeMs
        self.offsetMs = offsetMs
    }

    public static let minute = WindowSpec(sizeMs: 60_000)
    public static let hour = WindowSpec(sizeMs: 3_600_000)
    /// The local day in China (UTC+8).
    public static let chinaDay = WindowSpec(sizeMs: 86_400_000, offsetMs: 8 * 3_600_000)

    /// The start of the window holding `ts`.
    public func start(of ts: Int64) -> Int64 {
        let shifted = ts + offsetMs
        var q = shifted / sizeMs
        if shifted % sizeMs < 0 { q -= 1 }
        return q * sizeMs - offsetMs
    }
}
