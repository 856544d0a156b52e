/// Reads what `BinaryWriter` wrote, failing on truncated or malformed input rather than trapping.
struct BinaryReader {
    struct Malformed: Error {}
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint() throws(Malformed) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count, shift < 64 else { throw Malformed() }
            let b = bytes[index]
            index += 1
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    mutating func int() throws(Malformed) -> Int64 {
        let u = try uint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    mutating func intValue() throws(Malformed) -> Int { Int(try int()) }
    mutating func int32() throws(Malformed) -> Int32 {
        let v = try int()
        guard let narrow = Int32(exactly: v) else { throw Malformed() }
        return narrow
    }

    mutating func byte() throws(Malformed) -> UInt8 {
        guard index < bytes.count else { throw Malformed() }
        index += 1
        return bytes[index - 1]
    }

    mutating func bool() throws(Malformed) -> Bool { try byte() != 0 }
    mutating func double() throws(Malformed) -> Double { Double(bitPattern: try uint()) }

    mutating func string() throws(Malformed) -> String {
        // A crafted length must fail here, not trap in a conversion or an addition.
        guard let n = Int(exactly: try uint()), n <= bytes.count - index else { throw Malformed() }
        defer { index += n }
        guard let s = String(validating: bytes[index..<index + n], as: UTF8.self) else { throw Malformed() }
        return s
    }

    mutating func optionalString() throws(Malformed) -> String? { try bool() ? try string() : nil }

    mutating func count(max: Int = 10_000_000) throws(Malformed) -> Int {
        let n = try uint()
        guard n <= UInt64(max) else { throw Malformed() }
        return Int(n)
    }
}
