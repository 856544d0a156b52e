import CRdKafka

extension KafkaError {
    /// A Kafka or librdkafka error code (`rd_kafka_resp_err_t`), or one of WeighStream's own (below -1000).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public var rawValue: Int32

        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ err: rd_kafka_resp_err_t) { self.rawValue = err.rawValue }

        var rdkafka: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }

        /// librdkafka's symbolic name, such as `NOT_LEADER_FOR_PARTITION` or `_TRANSPORT`.
        public var name: String {
            if rawValue <= -1000 {
                switch self {
                case .invalidConfiguration: return "WS_INVALID_CONFIGURATION"
                case .clientCreation: return "WS_CLIENT_CREATION"
                case .closed: return "WS_CLOSED"
                default: return "WS_\(-rawValue)"
                }
            }
            return String(cString: rd_kafka_err2name(rdkafka))
        }

        public var description: String { "\(name) (\(rawValue))" }

        public static let noError = Code(RD_KAFKA_RESP_ERR_NO_ERROR)
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        public static let coordinatorNotAvailable = Code(RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE)
        public static let notCoordinator = Code(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
        public static let messageSizeTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        public static let invalidMessage = Code(RD_KAFKA_RESP_ERR_INVALID_MSG)
        public static let topicAuthorizationFailed = Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        public static let unsupportedVersion = Code(RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION)
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        public static let state = Code(RD_KAFKA_RESP_ERR__STATE)
        public static let fenced = Code(RD_KAFKA_RESP_ERR__FENCED)
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
        public static let noOffset = Code(RD_KAFKA_RESP_ERR__NO_OFFSET)
        public static let unknownMemberId = Code(RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID)
        /// A fetch at an offset the broker does not hold: the consumer starts again at `auto.offset.reset`.
        public static let offsetOutOfRange = Code(RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE)

        /// A configuration property librdkafka rejected (unknown name or invalid value).
        public static let invalidConfiguration = Code(rawValue: -1001)
        /// `rd_kafka_new` failed for a reason other than a property.
        public static let clientCreation = Code(rawValue: -1002)
        /// The client was closed before the call.
        public static let closed = Code(rawValue: -1003)
    }
}
