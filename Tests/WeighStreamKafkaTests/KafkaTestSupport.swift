import Foundation
import Logging
import Synchronization
import Testing
@testable import WeighStreamKafka

/// A logger that stays quiet unless something is badly wrong: librdkafka logs every refused connection.
let quietLogger: Logger = {
    var logger = Logger(label: "weighstream.tests")
    logger.logLevel = .critical
    return logger
}()

/// A fresh embedded cluster with topics already created.
func makeCluster(brokers: Int = 3, topics: [String: Int] = [:]) throws -> EmbeddedKafkaCluster {
    let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: quietLogger)
    try cluster.createTopics(topics.map { KafkaTopicSpec(name: $0.key, partitions: $0.value) })
    return cluster
}

func uniqueGroup(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8))" }

extension EmbeddedKafkaCluster {
    func producer(_ tweak: (inout KafkaProducerConfiguration) -> Void = { _ in }) throws -> KafkaProducer {
        var configuration = KafkaProducerConfiguration(client: clientOptions(clientID: "test-producer"))
        tweak(&configuration)
        return try KafkaProducer(configuration: configuration, logger: quietLogger)
    }

    func consumer(
        group: String, listener: (any KafkaRebalanceListener)? = nil,
        _ tweak: (inout KafkaConsumerConfiguration) -> Void = { _ in }
    ) throws -> KafkaConsumer {
        var configuration = KafkaConsumerConfiguration(
            client: clientOptions(clientID: "test-consumer"), groupID: group, sessionTimeoutMs: 10_000,
            heartbeatIntervalMs: 500)
        tweak(&configuration)
        return try KafkaConsumer(configuration: configuration, logger: quietLogger, rebalanceListener: listener)
    }

    /// A producer without idempotence and retries: a record's first failure is final and reported as it is.
    func producerWithoutRetries() throws -> KafkaProducer {
        try producer {
            $0.idempotent = false
            $0.acks = .leader
            $0.client.rawProperties = ["retries": "0", "linger.ms": "0"]
        }
    }

    /// Produces every message, waits for every report and fails the test on any failed delivery.
    @discardableResult
    func produceAll(_ messages: [KafkaProducerMessage]) async throws -> [KafkaDeliveryReport] {
        let producer = try producer()
        let reports = try await producer.perform { producer throws(KafkaError) in
            try producer.send(messages)
            try producer.flush(timeoutMs: 60_000)
            return producer.deliveryReports()
        }
        producer.close()
        #expect(reports.count == messages.count)
        let failed = reports.filter { !$0.isDelivered }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
        return reports
    }
}

extension KafkaProducer {
    /// Sends one record and returns the reports that arrived once it was flushed, blocking the calling thread.
    func sendAndReport(_ message: KafkaProducerMessage) throws -> [KafkaDeliveryReport] {
        try send(message)
        try flush(timeoutMs: 10_000)
        return deliveryReports()
    }
}

extension KafkaConsumer {
    /// Polls until `count` records arrived or `seconds` passed, storing each batch's offsets.
    func consume(count: Int, seconds: Double = 60, maxPerPoll: Int = 10_000) async throws -> [KafkaMessage] {
        try await perform { consumer throws(KafkaError) in
            var out: [KafkaMessage] = []
            let deadline = Date(timeIntervalSinceNow: seconds)
            while out.count < count && Date() < deadline {
                let batch = try consumer.poll(maxMessages: min(maxPerPoll, count - out.count), timeoutMs: 100)
                out.append(contentsOf: batch.map { $0.copy() })
                try consumer.store(nextOffsets(batch.map { $0.copy() }))
            }
            return out
        }
    }
}

/// The offsets to commit after processing `messages`: one past the last record of each partition.
func nextOffsets(_ messages: [KafkaMessage]) -> [TopicPartitionOffset] {
    var last: [TopicPartition: Int64] = [:]
    for m in messages { last[m.topicPartition] = max(last[m.topicPartition] ?? -1, m.offset) }
    return last.map { TopicPartitionOffset($0.key, offset: $0.value + 1) }
}

/// Waits, polling a condition, up to `seconds`; returns whether it became true.
func eventually(seconds: Double = 30, _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: seconds)
    while Date() < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}
