/// Appends a compact binary encoding: LEB128 varints (zigzag for signed), length-prefixed UTF-8 strings.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func uint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    mutating func int(_ v: Int64) { uint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
    mutating func int(_ v: Int) { int(Int64(v)) }
    mutating func int(_ v: Int32) { int(Int64(v)) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func byte(_ v: UInt8) { bytes.append(v) }
    mutating func double(_ v: Double) { uint(v.bitPattern) }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            uint(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }
}
