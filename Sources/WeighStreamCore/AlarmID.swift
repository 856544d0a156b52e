/// Deterministic alarm ids: 32 hex digits of a 128-bit FNV-1a hash over the alarm's identity (type, site,
/// and what makes the condition unique: the input event id, or device and time). Swift's `Hasher` is
/// seeded per process, so it cannot serve.
public enum AlarmID {
    public static func make(_ type: AlarmType, site: String, parts: [String]) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x6c62_272e_07bb_0142
        func mix(_ byte: UInt8) {
            h1 = (h1 ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            h2 = (h2 ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            h2 = h2 ^ (h1 >> 29)
        }
        func add(_ s: String) {
            for b in s.utf8 { mix(b) }
            mix(0x1F)
        }
        add("v1")
        add(type.name)
        add(site)
        for p in parts { add(p) }
        return hex(h1) + hex(h2)
    }

    private static func hex(_ v: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { out in
            var x = v
            for i in (0..<16).reversed() {
                out[i] = .hexDigit(UInt8(x & 0xF))
                x >>= 4
            }
            return 16
        }
    }
}
