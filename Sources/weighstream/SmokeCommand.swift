import ArgumentParser
import Foundation
import Logging
import WeighStreamKafka

/// Starts the embedded cluster, produces a batch, consumes it back in a consumer group, and prints what
/// happened: a check that the Kafka layer works on this machine.
struct SmokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract: "Start the embedded Kafka cluster, produce and consume a batch, print what happened."
    )

    @Option(help: "Records to produce.") var records = 10_000
    @Option(help: "Partitions of the smoke topic.") var partitions = 4
    @Option(help: "Brokers in the embedded cluster.") var brokers = 3

    func run() async throws {
        var logger = Logger(label: "weighstream.smoke")
        logger.logLevel = .warning
        let started = ContinuousClock.now
        let cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: logger)
        try cluster.createTopic("smoke", partitions: partitions)
        print("embedded cluster: \(brokers) brokers at \(cluster.bootstrapServers)")

        let producer = try KafkaProducer(configuration: .init(client: cluster.clientOptions()), logger: logger)
        let count = records
        let reports = try await producer.perform { producer throws(KafkaError) in
            try producer.send((0..<count).map { i in
                KafkaProducerMessage(topic: "smoke", key: "site-\(i % 97)", value: "record \(i)", id: UInt64(i))
            })
            try producer.flush(timeoutMs: 30_000)
            return producer.deliveryReports()
        }
        let failed = reports.filter { !$0.isDelivered }.count
        print("produced: \(reports.count - failed) delivered, \(failed) failed")

        let consumer = try KafkaConsumer(
            configuration: .init(client: cluster.clientOptions(), groupID: "smoke-\(UUID().uuidString)"), logger: logger)
        let consumed = try await consumer.perform { consumer throws(KafkaError) in
            try consumer.subscribe(topics: ["smoke"])
            var seen = 0
            var perPartition: [Int32: Int] = [:]
            let deadline = ContinuousClock.now + .seconds(60)
            while seen < count && ContinuousClock.now < deadline {
                let batch = try consumer.poll(maxMessages: 5_000, timeoutMs: 200)
                seen += batch.count
                for m in batch { perPartition[m.partition, default: 0] += 1 }
            }
            try consumer.commit(consumer.assignment().map { tp in
                TopicPartitionOffset(tp, offset: (try? consumer.position([tp]).first?.offset) ?? -1)
            }.filter { $0.offset >= 0 })
            consumer.close()
            return (seen, perPartition)
        }
        producer.close()
        withExtendedLifetime(cluster) {}
        print("consumed: \(consumed.0) records; per partition: \(consumed.1.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        print("elapsed: \(ContinuousClock.now - started)")
        if consumed.0 != count || failed > 0 {
            throw ValidationError("smoke failed: produced \(count), delivered \(reports.count - failed), consumed \(consumed.0)")
        }
        print("ok")
    }
}
