/// A set of known JSON field names, matched against raw key bytes without allocating.
protocol FieldKey {
    static func match(_ key: UnsafeBufferPointer<UInt8>) -> Self?
    var name: StaticString { get }
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
