/// 64-bit FNV-1a over bytes, integers and strings: the same value on every machine and every run, for
/// digests that are stored (record digests in dedup entries, snapshot generations). Never 0, which stands for
/// "unknown" in dedup entries restored from older snapshots.
struct FNV1a {
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    var h = offsetBasis
    mutating func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }

    /// `h` folded over `bytes`.
    static func fold(_ h: UInt64, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = h
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// `h` folded over a string's UTF-8: over its contiguous bytes when it has them (a native string, read
    /// without a copy or a retain; the UTF-8 view's iterator costs several times more per byte).
    static func fold(_ h: UInt64, _ s: String) -> UInt64 {
        s.utf8.withContiguousStorageIfAvailable { fold(h, $0) } ?? Array(s.utf8).withUnsafeBufferPointer { fold(h, $0) }
    }
    mutating func int(_ v: Int64) {
        var x = UInt64(bitPattern: v)
        for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    mutating func string(_ s: String?) {
        guard let s else { byte(0xFF); return }
        h = Self.fold(h, s)
        byte(0x1F)
    }
    mutating func strings(_ list: [String]?) {
        guard let list else { byte(0xFE); return }
        int(Int64(list.count))
        for s in list { string(s) }
    }
    mutating func optional(_ v: Int?) {
        guard let v else { byte(0xFD); return }
        int(Int64(v))
    }
    var value: UInt64 { h == 0 ? 1 : h }
}
