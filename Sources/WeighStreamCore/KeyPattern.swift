/// A key as producers write it, `"name":`, packed once into little-endian words and masks.
///
/// Checking the key the reader expects next was a byte loop over a `StaticString` (its length and start
/// read anew on every call): 12 % of decoding. With the pattern it is one to three loads and compares.
struct KeyPattern: Sendable {
    let words: (UInt64, UInt64, UInt64)
    let masks: (UInt64, UInt64, UInt64)
    /// Bytes in `"name":`.
    let length: Int
    /// Bytes the word compare loads (whole words).
    let span: Int

    init(_ name: StaticString) {
        let bytes = [UInt8(ascii: "\"")] + UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
            + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        precondition(bytes.count <= 24, "a key pattern holds keys of up to 21 bytes")
        length = bytes.count
        span = (bytes.count + 7) / 8 * 8
        var w: [UInt64] = [0, 0, 0], m: [UInt64] = [0, 0, 0]
        for (i, b) in bytes.enumerated() {
            w[i / 8] |= UInt64(b) << (8 * UInt64(i % 8))
            m[i / 8] |= 0xFF << (8 * UInt64(i % 8))
        }
        words = (w[0], w[1], w[2])
        masks = (m[0], m[1], m[2])
    }

    /// Whether the bytes at `at` start with the pattern; `available` bytes may be read from there.
    @inline(__always)
    func matches(_ at: UnsafeRawPointer, available: Int) -> Bool {
        guard available >= span else { return available >= length && matchesByBytes(at) }
        guard UInt64(littleEndian: at.loadUnaligned(as: UInt64.self)) & masks.0 == words.0 else { return false }
        guard length > 8 else { return true }
        guard UInt64(littleEndian: at.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) & masks.1 == words.1 else { return false }
        guard length > 16 else { return true }
        return UInt64(littleEndian: at.loadUnaligned(fromByteOffset: 16, as: UInt64.self)) & masks.2 == words.2
    }

    /// Near the end of the input, where a whole-word load would read past it.
    private func matchesByBytes(_ at: UnsafeRawPointer) -> Bool {
        for i in 0..<length {
            let word = i < 8 ? words.0 : i < 16 ? words.1 : words.2
            guard at.load(fromByteOffset: i, as: UInt8.self) == UInt8(truncatingIfNeeded: word >> (8 * UInt64(i % 8))) else {
                return false
            }
        }
        return true
    }
}
