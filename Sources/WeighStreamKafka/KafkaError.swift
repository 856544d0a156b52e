import CRdKafka

/// The one error type of WeighStream's Kafka layer.
///
/// It carries librdkafka's error code and message unchanged, so that an operator can look the code up in
/// librdkafka's documentation, plus where in our code the error surfaced.
public struct KafkaError: Error, Sendable, CustomStringConvertible, Hashable {
    /// What went wrong, as librdkafka's `rd_kafka_resp_err_t` or one of WeighStream's own codes.
    public var code: Code
    /// librdkafka's message (or ours for codes librdkafka does not produce).
    public var message: String
    /// Whether librdkafka says retrying the same operation may succeed.
    public var isRetriable: Bool
    /// Whether the client instance is unusable after this error (for example a fenced transactional producer).
    public var isFatal: Bool
    /// Whether the current transaction must be aborted before the producer can go on.
    public var transactionRequiresAbort: Bool
    public var file: String
    public var line: UInt

    public init(
        code: Code,
        message: String,
        isRetriable: Bool = false,
        isFatal: Bool = false,
        transactionRequiresAbort: Bool = false,
        file: String = #fileID,
        line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.transactionRequiresAbort = transactionRequiresAbort
        self.file = file
        self.line = line
    }

    public var description: String {
        var flags: [String] = []
        if isRetriable { flags.append("retriable") }
        if isFatal { flags.append("fatal") }
        if transactionRequiresAbort { flags.append("abort transaction") }
        let suffix = flags.isEmpty ? "" : " [\(flags.joined(separator: ", "))]"
        return "KafkaError(\(code)): \(message)\(suffix) at \(file):\(line)"
    }

    /// Two errors are equal when they say the same thing; where they surfaced does not matter.
    public static func == (lhs: KafkaError, rhs: KafkaError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
    }
}

extension KafkaError {
    /// An error from a bare `rd_kafka_resp_err_t`, with librdkafka's text for it.
    static func from(
        _ err: rd_kafka_resp_err_t, context: String? = nil, file: String = #fileID, line: UInt = #line
    ) -> KafkaError {
        let text = String(cString: rd_kafka_err2str(err))
        let message = context.map { "\($0): \(text)" } ?? text
        return KafkaError(code: Code(err), message: message, file: file, line: line)
    }

    /// An error from an `rd_kafka_error_t`, which it destroys.
    static func consuming(
        _ error: OpaquePointer, context: String? = nil, file: String = #fileID, line: UInt = #line
    ) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let text = String(cString: rd_kafka_error_string(error))
        return KafkaError(
            code: Code(rd_kafka_error_code(error)),
            message: context.map { "\($0): \(text)" } ?? text,
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            transactionRequiresAbort: rd_kafka_error_txn_requires_abort(error) != 0,
            file: file,
            line: line
        )
    }

    /// Throws when `err` is not `NO_ERROR`.
    static func check(
        _ err: rd_kafka_resp_err_t, context: String? = nil, file: String = #fileID, line: UInt = #line
    ) throws(KafkaError) {
        if err != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError.from(err, context: context, file: file, line: line)
        }
    }

    /// Throws when `error` is non-nil, destroying it.
    static func check(
        _ error: OpaquePointer?, context: String? = nil, file: String = #fileID, line: UInt = #line
    ) throws(KafkaError) {
        if let error {
            throw KafkaError.consuming(error, context: context, file: file, line: line)
        }
    }
}
