/// A record header. Values are bytes; `nil` is Kafka's null header value.
public struct KafkaHeader: Hashable, Sendable {
    public var key: String
    public var value: [UInt8]?

    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    public init(key: String, string: String) {
        self.init(key: key, value: Array(string.utf8))
    }

    /// The value as UTF-8 text, when there is one.
    public var stringValue: String? { value.map { String(decoding: $0, as: UTF8.self) } }
}
