/// Writes compact JSON into a reusable byte buffer, without Foundation.
///
/// Objects are written field by field (`key` adds the comma); strings are escaped as RFC 8259 requires,
/// so the output parses with any standard JSON parser.
///
/// The buffer is written through a cursor: each field is one capacity check and one copy. Appending to an
/// array instead paid its uniqueness and capacity checks and its generic `append(contentsOf:)` for every
/// piece of every field (callgrind: a fifth of encoding a window aggregate was in `append(contentsOf:)`
/// alone), and writing through an array's `withUnsafeMutableBufferPointer` still paid a runtime uniqueness
/// check per key, value and comma. A writer cannot be copied, so it owns its buffer outright: it is passed
/// `inout`, kept by whoever writes many records, and frees its buffer when it goes away.
///
/// `@unchecked Sendable`: the buffer is reached only through this non-copyable value, so whoever holds the
/// writer is the only one who can read or write its bytes.
public struct JSONWriter: ~Copyable, @unchecked Sendable {
    /// Written: the first `length` bytes; the rest, up to `capacity`, is room.
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var length = 0
    private var needsComma = false

    public init(capacity: Int = 512) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far (a copy).
    public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: length)) }

    /// How many bytes are written so far.
    public var count: Int { length }

    /// The bytes written; the writer starts over empty and keeps its buffer for the next record, so a writer
    /// kept between records allocates only the array it hands over.
    public mutating func take() -> [UInt8] {
        let out = bytes
        reset()
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

    /// Writes `"name":`; the next value follows. Inlined where it is written: the name's length is then a
    /// constant, and its copy a few moves instead of a `memcpy` call (a field name's call and copy were a
    /// quarter of encoding a weigh-only run's outputs).
    @inline(__always)
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
        // Most strings (ids, plates, enumerated values) need no escape: the comma, quotes and bytes in one
        // write.
        let comma = needsComma
        let plain = s.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            for b in utf8 where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return false }
            let count = utf8.count
            write(count + 3) { p in
                var i = 0
                if comma { p[0] = UInt8(ascii: ","); i = 1 }
                p[i] = UInt8(ascii: "\"")
                if let base = utf8.baseAddress { (p + i + 1).update(from: base, count: count) }
                p[i + 1 + count] = UInt8(ascii: "\"")
                return i + 2 + count
            }
            return true
        } ?? false
        if !plain {
            separate()
            put(UInt8(ascii: "\""))
            escape(s)
            put(UInt8(ascii: "\""))
        }
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
        let v = Int64(v)
        // Most counts in an aggregate are single digits (zero, mostly): one write with its comma.
        if v >= 0 && v < 10 {
            let comma = needsComma
            write(2) { p in
                if comma {
                    p[0] = UInt8(ascii: ",")
                    p[1] = UInt8(ascii: "0") &+ UInt8(v)
                    return 2
                }
                p[0] = UInt8(ascii: "0") &+ UInt8(v)
                return 1
            }
        } else {
            separate()
            appendInteger(v)
        }
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
        // Digits written backwards, two at a time from a table of pairs, straight into their place: 13-digit
        // timestamps are most of the integers written, and digit by digit they were a fifth of encoding a
        // window aggregate (callgrind); written at the end of 20 bytes of room and then moved to the front,
        // each paid a `memmove` call.
        var x = v.magnitude
        let sign = v < 0 ? 1 : 0
        let count = sign + Self.digitCount(x)
        let pairs = Self.digitPairs.utf8Start
        write(count) { p in
            var i = count
            while x >= 100 {
                let pair = Int(x % 100) &* 2
                x /= 100
                i -= 2
                p[i] = pairs[pair]
                p[i + 1] = pairs[pair + 1]
            }
            if x >= 10 {
                let pair = Int(x) &* 2
                p[i - 2] = pairs[pair]
                p[i - 1] = pairs[pair + 1]
            } else {
                p[i - 1] = UInt8(ascii: "0") &+ UInt8(x)
            }
            if sign == 1 { p[0] = UInt8(ascii: "-") }
            return count
        }
    }

    /// The decimal digits of `x` (one for 0): from its bit length (log10(2) is about 1233/4096), corrected
    /// by one comparison. `x | 1` counts as `x` does (powers of ten above 1 are even) and makes 0 count as 1.
    @inline(__always)
    private static func digitCount(_ x: UInt64) -> Int {
        let y = x | 1
        let guess = ((64 - y.leadingZeroBitCount) &* 1233) >> 12
        return guess + (y >= powersOfTen[guess] ? 1 : 0)
    }

    /// 10^0 ... 10^19, written out: a literal list of constants is laid out by the compiler, where a computed
    /// one was initialized lazily and checked (`swift_once`) on every integer written.
    private static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

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
        if _slowPath(length + room > capacity) { grow(to: length + room) }
        length += body(base + length)
    }

    private mutating func grow(to needed: Int) {
        let larger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.moveInitialize(from: base, count: length)
        base.deallocate()
        base = moved
        capacity = larger
    }
}
