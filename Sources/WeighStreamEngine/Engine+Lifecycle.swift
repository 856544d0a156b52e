import Foundation
import Logging
import WeighStreamCore
import WeighStreamKafka

extension Engine {
    /// Every topic must exist; both inputs and the state topic need one partition count, because a site's
    /// state lives in the partition with the number of its input partitions. Returns that count.
    func checkTopology() throws(EngineError) -> Int {
        let topics = configuration.topics
        let counts: [String: Int]
        do {
            counts = try KafkaAdmin(client: configuration.client, logger: logger).topics(timeoutMs: 15_000)
        } catch {
            throw EngineError(.kafka, "cannot read cluster metadata from \(configuration.client.bootstrapServers.joined(separator: ","))", underlying: error)
        }
        let missing = topics.all.filter { counts[$0] == nil }
        if !missing.isEmpty {
            throw EngineError(.topology, "missing topics \(missing.joined(separator: ", ")): create them first (`weighstream topics create`)")
        }
        let inputs = counts[topics.weighEvents]!
        for name in [topics.heartbeats, topics.state] where counts[name]! != inputs {
            throw EngineError(.topology, "topic \(name) has \(counts[name]!) partitions but \(topics.weighEvents) has \(inputs): they must match")
        }
        return inputs
    }

    func start() throws(EngineError) {
        let c = configuration
        do {
            sink = try OutputSink(configuration: c.producerConfiguration(), stateTopic: c.topics.state, logger: logger)
            restorer = try StateRestorer(configuration: c, logger: logger)

            shards = (0..<c.shards).map { Shard(index: $0, processor: c.processor, sink: sink, topics: c.topics, logger: logger) }
            publishShards()

            consumer = try KafkaConsumer(configuration: c.consumerConfiguration(), logger: logger, rebalanceListener: self)

            if c.guarantee == .exactlyOnce {
                try sink.producer.initTransactions()
                try sink.producer.beginTransaction()
                transactionOpen = true
            }
            try consumer.subscribe(topics: [c.topics.weighEvents, c.topics.heartbeats])
        } catch {
            throw EngineError(.kafka, "cannot start the Kafka clients", underlying: error)
        }
    }

    /// Graceful: a last commit point, then leave the group. Otherwise (abandon, or after an error): leave
    /// without committing anything more, like a crashed process would. Returns the final commit's failure:
    /// the caller must not report a clean stop when the last outputs or offsets did not make it.
    @discardableResult
    func teardown(graceful: Bool) -> EngineError? {
        var failure: EngineError?
        if graceful {
            do {
                try commitPoint(release: nil)
            } catch {
                logger.error("final commit failed; the next start re-reads from the previous commit", metadata: ["error": "\(error)"])
                failure = error
                abandonRequested.store(true, ordering: .releasing)
            }
        } else {
            abandonRequested.store(true, ordering: .releasing)
        }
        leaving = true
        consumer?.close()
        if transactionOpen {
            try? sink.producer.abortTransaction(timeoutMs: 5_000)
            transactionOpen = false
        }
        sink?.producer.close(timeoutMs: graceful ? 30_000 : 0)
        restorer?.close()
        engineStatistics.withLock { $0.ready = false; $0.assignedPartitions = 0 }
        logger.info("engine stopped", metadata: ["graceful": "\(graceful && failure == nil)"])
        consumer = nil
        return failure
    }
}
