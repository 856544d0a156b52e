import Foundation
import Synchronization
import Testing
@testable import WeighStreamKafka

@Suite("Broker faults and produce errors")
struct FaultTests {
    @Test("A broker going down and up while an idempotent producer sends loses and duplicates nothing")
    func brokerDownAndUpKeepsEveryRecordOnce() async throws {
        let cluster = try makeCluster(brokers: 3, topics: ["idem": 6])
        let producer = try cluster.producer { $0.messageTimeoutMs = 120_000 }
        let total = 30_000
        let sending = Task.detached {
            try await producer.perform { producer throws(KafkaError) in
                for start in stride(from: 0, to: total, by: 1_000) {
                    try producer.send((start..<start + 1_000).map {
                        KafkaProducerMessage(topic: "idem", key: "k\($0 % 64)", value: "m\($0)", id: UInt64($0))
                    })
                    Thread.sleep(forTimeInterval: 0.02)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(150))
        try cluster.setBrokerDown(2)
        try await Task.sleep(for: .seconds(2))
        try cluster.setBrokerUp(2)
        try await sending.value
        let reports = try await producer.perform { producer throws(KafkaError) in
            try producer.flush(timeoutMs: 120_000)
            return producer.deliveryReports()
        }
        producer.close()
        #expect(reports.count == total)
        #expect(reports.filter { !$0.isDelivered }.isEmpty)

        let consumer = try cluster.consumer(group: uniqueGroup("idem"))
        try await consumer.perform { try $0.subscribe(topics: ["idem"]) }
        let received = try await consumer.consume(count: total + 1, seconds: 8)
        consumer.close()
        let values = received.map(\.valueString)
        #expect(values.count == total, "\(values.count - Set(values).count) duplicates")
        #expect(Set(values) == Set((0..<total).map { "m\($0)" }))
    }

    @Test("Injected retriable and permanent produce errors reach the caller as delivery errors with their codes")
    func injectedProduceErrorsAreReported() async throws {
        let cluster = try makeCluster(brokers: 1, topics: ["errs": 1])
        // The first failure is final and must surface as it is.
        let producer = try cluster.producerWithoutRetries()
        // Blocking calls on the test's thread, one right after the other: awaiting each would leave gaps (the
        // resumed test waits for a cooperative thread) in which librdkafka may refresh the topic's metadata
        // and forget the authorization failure the last step checks.
        func sendOne(_ id: UInt64) throws -> [KafkaDeliveryReport] {
            try producer.sendAndReport(KafkaProducerMessage(topic: "errs", key: "k", value: "x\(id)", id: id))
        }
        // A retriable error (not enough replicas) and a permanent one (record too large).
        for (i, code) in [KafkaError.Code.notEnoughReplicas, .messageSizeTooLarge].enumerated() {
            cluster.pushRequestErrors(.produce, [code])
            let reports = try sendOne(UInt64(100 + i))
            #expect(reports.map(\.id) == [UInt64(100 + i)])
            #expect(reports.first?.error?.code == code, "\(code): got \(String(describing: reports.first?.error))")
        }
        // With nothing injected the same producer delivers again.
        let ok = try sendOne(7)
        #expect(ok.map(\.isDelivered) == [true], "\(ok)")

        // An authorization failure is permanent for the topic: the delivery fails, and so does the next
        // record at enqueue time, reported through the same delivery path rather than thrown.
        cluster.pushRequestErrors(.produce, [.topicAuthorizationFailed])
        let denied = try sendOne(8)
        #expect(denied.first?.error?.code == .topicAuthorizationFailed)
        let refused = try sendOne(9)
        #expect(refused.map(\.id) == [9])
        #expect(refused.first?.error?.code == .topicAuthorizationFailed)
        #expect(refused.first?.message?.value == Array("x9".utf8), "refused at enqueue time: the record as given")
        producer.close()
    }

    @Test("A refused record comes back whole in its delivery report: the partition it went to, key, value and headers")
    func refusedRecordComesBackInItsReport() throws {
        let cluster = try makeCluster(brokers: 1, topics: ["back": 2])
        let producer = try cluster.producerWithoutRetries()
        func sendRefused(_ message: KafkaProducerMessage) throws -> [KafkaDeliveryReport] {
            cluster.pushRequestErrors(.produce, [.messageSizeTooLarge])
            return try producer.sendAndReport(message)
        }
        let sent = KafkaProducerMessage(
            topic: "back", partition: 1, key: Array("site-7".utf8), value: Array(#"{"grossKg":49000}"#.utf8),
            headers: [KafkaHeader(key: "ws.error", string: "field gross_kg"), KafkaHeader(key: "ws.none", value: nil)],
            timestampMs: 1_795_950_000_123, id: 42)
        // The timestamp comes back only where librdkafka reports it (2.0.2: not for a failed record), never another.
        func sameBut(timestamp message: KafkaProducerMessage?, as original: KafkaProducerMessage) -> Bool {
            guard var message, message.timestampMs == nil || message.timestampMs == original.timestampMs else { return false }
            message.timestampMs = original.timestampMs
            return message == original
        }
        let fixed = try sendRefused(sent)
        #expect(fixed.first?.error?.code == .messageSizeTooLarge)
        #expect(sameBut(timestamp: fixed.first?.message, as: sent), "\(String(describing: fixed.first?.message))")

        // Left to the partitioner: the report names the partition chosen, and the record keeps it.
        var keyed = sent
        keyed.partition = nil
        keyed.id = 43
        let chosen = try sendRefused(keyed)
        let back = try #require(chosen.first?.message)
        #expect(back.partition == chosen.first?.partition && (0..<2).contains(back.partition ?? -1))
        keyed.partition = back.partition
        #expect(sameBut(timestamp: back, as: keyed), "\(back)")

        let delivered = try producer.sendAndReport(sent)
        #expect(delivered.map(\.isDelivered) == [true] && delivered.first?.message == nil, "a delivered record is not copied")
        producer.close()
    }

    @Test("An idempotent producer retries retriable errors and delivers each record once")
    func idempotentProducerRetries() async throws {
        let cluster = try makeCluster(brokers: 1, topics: ["retry": 1])
        cluster.pushRequestErrors(.produce, [.notEnoughReplicas, .notLeaderForPartition, .notEnoughReplicas])
        let reports = try await cluster.produceAll((0..<50).map {
            KafkaProducerMessage(topic: "retry", key: "k", value: "r\($0)", id: UInt64($0))
        })
        #expect(Set(reports.map(\.id)) == Set((0..<50).map(UInt64.init)))
        let consumer = try cluster.consumer(group: uniqueGroup("retry"))
        try await consumer.perform { try $0.subscribe(topics: ["retry"]) }
        let received = try await consumer.consume(count: 51, seconds: 6)
        consumer.close()
        #expect(received.map(\.valueString) == (0..<50).map { "r\($0)" })
    }

    @Test("A fatal idempotence error makes the producer refuse further sends with a fatal error")
    func fatalErrorStopsTheProducer() async throws {
        let cluster = try makeCluster(brokers: 1, topics: ["fatal": 1])
        cluster.pushRequestErrors(.initProducerID, [.init(rawValue: 31)])  // CLUSTER_AUTHORIZATION_FAILED
        let producer = try cluster.producer()
        // The first send may already see the fatal error, or may queue before it is raised.
        _ = try? await producer.perform { try $0.send(KafkaProducerMessage(topic: "fatal", key: "k", value: "v", id: 1)) }
        #expect(await eventually(seconds: 15) { producer.fatalError != nil })
        #expect(producer.fatalError?.isFatal == true)
        #expect(producer.fatalError?.message.lowercased().contains("authoriz") == true, "\(String(describing: producer.fatalError))")
        await #expect(throws: KafkaError.self) {
            try await producer.perform { try $0.send(KafkaProducerMessage(topic: "fatal", key: "k", value: "v2", id: 2)) }
        }
        producer.close(timeoutMs: 1_000)
    }
}
