/// A value in an alarm's `details`.
public enum DetailValue: Sendable, Hashable {
    case int(Int64)
    /// A decimal written with at most `decimals` fraction digits.
    case number(Double, decimals: Int)
    case string(String)
    case strings([String])
    case bool(Bool)
    case null
}
