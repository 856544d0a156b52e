/// Writes compact JSON into a reusable byte buffer, without Foundation.
///
/// Objects are written field by field (`key` adds the comma); strings are escaped as RFC 8259 requires,
/// so the output parses with any standard JSON parser.
///
/// The buffer is kept at its full capacity and written through a cursor: each field is one capacity check
/// and one copy. Appending to an array instead paid its uniqueness and capacity checks and its generic
/// `append(contentsOf:)` for every piece of every field (callgrind: a fifth of encoding a window aggregate
/// was in `append(contentsOf:)` alone).
public struct JSONWriter: Sendable {
    /// Written: `storage[..<length]`; the rest is room.
    private var storage: [UInt8]
    private var length = 0
    private var needsComma = false

    public init(capacity: Int = 512) { storage = [UInt8](repeating: 0, count: max(capacity, 16)) }

    /// The bytes written so far (a copy).
    public var bytes: [UInt8] { Array(storage[..<length]) }

    /// How many bytes are written so far.
    public var count: Int { length }

    /// The bytes written, handed over without a copy; the writer starts over empty.
    public mutating func take() -> [UInt8] {
        storage.removeSubrange(length...)
        let out = storage
        storage = []
        length = 0
        needsComma = false
        return out
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() {
        length = 0
        needsComma = false
    }

    public mutating func beginObject() {
        separate()
        put(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        put(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        put(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        put(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":`; the next value follows.
    public mutating func key(_ name: StaticString) {
        let count = name.utf8CodeUnitCount
        let comma = needsComma
        write(count + 4) { p in
            var i = 0
            if comma { p[0] = UInt8(ascii: ","); i = 1 }
            p[i] = UInt8(ascii: "\"")
            (p + i + 1).update(from: name.utf8Start, count: count)
            p[i + 1 + count] = UInt8(ascii: "\"")
            p[i + 2 + count] = UInt8(ascii: ":")
            return i + 3 + count
        }
        needsComma = false
    }

    /// Writes `"name":` for a name known only at run time (escaped as any string). Named apart from
    /// `key(_:)`: a literal given to an overloaded `key` took the `String` one, scanning each field name for
    /// escapes (perf: field names were half of encoding a window aggregate).
    public mutating func dynamicKey(_ name: String) {
        string(name)
        put(UInt8(ascii: ":"))
        needsComma = false
    }

    public mutating func string(_ s: String) {
        separate()
        put(UInt8(ascii: "\""))
        // Most strings (ids, plates, enumerated values) need no escape: one bulk copy.
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            if let base = utf8.baseAddress { put(base, utf8.count) }
            return true
        } ?? false
        if !plain { escape(s) }
        put(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func escape(_ s: String) {
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): put(0x5C); put(b)
            case UInt8(ascii: "\\"): put(0x5C); put(b)
            case 0x0A: put(0x5C); put(UInt8(ascii: "n"))
            case 0x0D: put(0x5C); put(UInt8(ascii: "r"))
            case 0x09: put(0x5C); put(UInt8(ascii: "t"))
            case 0..<0x20:
                literal("\\u00")
                put(.hexDigit(b >> 4))
                put(.hexDigit(b & 0xF))
            default: put(b)
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
        if scaled < 0 { put(UInt8(ascii: "-")) }
        let magnitude = scaled.magnitude
        appendInteger(Int64(magnitude / UInt64(scale)))
        var fraction = magnitude % UInt64(scale)
        if fraction != 0 {
            var digits = decimals
            while fraction % 10 == 0 {
                fraction /= 10
                digits -= 1
            }
            write(digits + 1) { p in
                p[0] = UInt8(ascii: ".")
                var i = digits
                while i > 0 {
                    p[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                    fraction /= 10
                    i -= 1
                }
                return digits + 1
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
        put(s.utf8Start, s.utf8CodeUnitCount)
    }

    private mutating func separate() {
        if needsComma { put(UInt8(ascii: ",")) }
    }

    private mutating func appendInteger(_ v: Int64) {
        // Digits written backwards from the end of room for the longest (a sign and 19 digits), two at a time
        // from a table of pairs, then moved to the front: 13-digit timestamps are most of the integers
        // written, and digit by digit they were a fifth of encoding a window aggregate (callgrind).
        var x = v.magnitude
        let pairs = Self.digitPairs.utf8Start
        write(20) { p in
            var i = 20
            while x >= 100 {
                let pair = Int(x % 100) &* 2
                x /= 100
                i -= 2
                p[i] = pairs[pair]
                p[i + 1] = pairs[pair + 1]
            }
            if x >= 10 {
                let pair = Int(x) &* 2
                i -= 2
                p[i] = pairs[pair]
                p[i + 1] = pairs[pair + 1]
            } else {
                i -= 1
                p[i] = UInt8(ascii: "0") &+ UInt8(x)
            }
            if v < 0 {
                i -= 1
                p[i] = UInt8(ascii: "-")
            }
            let count = 20 - i
            if i > 0 { UnsafeMutableRawPointer(p).copyMemory(from: p + i, byteCount: count) }  // may overlap: memmove
            return count
        }
    }

    /// "00", "01", ... "99" back to back.
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    private mutating func put(_ byte: UInt8) {
        write(1) { p in
            p[0] = byte
            return 1
        }
    }

    private mutating func put(_ source: UnsafePointer<UInt8>, _ count: Int) {
        write(count) { p in
            p.update(from: source, count: count)
            return count
        }
    }

    /// Makes room for up to `room` bytes at the cursor; `body` writes them and says how many it wrote.
    @inline(__always)
    private mutating func write(_ room: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if length + room > storage.count { grow(to: length + room) }
        let start = length
        length += storage.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
    }

    private mutating func grow(to needed: Int) {
        storage.append(contentsOf: repeatElement(0, count: max(needed, 2 * storage.count) - storage.count))
    }
}
