import CRdKafka
import Logging

/// librdkafka's mock cluster, in process: N brokers speaking the Kafka protocol on loopback TCP.
///
/// WeighStream uses it as its embedded default (demo, tests, benchmarks). Other processes can connect to
/// `bootstrapServers` while it lives. It serves produce, fetch, offsets, metadata, consumer groups and
/// transactions, and lets tests inject faults. Limits of librdkafka 2.0.2's mock: no CreateTopics
/// request (use `createTopics` here, which goes through the mock API and ignores topic configs), EndTxn
/// writes no control markers, and each partition keeps a bounded log, dropping its oldest data.
///
/// Teardown order: the mock cluster (its broker threads) first, then the handle that hosts it.
public final class EmbeddedKafkaCluster: @unchecked Sendable {
    // @unchecked Sendable: the handles are immutable; librdkafka's mock API locks internally.
    private let host: OpaquePointer
    private let cluster: OpaquePointer
    private let context: KafkaClientContext
    public let brokerCount: Int
    /// `host:port,...` of the brokers, for `bootstrap.servers`.
    public let bootstrapServers: String

    public init(brokers: Int = 3, logger: Logger = Logger(label: "weighstream.kafka.embedded")) throws(KafkaError) {
        precondition(brokers >= 1, "an embedded cluster needs at least one broker")
        self.brokerCount = brokers
        let context = KafkaClientContext(logger: logger)
        self.context = context
        let conf = try RdKafkaConf.make(["client.id": "weighstream-embedded-host"])
        rd_kafka_conf_set_opaque(conf, context.opaque)
        RdKafkaConf.installLogger(on: conf)
        host = try RdKafkaConf.newClient(type: RD_KAFKA_PRODUCER, conf: conf)
        guard let cluster = rd_kafka_mock_cluster_new(host, Int32(brokers)) else {
            rd_kafka_destroy(host)
            throw KafkaError(code: .clientCreation, message: "cannot start the embedded cluster")
        }
        self.cluster = cluster
        bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(host)
    }

    /// Client options that point at this cluster.
    public func clientOptions(clientID: String = "weighstream") -> KafkaClientOptions {
        KafkaClientOptions(bootstrapServers: bootstrapServers.split(separator: ",").map(String.init), clientID: clientID)
    }

    /// Creates topics through the mock API. Replication is capped at the broker count; configs are ignored.
    public func createTopics(_ specs: [KafkaTopicSpec]) throws(KafkaError) {
        for spec in specs {
            let replication = min(spec.replicationFactor, brokerCount)
            try KafkaError.check(
                rd_kafka_mock_topic_create(cluster, spec.name, Int32(spec.partitions), Int32(replication)),
                context: "create topic \(spec.name)")
        }
    }

    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        try createTopics([KafkaTopicSpec(name: name, partitions: partitions, replicationFactor: replicationFactor)])
    }

    /// Broker ids run from 1 to `brokerCount`. A down broker closes its connections and refuses new ones.
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_down(cluster, broker), context: "broker \(broker) down")
    }

    public func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_up(cluster, broker), context: "broker \(broker) up")
    }

    /// Adds `ms` of round-trip time to every response of a broker.
    public func setRoundTripTime(broker: Int32, ms: Int) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_broker_set_rtt(cluster, broker, Int32(ms)), context: "broker \(broker) rtt")
    }

    /// The next `errors.count` requests of this type, to any broker, fail with these codes in order.
    public func pushRequestErrors(_ api: KafkaAPIKey, _ errors: [KafkaError.Code]) {
        let raw = errors.map(\.rdkafka)
        raw.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, raw.count, $0.baseAddress) }
    }

    public func clearRequestErrors(_ api: KafkaAPIKey) {
        rd_kafka_mock_clear_request_errors(cluster, api.rawValue)
    }

    /// Every request touching `topic` fails with `error` until cleared with `.noError`.
    public func setTopicError(_ topic: String, _ error: KafkaError.Code) {
        rd_kafka_mock_topic_set_error(cluster, topic, error.rdkafka)
    }

    /// Moves a partition's leadership to another broker.
    public func setPartitionLeader(_ topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker), context: "set leader")
    }

    /// Makes `broker` the coordinator of a consumer group.
    public func setGroupCoordinator(_ group: String, broker: Int32) throws(KafkaError) {
        try KafkaError.check(rd_kafka_mock_coordinator_set(cluster, "group", group, broker), context: "set coordinator")
    }
}
