/// Reads one JSON object of known fields, turning scanner failures into `DecodeError`s that name the field.
struct FieldReader {
    typealias ScanFailure = JSONScanner.ScanFailure
    var scanner: JSONScanner
    /// The field being read, for error messages.
    var field: StaticString = "record"

    init(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        guard bytes.count <= InputDecoder.maxRecordBytes else {
            throw DecodeError(field: "record", reason: .tooLarge(bytes.count))
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw DecodeError(field: "record", reason: .invalidJSON("empty input"))
        }
        scanner = JSONScanner(base: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
    }

    var fieldName: String { String(describing: field) }

    func fail(_ reason: DecodeError.Reason) -> DecodeError { DecodeError(field: fieldName, reason: reason) }

    /// Runs scanner steps, reporting a syntax failure against the current field.
    @inline(__always)
    mutating func scan<T>(_ body: (inout JSONScanner) throws(ScanFailure) -> T) throws(DecodeError) -> T {
        do throws(ScanFailure) {
            return try body(&scanner)
        } catch {
            throw DecodeError(field: fieldName, reason: .invalidJSON(String(describing: error.message)))
        }
    }

    @inline(__always)
    mutating func peek() throws(DecodeError) -> UInt8 {
        try scan { s throws(ScanFailure) in try s.peek() }
    }

    /// Calls `body` for each known key (unknown ones are skipped), then checks nothing follows the object.
    mutating func readObject<Key: FieldKey>(
        _ body: (inout FieldReader, Key) throws(DecodeError) -> Void
    ) throws(DecodeError) {
        guard try peek() == UInt8(ascii: "{") else {
            // Valid JSON of another shape is a type error; anything else is not JSON at all.
            try scan { s throws(ScanFailure) in
                try s.skipValue()
                s.skipWhitespace()
                if !s.atEnd { throw ScanFailure("data after the value") }
            }
            throw DecodeError(field: "record", reason: .wrongType(expected: "a JSON object"))
        }
        scanner.index += 1
        if try peek() == UInt8(ascii: "}") {
            scanner.index += 1
        } else {
            var expected: Key? = Key.first
            while true {
                field = "record"
                let key: Key?
                if let e = expected, scanner.skipKey(e.pattern) {
                    key = e
                } else {
                    key = try scan { s throws(ScanFailure) in
                        let raw = try s.readRawString()
                        try s.expect(UInt8(ascii: ":"), "expected ':' after a key")
                        return try Self.match(raw, in: s)
                    }
                }
                expected = key?.next
                if let key {
                    field = key.name
                    try body(&self, key)
                    field = "record"
                } else {
                    try scan { s throws(ScanFailure) in try s.skipValue() }
                }
                let c = try peek()
                scanner.index += 1
                if c == UInt8(ascii: "}") { break }
                guard c == UInt8(ascii: ",") else { throw fail(.invalidJSON("expected ',' or '}'")) }
            }
        }
        field = "record"
        scanner.skipWhitespace()
        guard scanner.atEnd else { throw fail(.invalidJSON("data after the object")) }
    }

    private static func match<Key: FieldKey>(_ raw: JSONScanner.RawString, in s: JSONScanner) throws(ScanFailure) -> Key? {
        if !raw.hasEscapes {
            return Key.match(UnsafeBufferPointer(start: s.base + raw.start, count: raw.end - raw.start))
        }
        var name = try s.string(raw)
        return name.withUTF8 { Key.match($0) }
    }

    /// Reads one field's value with `body`; a type or value error (not a syntax error) skips the value and is
    /// returned instead of thrown, so that the caller decides whether the record can live without the field.
    mutating func tolerant(_ body: (inout FieldReader) throws(DecodeError) -> Void) throws(DecodeError) -> DecodeError? {
        let start = scanner.index
        do {
            try body(&self)
            return nil
        } catch {
            if case .invalidJSON = error.reason { throw error }
            scanner.index = start
            try scan { s throws(ScanFailure) in try s.skipValue() }
            return error
        }
    }

    /// An array of strings (`evidence`), or nil for `null`.
    mutating func strings() throws(DecodeError) -> [String]? {
        try array { (r: inout FieldReader) throws(DecodeError) -> String in
            guard let s = try r.string() else { throw r.fail(.wrongType(expected: "array of strings")) }
            return s
        }
    }

    // MARK: typed values

    /// The first byte of the next value, not consumed; nil for `null`, which is consumed. One look at the
    /// input where asking "null?" and then "what is it?" took two.
    mutating func valueStart() throws(DecodeError) -> UInt8? {
        let c = try peek()
        guard c == UInt8(ascii: "n") else { return c }
        guard scanner.matchWord("null") else { throw fail(.invalidJSON("unexpected token")) }
        return nil
    }

    /// A string, or nil for `null`.
    mutating func string() throws(DecodeError) -> String? {
        guard let c = try valueStart() else { return nil }
        guard c == UInt8(ascii: "\"") else { throw fail(.wrongType(expected: "string")) }
        return try scan { s throws(ScanFailure) in try s.string(try s.readRawString()) }
    }

    mutating func number() throws(DecodeError) -> JSONNumber? {
        guard let c = try valueStart() else { return nil }
        guard c == UInt8(ascii: "-") || (c &- UInt8(ascii: "0")) < 10 else { throw fail(.wrongType(expected: "number")) }
        return try scan { s throws(ScanFailure) in try s.readNumber() }
    }

    /// A plain non-negative integer of up to 18 digits right at the cursor and followed by `,`, `}` or `]`:
    /// the usual value of every integer field and axle weight, read without the general number reader's
    /// token, enum and error wrapping. Anything else (a sign, a fraction, an exponent, a leading zero,
    /// whitespace) returns nil without moving, and the general reader takes it, with its errors.
    @inline(__always)
    mutating func plainInteger() -> Int64? {
        guard let (value, end) = scanner.plainInteger(at: scanner.index) else { return nil }
        scanner.index = end
        return value
    }

    /// An integer (a decimal with no fractional part counts), or nil for `null`.
    mutating func integer() throws(DecodeError) -> Int64? {
        if let v = plainInteger() { return v }
        guard let n = try number() else { return nil }
        guard let v = n.exactInteger else { throw fail(.wrongType(expected: "integer")) }
        return v
    }

    /// A weight in kilograms: decimals are rounded to the nearest kilogram.
    mutating func kilograms() throws(DecodeError) -> Int64? {
        if let v = plainInteger() { return v }
        guard let n = try number() else { return nil }
        guard let v = n.roundedInteger else { throw fail(.impossibleValue("not a finite weight")) }
        return v
    }

    mutating func bool() throws(DecodeError) -> Bool? {
        let c = try peek()
        guard c == UInt8(ascii: "t") || c == UInt8(ascii: "f") || c == UInt8(ascii: "n") else {
            throw fail(.wrongType(expected: "boolean"))
        }
        return try scan { s throws(ScanFailure) in try s.readLiteral() }
    }

    /// An enumerated string value: `parse` maps its bytes, nil when outside the set.
    mutating func enumerated<T>(
        allowed: [String], _ parse: (UnsafeBufferPointer<UInt8>) -> T?
    ) throws(DecodeError) -> T? {
        guard let c = try valueStart() else { return nil }
        guard c == UInt8(ascii: "\"") else { throw fail(.wrongType(expected: "string")) }
        let raw = try scan { s throws(ScanFailure) in try s.readRawString() }
        if !raw.hasEscapes, let v = parse(UnsafeBufferPointer(start: scanner.base + raw.start, count: raw.end - raw.start)) {
            return v
        }
        var text = try scan { s throws(ScanFailure) in try s.string(raw) }
        if raw.hasEscapes, let v = text.withUTF8({ parse($0) }) { return v }
        throw fail(.unknownValue(text, allowed: allowed))
    }

    /// An array whose elements `element` reads, or nil for `null`.
    mutating func array<T>(_ element: (inout FieldReader) throws(DecodeError) -> T) throws(DecodeError) -> [T]? {
        guard let c = try valueStart() else { return nil }
        guard c == UInt8(ascii: "[") else { throw fail(.wrongType(expected: "array")) }
        scanner.index += 1
        var out: [T] = []
        if try peek() == UInt8(ascii: "]") {
            scanner.index += 1
            return out
        }
        while true {
            out.append(try element(&self))
            let c = try peek()
            scanner.index += 1
            if c == UInt8(ascii: "]") { return out }
            guard c == UInt8(ascii: ",") else { throw fail(.invalidJSON("expected ',' or ']'")) }
        }
    }
}
