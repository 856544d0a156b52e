/// A decoded input record and the optional fields it was decoded without (contract 1.1, partial records).
///
/// A record whose required fields are good is processed even when an optional field is bad; `partial` holds
/// one error per dropped field, naming it, for the copy that goes to the dead-letter topic with
/// `ws.partial: true`. Empty (no allocation) for a clean record.
public struct DecodedRecord: Sendable, Hashable {
    public var record: InputRecord
    public var partial: [DecodeError]

    public init(record: InputRecord, partial: [DecodeError] = []) {
        self.record = record
        self.partial = partial
    }

    /// The dead-letter reason of a partial record: each dropped field's error, joined.
    public var partialReason: String { partial.map(\.description).joined(separator: "; ") }
}
