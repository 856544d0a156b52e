/// Reads a record written the usual way straight through: compact JSON, the fields in the contract's order
/// (as `InputEncoder`, the simulator and the gateways write them), no escapes, no `null`, every value valid.
///
/// The general reader (`FieldReader` with `EventFields` / `HeartbeatFields`) handles any order, unknown
/// fields, whitespace, escapes, `null`, decimals and bad values, and names the field at fault; for that it
/// dispatches on every key, keeps each field optional with its refusal and validates at the end: about half
/// of decoding. This reader only follows the expected shape, and any surprise (a field elsewhere, a value it
/// does not read in place, a value the contract refuses) returns nil: the record is then decoded by the
/// general reader from its first byte, which gives the same record or the error. So this reader never
/// decides a rejection; it only accepts what the general reader accepts, with the same result (a test
/// compares the two on clean, reordered and mutated records).
struct CompactReader {
    var scanner: JSONScanner

    init(_ base: UnsafePointer<UInt8>, count: Int) {
        scanner = JSONScanner(base: base, count: count)
    }

    /// Consumes `byte` if it is next (no whitespace skipped).
    @inline(__always)
    mutating func byte(_ byte: UInt8) -> Bool {
        guard scanner.index < scanner.count, scanner.base[scanner.index] == byte else { return false }
        scanner.index += 1
        return true
    }

    /// Consumes the key (and its separator) if it is next.
    @inline(__always)
    mutating func key(_ pattern: KeyPattern) -> Bool {
        let available = scanner.count - scanner.index
        guard pattern.matches(UnsafeRawPointer(scanner.base + scanner.index), available: available) else { return false }
        scanner.index += pattern.length
        return true
    }

    /// The closing brace, then nothing but whitespace.
    mutating func end() -> Bool {
        guard byte(UInt8(ascii: "}")) else { return false }
        scanner.skipWhitespace()
        return scanner.atEnd
    }

    /// A string without escapes or control bytes, its bytes in place. The general scanner's
    /// `readRawString` handles escapes and reports errors; this one stops at the first byte it does not
    /// take, which made reading strings half as costly (they are most of a record's bytes).
    @inline(__always)
    mutating func raw() -> (start: Int, end: Int, isASCII: Bool)? {
        let b = scanner.base, n = scanner.count
        var i = scanner.index
        guard i < n, b[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        let start = i
        var high: UInt64 = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        while i + 8 <= n {
            let w = UInt64(littleEndian: UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self))
            if let skip = JSONScanner.firstSpecial(in: w) {
                // Only a quote ends the string here.
                high |= w & ((1 << (UInt64(skip) * 8)) &- 1)
                i += skip
                guard b[i] == UInt8(ascii: "\"") else { return nil }
                scanner.index = i + 1
                return (start, i, high & highs == 0)
            }
            high |= w
            i += 8
        }
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                scanner.index = i + 1
                return (start, i, high & highs == 0)
            }
            guard c != UInt8(ascii: "\\"), c >= 0x20 else { return nil }
            high |= UInt64(c)
            i += 1
        }
        return nil
    }

    /// The bytes of a string `raw` found, between its quotes.
    @inline(__always)
    func bytes(of raw: (start: Int, end: Int, isASCII: Bool)) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: scanner.base + raw.start, count: raw.end - raw.start)
    }

    /// A string without escapes, validated as UTF-8.
    @inline(__always)
    mutating func string() -> String? {
        guard let raw = raw() else { return nil }
        return UTF8Validation.string(bytes(of: raw), ascii: raw.isASCII)
    }

    /// A string the contract requires to be non-empty.
    @inline(__always)
    mutating func nonEmptyString() -> String? {
        guard let raw = raw(), raw.end > raw.start else { return nil }
        return UTF8Validation.string(bytes(of: raw), ascii: raw.isASCII)
    }

    /// An enumerated value: `parse` maps the string's bytes.
    @inline(__always)
    mutating func enumerated<T>(_ parse: (UnsafeBufferPointer<UInt8>) -> T?) -> T? {
        guard let raw = raw() else { return nil }
        return parse(bytes(of: raw))
    }

    /// An integer written plainly (an optional minus, up to 18 digits, no leading zero, no fraction): the
    /// general reader reads it to the same value. Decimals, exponents and longer numbers are left to it.
    @inline(__always)
    mutating func integer() -> Int64? {
        let negative = byte(UInt8(ascii: "-"))
        guard let (v, end) = scanner.plainInteger(at: scanner.index) else { return nil }
        scanner.index = end
        return negative ? -v : v
    }

    /// `true` or `false`.
    @inline(__always)
    mutating func bool() -> Bool? {
        if scanner.matchWord("true") { return true }
        if scanner.matchWord("false") { return false }
        return nil
    }

    /// A number as the general reader reads it (`disk_free_pct`).
    mutating func number() -> Double? {
        let start = scanner.index
        if let v = integer() { return Double(v) }
        scanner.index = start
        return (try? scanner.readNumber())?.double
    }

    /// An array of strings without escapes, in compact form.
    mutating func strings() -> [String]? {
        guard byte(UInt8(ascii: "[")) else { return nil }
        var out: [String] = []
        if byte(UInt8(ascii: "]")) { return out }
        while true {
            guard let s = string() else { return nil }
            out.append(s)
            if byte(UInt8(ascii: "]")) { return out }
            guard byte(UInt8(ascii: ",")) else { return nil }
        }
    }

    /// An array of plain non-negative integers up to `max`, in compact form.
    mutating func integers(max: Int64) -> [Int]? {
        guard byte(UInt8(ascii: "[")) else { return nil }
        var out: [Int] = []
        if byte(UInt8(ascii: "]")) { return out }
        while true {
            guard scanner.index < scanner.count, scanner.base[scanner.index] != UInt8(ascii: "-"),
                let v = integer(), v <= max else { return nil }
            out.append(Int(v))
            if byte(UInt8(ascii: "]")) { return out }
            guard byte(UInt8(ascii: ",")) else { return nil }
        }
    }
}
