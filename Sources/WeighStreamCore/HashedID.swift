/// An id string as a state table keys it: compared by its UTF-8 bytes and hashed from a 64-bit FNV-1a of them
/// taken once, when the key is made.
///
/// Why: the detector's tables (a site's plates, its dedup ids) hash a key on every insert and lookup, again on
/// every expiry, and a dictionary's deletion rehashes the neighbours it shifts; `Hasher.combine(bytes:)` over
/// the whole string each time was the largest single item of detection on weigh records (callgrind,
/// `scripts/profile detect-weighs`). With the digest stored, each of those hashes one word, and a probe that
/// meets another key is turned away by comparing digests before any byte. The processor's site index and each
/// site's devices are keyed the same way: every record looked its site up, and every heartbeat its device,
/// through `String`'s SipHash (about 360 instructions a lookup; 14 % of detection on the simulator mix).
///
/// Byte equality, not `String`'s canonical equivalence: ids are opaque producer bytes, as Kafka keys are, so a
/// record's id or plate is compared as written (an id sent once composed and once decomposed is two ids).
///
/// Public because a site's devices are keyed by it (`SiteState.devices`); a string literal makes one, so
/// `site.devices["S1-SC1"]` reads as before.
public struct HashedID: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The id as written.
    public let string: String
    let digest: UInt64

    /// The id with its digest, taken here once.
    public init(_ string: String) {
        self.string = string
        digest = FNV1a.fold(FNV1a.offsetBasis, string)
    }

    public init(stringLiteral string: String) { self.init(string) }

    public var description: String { string }

    public static func == (a: HashedID, b: HashedID) -> Bool {
        guard a.digest == b.digest else { return false }
        // The same representation is the same bytes: ids of up to 15 bytes (site and device ids) are stored
        // inline, so two equal ones have equal words, and reaching their bytes would copy each to the stack.
        if unsafeBitCast(a.string, to: (UInt64, UInt64).self) == unsafeBitCast(b.string, to: (UInt64, UInt64).self) { return true }
        let same = a.string.utf8.withContiguousStorageIfAvailable { p in
            b.string.utf8.withContiguousStorageIfAvailable { q in Self.same(p, q) }
        }
        return (same ?? nil) ?? a.string.utf8.elementsEqual(b.string.utf8)
    }

    /// Whether two ids have the same bytes. Equal digests nearly always mean equal ids, so this runs to the end.
    static func same(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        x.count == y.count && compare(x, y) == 0
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }

    /// What `Dictionary` and `Set` hash a key by: the stored digest mixed with the table's seed (SplitMix64's
    /// finaliser), not SipHash over it. The tables of a site hash a key about five times per weigh, and
    /// `Hasher`'s set-up and finalisation over the one word were 8 % of detection on weigh records (callgrind).
    /// The seed still differs per table and process, so which keys share a bucket cannot be chosen from
    /// outside; keys whose digests are equal share one either way (as they did through SipHash), and their
    /// bytes still tell them apart.
    public func _rawHashValue(seed: Int) -> Int {
        var x = digest ^ UInt64(UInt(bitPattern: seed))
        x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
        x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: x ^ (x >> 31))
    }

    /// UTF-8 byte order, which is code-point order: the order `String` gives these ids.
    public static func < (a: HashedID, b: HashedID) -> Bool {
        let before = a.string.utf8.withContiguousStorageIfAvailable { p in
            b.string.utf8.withContiguousStorageIfAvailable { q in Self.precedes(p, q) }
        }
        return (before ?? nil) ?? a.string.utf8.lexicographicallyPrecedes(b.string.utf8)
    }

    /// Whether `x` comes before `y` in byte order.
    static func precedes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool { compare(x, y) < 0 }

    /// Byte order, -1, 0 or 1, eight bytes at a time: the first words that differ are compared as big-endian
    /// numbers. The generic `lexicographicallyPrecedes` went byte by byte through an iterator (callgrind: 160
    /// instructions per comparison of two device ids when sorting).
    private static func compare(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        if n > 0, let px = x.baseAddress, let py = y.baseAddress {
            let rx = UnsafeRawPointer(px), ry = UnsafeRawPointer(py)
            var i = 0
            while i + 8 <= n {
                let u = rx.loadUnaligned(fromByteOffset: i, as: UInt64.self), v = ry.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if u != v { return u.bigEndian < v.bigEndian ? -1 : 1 }
                i += 8
            }
            while i < n {
                if px[i] != py[i] { return px[i] < py[i] ? -1 : 1 }
                i += 1
            }
        }
        return x.count == y.count ? 0 : x.count < y.count ? -1 : 1
    }
}
