/// A set of known JSON field names, matched against raw key bytes without allocating.
///
/// `first` and `next` give the usual order of the fields (the contract's, which producers keep): the reader
/// tries the key it expects by comparing bytes in place, and reads and matches the key only when the
/// expectation fails (a field left out, another order, whitespace or escapes in the key).
protocol FieldKey {
    static func match(_ key: UnsafeBufferPointer<UInt8>) -> Self?
    var name: StaticString { get }
    /// `name` as the reader compares it when it expects this key (built once per key).
    var pattern: KeyPattern { get }
    /// The field records usually start with.
    static var first: Self { get }
    /// The field that usually follows this one (nil: usually the last).
    var next: Self? { get }
}

extension UnsafeBufferPointer<UInt8> {
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let lit = literal.utf8Start
        for i in 0..<count where self[i] != lit[i] { return false }
        return true
    }
}
