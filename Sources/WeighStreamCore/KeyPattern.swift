/// A key as producers write it, `"name":`, packed once into little-endian words and masks.
///
/// Checking the key the reader expects next was a byte loop over a `StaticString` (its length and start
/// read anew on every call): 12 % of decoding. With the pattern it is one to three loads and compares.
struct KeyPattern: Sendable {
    /// The pattern's first eight bytes (masked when it is shorter), the eight after them, and its last
    /// eight. A pattern over eight bytes is compared by whole words that never reach past its own end, so a
    /// key near the end of the input (the last fields of a record) is checked by words too; a byte loop
    /// there, for loads that would have read past the input, was 8 % of reading a heartbeat.
    let head: UInt64
    let headMask: UInt64
    let middle: UInt64
    let tail: UInt64
    /// Bytes in `"name":` (with the comma, if any).
    let length: Int

    /// `afterComma` puts the comma that separates it from the previous field in front (`,"name":`), so a
    /// reader that knows a field follows checks the separator and the key in the same compare.
    init(_ name: StaticString, afterComma: Bool = false) {
        let bytes = (afterComma ? [UInt8(ascii: ","), UInt8(ascii: "\"")] : [UInt8(ascii: "\"")])
            + UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount) + [UInt8(ascii: "\""), UInt8(ascii: ":")]
        precondition(bytes.count <= 24, "a key pattern holds keys of up to 21 bytes")
        length = bytes.count
        func word(from start: Int) -> (value: UInt64, mask: UInt64) {
            var value: UInt64 = 0, mask: UInt64 = 0
            for i in 0..<8 where start + i < bytes.count {
                value |= UInt64(bytes[start + i]) << (8 * UInt64(i))
                mask |= 0xFF << (8 * UInt64(i))
            }
            return (value, mask)
        }
        (head, headMask) = word(from: 0)
        middle = word(from: 8).value
        tail = word(from: max(0, bytes.count - 8)).value
    }

    /// Whether the bytes at `at` start with the pattern; `available` bytes may be read from there.
    @inline(__always)
    func matches(_ at: UnsafeRawPointer, available: Int) -> Bool {
        guard length > 8 else {
            if available >= 8 { return UInt64(littleEndian: at.loadUnaligned(as: UInt64.self)) & headMask == head }
            return available >= length && matchesByBytes(at)
        }
        guard available >= length,
            UInt64(littleEndian: at.loadUnaligned(as: UInt64.self)) == head,
            UInt64(littleEndian: at.loadUnaligned(fromByteOffset: length - 8, as: UInt64.self)) == tail
        else { return false }
        return length <= 16 || UInt64(littleEndian: at.loadUnaligned(fromByteOffset: 8, as: UInt64.self)) == middle
    }

    /// A short pattern within eight bytes of the end of the input, where a whole-word load would read past it.
    private func matchesByBytes(_ at: UnsafeRawPointer) -> Bool {
        for i in 0..<length where at.load(fromByteOffset: i, as: UInt8.self) != UInt8(truncatingIfNeeded: head >> (8 * UInt64(i))) {
            return false
        }
        return true
    }
}
