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
        // One string of 32 digits written in place: two strings of 16 joined were three allocations per alarm.
        return String(unsafeUninitializedCapacity: 32) { out in
            hex(h1, into: out, at: 0)
            hex(h2, into: out, at: 16)
            return 32
        }
    }

    private static func hex(_ v: UInt64, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) {
        var x = v
        for i in (start..<start + 16).reversed() {
            out[i] = .hexDigit(UInt8(x & 0xF))
            x >>= 4
        }
    }
}
