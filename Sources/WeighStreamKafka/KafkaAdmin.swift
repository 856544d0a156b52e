import CRdKafka
import Logging

/// Cluster administration on a real Kafka cluster: topics and metadata.
///
/// Teardown order: the handle is destroyed in `deinit`, then the callback context is released.
public final class KafkaAdmin: @unchecked Sendable {
    // @unchecked Sendable: `rk` is an immutable handle; librdkafka's admin calls are thread-safe.
    private let rk: OpaquePointer
    private let context: KafkaClientContext

    public init(client: KafkaClientOptions, logger: Logger = Logger(label: "weighstream.kafka.admin")) throws(KafkaError) {
        let context = KafkaClientContext(logger: logger)
        self.context = context
        var properties = client.properties
        properties.merge(client.rawProperties) { _, raw in raw }
        let conf = try RdKafkaConf.make(properties)
        rd_kafka_conf_set_opaque(conf, context.opaque)
        RdKafkaConf.installLogger(on: conf)
        rk = try RdKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf)
    }

    deinit { rd_kafka_destroy(rk) }

    /// Creates topics. With `ifNotExists`, a topic that already exists counts as created (configs unchanged).
    public func createTopics(_ specs: [KafkaTopicSpec], ifNotExists: Bool = true, timeoutMs: Int = 30_000) throws(KafkaError) {
        guard !specs.isEmpty else { return }
        var errstr = RdKafkaErrorText()
        var newTopics: [OpaquePointer?] = []
        defer { for t in newTopics { rd_kafka_NewTopic_destroy(t) } }
        for spec in specs {
            guard let topic = errstr.call({ rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), $0, $1) }) else {
                throw KafkaError(code: .invalidArgument, message: "topic \(spec.name): \(errstr.text)")
            }
            newTopics.append(topic)
            for (name, value) in spec.configs.sorted(by: { $0.key < $1.key }) {
                try KafkaError.check(rd_kafka_NewTopic_set_config(topic, name, value), context: "topic \(spec.name) config \(name)")
            }
        }
        let queue = rd_kafka_queue_new(rk)!
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        errstr.call { _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeoutMs), $0, $1) }
        errstr.call { _ = rd_kafka_AdminOptions_set_operation_timeout(options, Int32(timeoutMs), $0, $1) }
        newTopics.withUnsafeMutableBufferPointer { rd_kafka_CreateTopics(rk, $0.baseAddress, $0.count, options, queue) }

        guard let event = rd_kafka_queue_poll(queue, Int32(timeoutMs + 5_000)) else {
            throw KafkaError(code: .timedOut, message: "create topics: no answer within \(timeoutMs) ms")
        }
        defer { rd_kafka_event_destroy(event) }
        try KafkaError.check(rd_kafka_event_error(event), context: "create topics")
        guard let result = rd_kafka_event_CreateTopics_result(event) else {
            throw KafkaError(code: .state, message: "create topics: unexpected event")
        }
        var count = 0
        guard let topics = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for i in 0..<count {
            let err = rd_kafka_topic_result_error(topics[i])
            if err == RD_KAFKA_RESP_ERR_NO_ERROR || (ifNotExists && err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) { continue }
            let name = String(cString: rd_kafka_topic_result_name(topics[i]))
            let text = rd_kafka_topic_result_error_string(topics[i]).map { String(cString: $0) } ?? ""
            throw KafkaError(code: .init(err), message: "create topic \(name): \(text)")
        }
    }

    /// Topic names with their partition counts, as the cluster's metadata says.
    public func topics(timeoutMs: Int = 10_000) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        try KafkaError.check(rd_kafka_metadata(rk, 1, nil, &metadata, Int32(timeoutMs)), context: "metadata")
        guard let metadata else { return [:] }
        defer { rd_kafka_metadata_destroy(metadata) }
        var result: [String: Int] = [:]
        for i in 0..<Int(metadata.pointee.topic_cnt) {
            let t = metadata.pointee.topics[i]
            if t.err == RD_KAFKA_RESP_ERR_NO_ERROR { result[String(cString: t.topic)] = Int(t.partition_cnt) }
        }
        return result
    }
}
