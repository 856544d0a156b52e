/// A forward-only reader over the bytes of one JSON document, used by `InputDecoder`.
///
/// It never copies the input: strings without escapes become `String`s straight from the bytes (after UTF-8
/// validation), and keys and enumerated values are compared in place. Errors are a plain `ScanFailure`
/// (no allocation) that the decoder turns into a `DecodeError` naming the field being read.

struct JSONScanner {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index: Int = 0

    
    struct ScanFailure: Error {
        let message: StaticString
        init(_ message: StaticString) { self.message = message }
    }

    /// A string's raw bytes between the quotes, and whether they contain escapes.
    
    struct RawString {
        var start: Int
        var end: Int
        var hasEscapes: Bool
        /// Every byte below 0x80: no UTF-8 validation needed.
        var isASCII: Bool
    }

    
    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    
    var atEnd: Bool { index >= count }

    
    mutating func skipWhitespace() {
        while index < count {
            let c = base[index]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
            index += 1
        }
    }

    /// The next non-whitespace byte, not consumed.
    @inline(__always)
    mutating func peek() throws(ScanFailure) -> UInt8 {
        // Producers write compact JSON: the next byte is nearly always the one wanted.
        if index < count, base[index] > 0x20 { return base[index] }
        skipWhitespace()
        guard index < count else { throw ScanFailure("unexpected end of input") }
        return base[index]
    }

    
    mutating func expect(_ byte: UInt8, _ message: StaticString) throws(ScanFailure) {
        guard try peek() == byte else { throw ScanFailure(message) }
        index += 1
    }

    /// Reads a string token, leaving the cursor after its closing quote.
    ///
    /// Plain runs are skipped eight bytes at a time: a word holds a quote, a backslash or a control byte
    /// only if one of three bit tests fires, and the lowest byte it flags is the first such byte (little
    /// endian loads). Only that byte goes through the byte-by-byte checks.
    mutating func readRawString() throws(ScanFailure) -> RawString {
        guard try peek() == UInt8(ascii: "\"") else { throw ScanFailure("expected a string") }
        index += 1
        let start = index
        var escapes = false
        var high: UInt64 = 0
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index < count {
            while index + 8 <= count {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                if let skip = Self.firstSpecial(in: w) {
                    high |= w & ((1 << (UInt64(skip) * 8)) &- 1)
                    index += skip
                    break
                }
                high |= w
                index += 8
            }
            guard index < count else { break }
            let c = base[index]
            high |= UInt64(c)
            if c == UInt8(ascii: "\"") {
                let raw = RawString(start: start, end: index, hasEscapes: escapes, isASCII: high & highs == 0)
                index += 1
                return raw
            }
            if c == UInt8(ascii: "\\") {
                escapes = true
                index += 2
                continue
            }
            if c < 0x20 { throw ScanFailure("control character in string") }
            index += 1
        }
        throw ScanFailure("unterminated string")
    }

    /// The offset of the first quote, backslash or control byte among eight bytes loaded little endian, or
    /// nil: three bit tests, and the lowest byte they flag is exact (borrows only run upward).
    @inline(__always)
    static func firstSpecial(in w: UInt64) -> Int? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let special = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & 0x8080_8080_8080_8080
        return special == 0 ? nil : special.trailingZeroBitCount / 8
    }

    /// A plain non-negative integer of up to 18 digits at `start` (no sign, fraction, exponent or leading
    /// zero) followed by `,`, `}` or `]`: its value and the index after it. Up to 18 digits need no overflow
    /// check.
    @inline(__always)
    func plainInteger(at start: Int) -> (value: Int64, end: Int)? {
        var i = start
        var v: Int64 = 0
        while i < count {
            let d = base[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            v = v &* 10 &+ Int64(d)
            i += 1
        }
        let digits = i - start
        guard digits > 0, digits <= 18, i < count,
            base[i] == UInt8(ascii: ",") || base[i] == UInt8(ascii: "}") || base[i] == UInt8(ascii: "]"),
            digits == 1 || base[start] != UInt8(ascii: "0") else { return nil }
        return (v, i)
    }

    /// Skips `"name":` if it is next, byte for byte (so without escapes, and with the colon right after
    /// the quote); otherwise moves nothing but whitespace and returns false.
    mutating func skipKey(_ key: KeyPattern) -> Bool {
        skipWhitespace()
        guard key.matches(UnsafeRawPointer(base + index), available: count - index) else { return false }
        index += key.length
        return true
    }

    /// Whether a raw (escape-free) string equals `literal`.
    
    func equals(_ raw: RawString, _ literal: StaticString) -> Bool {
        let n = raw.end - raw.start
        guard !raw.hasEscapes, n == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        var i = 0
        while i < n {
            if base[raw.start + i] != lit[i] { return false }
            i += 1
        }
        return true
    }

    /// The string's value, unescaped and validated as UTF-8.
    
    func string(_ raw: RawString) throws(ScanFailure) -> String {
        if !raw.hasEscapes {
            let bytes = UnsafeBufferPointer(start: base + raw.start, count: raw.end - raw.start)
            guard let s = UTF8Validation.string(bytes, ascii: raw.isASCII) else { throw ScanFailure("invalid UTF-8") }
            return s
        }
        return try unescape(raw)
    }

    
    func unescape(_ raw: RawString) throws(ScanFailure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.end - raw.start)
        var i = raw.start
        while i < raw.end {
            let c = base[i]
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                i += 1
                continue
            }
            guard i + 1 < raw.end else { throw ScanFailure("bad escape") }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at: i, end: raw.end)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 6 <= raw.end, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") else {
                        throw ScanFailure("unpaired surrogate")
                    }
                    let low = try hex4(at: i + 2, end: raw.end)
                    guard (0xDC00...0xDFFF).contains(low) else { throw ScanFailure("unpaired surrogate") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw ScanFailure("unpaired surrogate")
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw ScanFailure("bad unicode escape") }
                out.append(contentsOf: UTF8.encode(unicode)!)
            default:
                throw ScanFailure("bad escape")
            }
        }
        guard let s = out.withUnsafeBufferPointer({ UTF8Validation.string($0) }) else { throw ScanFailure("invalid UTF-8") }
        return s
    }

    
    func hex4(at i: Int, end: Int) throws(ScanFailure) -> UInt32 {
        guard i + 4 <= end else { throw ScanFailure("bad unicode escape") }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = base[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw ScanFailure("bad unicode escape")
            }
            v = v << 4 | d
        }
        return v
    }

    /// Reads a number token with JSON's grammar (no leading zeros, no `+`, no bare `.`), at the cursor:
    /// callers have peeked past the whitespace already.
    mutating func readNumber() throws(ScanFailure) -> JSONNumber {
        guard index < count else { throw ScanFailure("unexpected end of input") }
        let start = index
        var negative = false
        if base[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard index < count, base[index] &- UInt8(ascii: "0") < 10 else { throw ScanFailure("expected a number") }
        if base[index] == UInt8(ascii: "0"), index + 1 < count, base[index + 1] &- UInt8(ascii: "0") < 10 {
            throw ScanFailure("leading zero in number")
        }
        // Up to 19 digits fit a UInt64 whatever they are, so no digit needs an overflow check; a longer
        // integer is read as a decimal, as any above Int64.max is.
        var value: UInt64 = 0
        let digitsStart = index
        while index < count {
            let d = base[index] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            value = value &* 10 &+ UInt64(d)
            index += 1
        }
        let overflow = index - digitsStart > 19
        var isInteger = true
        if index < count, base[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < count, base[index] &- UInt8(ascii: "0") < 10 else { throw ScanFailure("digit expected after '.'") }
            while index < count, base[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        }
        if index < count, base[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < count, base[index] == UInt8(ascii: "+") || base[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, base[index] &- UInt8(ascii: "0") < 10 else { throw ScanFailure("digit expected in exponent") }
            while index < count, base[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        }
        if isInteger && !overflow && value <= UInt64(Int64.max) {
            return .integer(negative ? -Int64(value) : Int64(value))
        }
        let text = String(decoding: UnsafeBufferPointer(start: base + start, count: index - start), as: UTF8.self)
        guard let d = Double(text), d.isFinite else { throw ScanFailure("number out of range") }
        return .decimal(d)
    }

    /// Reads `true`, `false` or `null`: `true`/`false` as a Bool, `null` as nil.
    
    mutating func readLiteral() throws(ScanFailure) -> Bool? {
        let c = try peek()
        if c == UInt8(ascii: "t"), matchWord("true") { return true }
        if c == UInt8(ascii: "f"), matchWord("false") { return false }
        if c == UInt8(ascii: "n"), matchWord("null") { return nil }
        throw ScanFailure("unexpected token")
    }

    
    mutating func matchWord(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard index + n <= count else { return false }
        for k in 0..<n where base[index + k] != word.utf8Start[k] { return false }
        index += n
        return true
    }

    /// Skips any value (for unknown fields), checking its syntax.
    
    mutating func skipValue(depth: Int = 0) throws(ScanFailure) {
        guard depth < 64 else { throw ScanFailure("nested too deeply") }
        switch try peek() {
        case UInt8(ascii: "\""):
            _ = try readRawString()
        case UInt8(ascii: "{"):
            index += 1
            if try peek() == UInt8(ascii: "}") { index += 1; return }
            while true {
                _ = try readRawString()
                try expect(UInt8(ascii: ":"), "expected ':'")
                try skipValue(depth: depth + 1)
                let c = try peek()
                index += 1
                if c == UInt8(ascii: "}") { return }
                guard c == UInt8(ascii: ",") else { throw ScanFailure("expected ',' or '}'") }
            }
        case UInt8(ascii: "["):
            index += 1
            if try peek() == UInt8(ascii: "]") { index += 1; return }
            while true {
                try skipValue(depth: depth + 1)
                let c = try peek()
                index += 1
                if c == UInt8(ascii: "]") { return }
                guard c == UInt8(ascii: ",") else { throw ScanFailure("expected ',' or ']'") }
            }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try readNumber()
        default:
            _ = try readLiteral()
        }
    }
}
