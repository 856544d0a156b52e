/// Writes compact JSON into a reusable byte buffer, without Foundation.
///
/// Objects are written field by field (`key` adds the comma); strings are escaped as RFC 8259 requires,
/// so the output parses with any standard JSON parser.
public struct JSONWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var needsComma = false

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the next value follows.
    public mutating func key(_ name: StaticString) {
        // `,"name":` assembled on the stack and appended at once: five appends each paid the array's
        // uniqueness and capacity checks (callgrind: keys were a third of encoding a window aggregate).
        let count = name.utf8CodeUnitCount
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 4) { t in
            var i = 0
            if needsComma { t[i] = UInt8(ascii: ","); i += 1 }
            t[i] = UInt8(ascii: "\""); i += 1
            (t.baseAddress! + i).initialize(from: name.utf8Start, count: count)
            i += count
            t[i] = UInt8(ascii: "\""); t[i + 1] = UInt8(ascii: ":")
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: t[..<(i + 2)]))
        }
        needsComma = false
    }

    /// Writes `"name":` for a name known only at run time (escaped as any string). Named apart from
    /// `key(_:)`: a literal given to an overloaded `key` took the `String` one, scanning each field name for
    /// escapes (perf: field names were half of encoding a window aggregate).
    public mutating func dynamicKey(_ name: String) {
        string(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ s: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        // Most strings (ids, plates, enumerated values) need no escape: one bulk copy instead of an append
        // per byte, each with its own uniqueness and capacity check (perf: this loop and the digit-by-digit
        // integers were a tenth of the pipeline's CPU on a weigh-only feed).
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            bytes.append(contentsOf: utf8)
            return true
        } ?? false
        if !plain { escape(s) }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func escape(_ s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(b)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(b)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0..<0x20:
                literal("\\u00")
                bytes.append(.hexDigit(b >> 4))
                bytes.append(.hexDigit(b & 0xF))
            default: bytes.append(b)
            }
        }
    }

    public mutating func int(_ v: some BinaryInteger) {
        separate()
        appendInteger(Int64(v))
        needsComma = true
    }

    /// A decimal with at most `decimals` fraction digits, trailing zeros dropped (`6.82`, `25`, `0.5`).
    public mutating func number(_ v: Double, decimals: Int = 2) {
        separate()
        guard v.isFinite, abs(v) < 9.0e15 else {
            literal("null")
            needsComma = true
            return
        }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (v * Double(scale)).nearestInteger
        if scaled < 0 { bytes.append(UInt8(ascii: "-")) }
        let magnitude = scaled.magnitude
        appendInteger(Int64(magnitude / UInt64(scale)))
        var fraction = magnitude % UInt64(scale)
        if fraction != 0 {
            var digits = decimals
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            bytes.append(UInt8(ascii: "."))
            // Zeros first, then the digits written over them from the end, in place: a separate array for
            // them was an allocation per decimal.
            let first = bytes.count
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
            var i = first + digits - 1
            while fraction > 0 {
                bytes[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
                i -= 1
            }
        }
        needsComma = true
    }

    public mutating func bool(_ v: Bool) {
        separate()
        literal(v ? "true" : "false")
        needsComma = true
    }

    public mutating func null() {
        separate()
        literal("null")
        needsComma = true
    }

    public mutating func optionalString(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    public mutating func optionalInt(_ v: (some BinaryInteger)?) {
        if let v { int(v) } else { null() }
    }

    /// Appends a literal's bytes as they are (no allocation).
    private mutating func literal(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendInteger(_ v: Int64) {
        if v == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var x = v.magnitude
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits written backwards from the end of a stack buffer, then appended in one copy.
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &tmp) { buf in
            var i = buf.count
            while x > 0 {
                i -= 1
                buf[i] = UInt8(ascii: "0") + UInt8(x % 10)
                x /= 10
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buf[i...]))
        }
    }
}
