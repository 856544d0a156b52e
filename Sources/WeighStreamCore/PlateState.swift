/// What a site remembers of a plate: its latest weigh, until the match window has passed.
public struct PlateState: Sendable, Hashable {
    public var eventID: String
    public var ts: Int64
    public var lane: Int
    public var grossKg: Int
    public var limitKg: Int

    public var overLimit: Bool { grossKg > limitKg }
}
