import WeighStreamCore

/// What the simulator put into the stream so far: the alarms a correct processor must raise for it, the
/// dead letters and duplicates it must report.
public struct InjectedCounts: Sendable, Hashable {
    public var alarms: [AlarmType: Int] = [:]
    public var deadLetters = 0
    public var duplicates = 0
    public var records = 0
    /// Records with a bad optional field: processed, with a copy in the dead-letter topic (`ws.partial`).
    public var partialRecords = 0
    /// Second exit reads of one exit (front and rear cameras): counted in `repeat_exits`, raising nothing.
    public var repeatExits = 0

    public init() {}

    public var alarmsTotal: Int { alarms.values.reduce(0, +) }
}
