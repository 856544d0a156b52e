/// A weigh a site remembers for its plate, until the match and re-weigh windows have passed.
public struct PlateState: Sendable, Hashable {
    public var eventID: String
    /// Event time of the weigh (its `ts`, unless its clock was judged wrong).
    public var ts: Int64
    public var lane: Int
    public var grossKg: Int
    public var limitKg: Int
    /// The plate colour the weigh carried, if any.
    public var color: String?
    /// An exit matched it (contract 1.1): it yields no second `RELEASED_OVERLOADED`.
    public var consumed = false

    public var overLimit: Bool { grossKg > limitKg }
}
