import Foundation
import Testing
@testable import WeighStreamKafka

@Suite("Configuration and unreachable brokers")
struct ConfigurationTests {
    @Test("An unknown property fails at construction, naming it, with librdkafka's message")
    func unknownPropertyIsNamed() {
        let options = KafkaClientOptions(bootstrapServers: ["127.0.0.1:9"], rawProperties: ["no.such.property": "1"])
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: .init(client: options), logger: quietLogger)
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("no.such.property") == true)
        #expect(error?.message.contains("No such configuration property") == true, "\(String(describing: error))")
    }

    @Test("An invalid value fails at construction, naming the property")
    func invalidValueIsNamed() {
        var configuration = KafkaConsumerConfiguration(
            client: .init(bootstrapServers: ["127.0.0.1:9"]), groupID: "g")
        configuration.sessionTimeoutMs = -5
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaConsumer(configuration: configuration, logger: quietLogger)
        }
        #expect(error?.message.contains("session.timeout.ms") == true, "\(String(describing: error))")
    }

    @Test("Conflicting settings that librdkafka checks at creation fail with its reason")
    func conflictingSettingsFail() {
        var configuration = KafkaProducerConfiguration(client: .init(bootstrapServers: ["127.0.0.1:9"]))
        configuration.acks = .none  // idempotence needs acks=all
        let error = #expect(throws: KafkaError.self) {
            _ = try KafkaProducer(configuration: configuration, logger: quietLogger)
        }
        #expect(error?.message.contains("acks") == true, "\(String(describing: error))")
    }

    @Test("Secrets stay out of a configuration's description")
    func secretsAreNotPrinted() {
        let security = KafkaSecurity(securityProtocol: .saslSSL, saslMechanism: .scramSHA512, saslUsername: "ws", saslPassword: "s3cret")
        #expect(!security.description.contains("s3cret"))
        #expect(security.description.contains("password=***"))
    }

    @Test("Records sent to an unreachable broker come back as timed-out deliveries, not a hang")
    func unreachableBrokerTimesOut() throws {
        var configuration = KafkaProducerConfiguration(client: .init(bootstrapServers: ["127.0.0.1:1"]))
        configuration.messageTimeoutMs = 1_500
        let producer = try KafkaProducer(configuration: configuration, logger: quietLogger)
        // Blocking calls on the test's own thread: an `await` here would also count the time the resumed
        // test waits for a thread of the (two-thread) cooperative pool, busy with other suites.
        let started = Date()
        try producer.send(KafkaProducerMessage(topic: "nowhere", key: "k", value: "v", id: 5))
        try? producer.flush(timeoutMs: 10_000)
        let reports = producer.deliveryReports()
        #expect(Date().timeIntervalSince(started) < 30, "a hang, not a timeout")
        #expect(reports.map(\.id) == [5])
        #expect(reports.first?.error?.code == .messageTimedOut, "\(reports)")
        producer.close(timeoutMs: 100)
    }

    @Test("Asking an unreachable broker for watermarks fails within its timeout")
    func unreachableBrokerQueryFails() throws {
        let consumer = try KafkaConsumer(
            configuration: .init(client: .init(bootstrapServers: ["127.0.0.1:1"]), groupID: "g"), logger: quietLogger)
        let started = Date()
        let error = #expect(throws: KafkaError.self) {
            try consumer.watermarks(TopicPartition("t", 0), timeoutMs: 1_000)
        }
        #expect(Date().timeIntervalSince(started) < 30, "a hang, not a timeout")
        #expect([.timedOut, .transport, .allBrokersDown].contains(error?.code), "\(String(describing: error))")
        consumer.close()
    }

    @Test("Admin topic creation is refused clearly by the embedded cluster, which has no CreateTopics")
    func adminCreateTopicsOnEmbeddedCluster() async throws {
        let cluster = try makeCluster(brokers: 1, topics: ["present": 3])
        let admin = try KafkaAdmin(client: cluster.clientOptions(), logger: quietLogger)
        let topics = try admin.topics()
        #expect(topics["present"] == 3)
        let started = Date()
        let error = #expect(throws: KafkaError.self) {
            try admin.createTopics([KafkaTopicSpec(name: "made", partitions: 2, configs: ["cleanup.policy": "compact"])], timeoutMs: 3_000)
        }
        #expect(Date().timeIntervalSince(started) < 30, "a hang, not a timeout")
        #expect(error != nil)
    }
}
