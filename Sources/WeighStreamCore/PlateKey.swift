/// A plate number as a site's plate table keys it: compared byte for byte (its UTF-8), hashed from a digest
/// of its bytes taken once (`HashedID`).
///
/// `String` hashes and compares by Unicode canonical equivalence, which for text that is not ASCII (every
/// Chinese plate: `晋M12345`) runs its normalising path on every lookup: callgrind put that path at 7 % of
/// detection on weigh records. Plates are opaque ids from one producer's bytes, like Kafka keys; the characters
/// of Chinese plates (province and suffix characters such as 晋, 挂, 学, Latin letters, digits) have no second
/// canonical form, so byte equality is the same relation for them, and its order (UTF-8 bytes, that is code
/// points) is the order `String` gives them. (A producer mixing a CJK compatibility ideograph with its unified
/// twin would now send two plates; no plate alphabet uses those.)
public struct PlateKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The plate with its digest (`HashedID`): a plate is hashed about five times per weigh (lookup, insert,
    /// the expiry heaps' lookups, a dictionary deletion's shifted neighbours), from one pass over its bytes.
    let id: HashedID

    public var plate: String { id.string }

    public init(_ plate: String) { id = HashedID(plate) }
    public init(stringLiteral plate: String) { id = HashedID(plate) }

    public var description: String { plate }

    public static func == (a: PlateKey, b: PlateKey) -> Bool { a.id == b.id }

    public func hash(into hasher: inout Hasher) { id.hash(into: &hasher) }

    /// The digest's hash, without SipHash (`HashedID._rawHashValue(seed:)`).
    public func _rawHashValue(seed: Int) -> Int { id._rawHashValue(seed: seed) }

    public static func < (a: PlateKey, b: PlateKey) -> Bool { a.id < b.id }
}
