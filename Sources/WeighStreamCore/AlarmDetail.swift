/// One entry of an alarm's `details`, in the order it is written.
public struct AlarmDetail: Sendable, Hashable {
    public var key: String
    public var value: DetailValue

    public init(_ key: String, _ value: DetailValue) {
        self.key = key
        self.value = value
    }

    public static func int(_ key: String, _ v: some BinaryInteger) -> AlarmDetail { .init(key, .int(Int64(v))) }
    public static func number(_ key: String, _ v: Double, decimals: Int = 2) -> AlarmDetail { .init(key, .number(v, decimals: decimals)) }
    public static func string(_ key: String, _ v: String) -> AlarmDetail { .init(key, .string(v)) }
    public static func optionalInt(_ key: String, _ v: (some BinaryInteger)?) -> AlarmDetail { .init(key, v.map { .int(Int64($0)) } ?? .null) }
}
