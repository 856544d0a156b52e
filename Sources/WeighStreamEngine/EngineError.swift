import WeighStreamKafka

/// Why the engine refused to start or stopped. One struct, with a `Code` to branch on and where it was raised.
public struct EngineError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public var description: String { name }
        /// A setting is missing, out of range or contradicts another.
        public static let invalidConfiguration = Code(name: "invalid_configuration")
        /// A topic is missing or its partition count does not fit the others.
        public static let topology = Code(name: "topology")
        /// Kafka refused or failed an operation the engine cannot work around.
        public static let kafka = Code(name: "kafka")
        /// Outputs could not be delivered after retries; offsets were not committed past them.
        public static let delivery = Code(name: "delivery")
        /// A transaction failed; its outputs were aborted and the engine stops so that a restart resumes
        /// from the last committed transaction.
        public static let transaction = Code(name: "transaction")
        /// State could not be restored from the state topic.
        public static let restore = Code(name: "restore")
    }

    public var code: Code
    public var message: String
    /// The Kafka error underneath, if any.
    public var underlying: KafkaError?
    public var file: String
    public var line: Int

    public init(_ code: Code, _ message: String, underlying: KafkaError? = nil, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    public var description: String {
        underlying.map { "\(message): \($0.message)" } ?? message
    }
}
