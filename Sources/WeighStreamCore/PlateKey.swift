/// A plate number as a site's plate table keys it: compared and hashed byte for byte (its UTF-8).
///
/// `String` hashes and compares by Unicode canonical equivalence, which for text that is not ASCII (every
/// Chinese plate: `晋M12345`) runs its normalising path on every lookup: callgrind put that path at 7 % of
/// detection on weigh records. Plates are opaque ids from one producer's bytes, like Kafka keys; the characters
/// of Chinese plates (province and suffix characters such as 晋, 挂, 学, Latin letters, digits) have no second
/// canonical form, so byte equality is the same relation for them, and its order (UTF-8 bytes, that is code
/// points) is the order `String` gives them. (A producer mixing a CJK compatibility ideograph with its unified
/// twin would now send two plates; no plate alphabet uses those.)
public struct PlateKey: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let plate: String

    public init(_ plate: String) { self.plate = plate }
    public init(stringLiteral plate: String) { self.plate = plate }

    public var description: String { plate }

    public static func == (a: PlateKey, b: PlateKey) -> Bool {
        var a = a.plate, b = b.plate
        return a.withUTF8 { x in b.withUTF8 { y in Self.same(x, y) } }
    }

    // A plain loop: the generic `elementsEqual` was not specialised for byte buffers (2.6 % of detection).
    private static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        guard x.count == y.count else { return false }
        for i in 0..<x.count where x[i] != y[i] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        var s = plate
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    public static func < (a: PlateKey, b: PlateKey) -> Bool {
        var a = a.plate, b = b.plate
        return a.withUTF8 { x in b.withUTF8 { y in x.lexicographicallyPrecedes(y) } }
    }
}
