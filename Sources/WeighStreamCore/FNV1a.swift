/// 64-bit FNV-1a over bytes, integers and strings: the same value on every machine and every run, for
/// digests that are stored (record digests in dedup entries, snapshot generations). Never 0, which stands for
/// "unknown" in dedup entries restored from older snapshots.
struct FNV1a {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func byte(_ b: UInt8) { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    mutating func int(_ v: Int64) {
        var x = UInt64(bitPattern: v)
        for _ in 0..<8 { byte(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }
    mutating func string(_ s: String?) {
        guard var s else { byte(0xFF); return }
        // Over the contiguous bytes: the UTF-8 view's iterator costs several times more per byte.
        s.withUTF8 { for b in $0 { byte(b) } }
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
