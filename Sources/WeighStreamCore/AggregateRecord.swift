/// What every case of `Aggregate` has, for code that looks into the enum once and then works on the case:
/// each read through the enum copies all of it.
public protocol AggregateRecord: Sendable {
    /// The wire `kind`.
    static var kind: String { get }
    var site: String { get }
    /// Writes the record as the contract's JSON object.
    func encode(into w: inout JSONWriter)
}
