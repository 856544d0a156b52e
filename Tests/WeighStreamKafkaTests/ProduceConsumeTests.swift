import Foundation
import Testing
@testable import WeighStreamKafka

@Suite("Producing and consuming through the embedded cluster")
struct ProduceConsumeTests {
    @Test("Each delivery report names the topic and partition its record went to, for records of several topics sent together")
    func deliveryReportsNameTheirTopics() async throws {
        let topics = ["reports-alarms-of-a-long-name": 2, "reports-aggregates-of-a-long-name": 3, "r": 1]
        let cluster = try makeCluster(topics: topics)
        let names = topics.keys.sorted()
        let messages = (0..<300).map { i in
            KafkaProducerMessage(
                topic: names[i % 3], partition: Int32(i % topics[names[i % 3]]!), key: Array("k\(i)".utf8), value: Array("v\(i)".utf8),
                id: UInt64(i))
        }
        let reports = try await cluster.produceAll(messages)
        #expect(reports.count == messages.count)
        for report in reports {
            let sent = messages[Int(report.id)]
            #expect(report.topic == sent.topic && report.partition == sent.partition, "report \(report.id)")
            #expect(report.offset != nil && report.error == nil && report.message == nil)
        }
    }

    @Test("A poll returns the records that are there without waiting out its timeout for a full batch")
    func pollReturnsWithoutFillingTheBatch() async throws {
        let cluster = try makeCluster(topics: ["quiet": 1])
        try await cluster.produceAll((0..<3).map { KafkaProducerMessage(topic: "quiet", key: "k", value: "v\($0)") })
        let consumer = try cluster.consumer(group: uniqueGroup("quiet"))
        defer { consumer.close() }
        try consumer.assign([TopicPartitionOffset("quiet", 0, offset: -2)])
        var seen = 0
        var longest = 0.0
        let deadline = Date(timeIntervalSinceNow: 30)
        while seen < 3 && Date() < deadline {
            let started = Date()
            let batch = try consumer.poll(maxMessages: 1_000, timeoutMs: 5_000)
            if !batch.isEmpty { longest = max(longest, Date().timeIntervalSince(started)) }
            seen += batch.count
        }
        #expect(seen == 3)
        // librdkafka's batch call alone waits the whole 5 s for 1 000 records that will never come.
        #expect(longest < 2.5, "a poll that returned records took \(longest) s")
    }

    @Test("100 000 keyed records come back exactly once, with their content, in order within each partition")
    func hundredThousandRecordsRoundTrip() async throws {
        let cluster = try makeCluster(topics: ["bulk": 8])
        let total = 100_000
        let keys = 500
        let messages = (0..<total).map { i in
            KafkaProducerMessage(
                topic: "bulk", key: "site-\(i % keys)", value: "\(i)|site-\(i % keys)|seq-\(i / keys)",
                headers: [KafkaHeader(key: "n", string: String(i))], id: UInt64(i))
        }
        try await cluster.produceAll(messages)

        let consumer = try cluster.consumer(group: uniqueGroup("bulk"))
        try await consumer.perform { try $0.subscribe(topics: ["bulk"]) }
        let received = try await consumer.consume(count: total, seconds: 120)
        consumer.close()

        #expect(received.count == total)
        var seen = [Bool](repeating: false, count: total)
        var lastOffset: [Int32: Int64] = [:]
        var lastSeqPerKey: [String: Int] = [:]
        var partitionOfKey: [String: Int32] = [:]
        for m in received {
            let fields = m.valueString.split(separator: "|")
            let i = Int(fields[0])!
            #expect(!seen[i], "record \(i) delivered twice")
            seen[i] = true
            #expect(m.keyString == String(fields[1]))
            #expect(m.header("n")?.stringValue == String(i))
            #expect(m.offset > lastOffset[m.partition, default: -1], "offsets go backwards in partition \(m.partition)")
            lastOffset[m.partition] = m.offset
            let key = String(fields[1])
            let seq = Int(fields[2].dropFirst(4))!
            #expect(seq > lastSeqPerKey[key, default: -1], "key \(key) out of order")
            lastSeqPerKey[key] = seq
            #expect(partitionOfKey[key, default: m.partition] == m.partition, "key \(key) in two partitions")
            partitionOfKey[key] = m.partition
        }
        #expect(seen.allSatisfy { $0 })
        #expect(Set(lastOffset.keys).count == 8, "keys spread over every partition")
    }

    @Test("A consumer that commits, closes and reopens resumes right after the committed offset")
    func commitCloseReopenResumes() async throws {
        let (cluster, group, first) = try await numberedTopic("resume", records: 1_000)
        let firstPart = try await first.consume(count: 400, maxPerPoll: 150)
        #expect(firstPart.count == 400)
        #expect(firstPart.last?.offset == 399)
        let (lag, cached) = try await first.perform { consumer throws(KafkaError) in
            try consumer.commit()
            return (try consumer.lag(), consumer.cachedLag())
        }
        #expect(lag[TopicPartition("resume", 0)] == 600)
        #expect(cached[TopicPartition("resume", 0)] == 600, "librdkafka's cached watermark gives the same lag: \(cached)")
        first.close()

        let second = try cluster.consumer(group: group)
        try await second.perform { try $0.subscribe(topics: ["resume"]) }
        let rest = try await second.consume(count: 600)
        second.close()
        #expect(rest.first?.offset == 400, "resumed at \(String(describing: rest.first?.offset)), not 400")
        #expect(rest.map(\.valueString) == (400..<1_000).map { "v\($0)" })
    }

    @Test("An asynchronous commit returns at once, its answer arrives later, and the group has stored it")
    func asynchronousCommitIsAnsweredAndStored() async throws {
        let (cluster, _, first) = try await numberedTopic("async-commit", records: 300)
        #expect(try await first.consume(count: 100).count == 100)
        let tp = TopicPartition("async-commit", 0)
        let results = try await first.perform { consumer throws(KafkaError) -> [KafkaCommitResult] in
            #expect(consumer.takeCommitResults().isEmpty, "no answer before any commit")
            try consumer.commitAsync([TopicPartitionOffset(tp, offset: 100, metadata: "m")])
            var results: [KafkaCommitResult] = []
            let deadline = ContinuousClock.now + .seconds(10)
            while results.isEmpty && ContinuousClock.now < deadline {
                results = consumer.takeCommitResults()
                if results.isEmpty { usleep(5_000) }
            }
            return results
        }
        #expect(results.count == 1)
        #expect(results.first?.error == nil)
        #expect(results.first?.offsets.map(\.offset) == [100])
        let committed = try await first.perform { try $0.committed([tp]) }
        #expect(committed.map(\.offset) == [100] && committed.first?.metadata == "m", "stored: \(committed)")
        withExtendedLifetime(cluster) { first.close() }
    }

    @Test("Paused partitions deliver nothing new until resumed")
    func pauseAndResume() async throws {
        let cluster = try makeCluster(topics: ["pause": 2])
        let consumer = try cluster.consumer(group: uniqueGroup("pause"))
        try await consumer.perform { try $0.subscribe(topics: ["pause"]) }
        try await cluster.produceAll((0..<100).map {
            KafkaProducerMessage(topic: "pause", partition: Int32($0 % 2), key: nil, value: Array("a\($0)".utf8), id: UInt64($0))
        })
        let before = try await consumer.consume(count: 100)
        #expect(before.count == 100)

        let paused = TopicPartition("pause", 0)
        try await consumer.perform { try $0.pause([paused]) }
        try await cluster.produceAll((0..<100).map {
            KafkaProducerMessage(topic: "pause", partition: Int32($0 % 2), key: nil, value: Array("b\($0)".utf8), id: UInt64($0))
        })
        let whilePaused = try await consumer.consume(count: 100, seconds: 4)
        #expect(whilePaused.count == 50)
        #expect(whilePaused.allSatisfy { $0.partition == 1 })

        try await consumer.perform { try $0.resume([paused]) }
        let afterResume = try await consumer.consume(count: 50)
        #expect(afterResume.count == 50)
        #expect(afterResume.allSatisfy { $0.partition == 0 })
        consumer.close()
    }

    /// A one-partition topic of `records` records keyed `k` with values `v0`, `v1`, ..., and a member of a
    /// new group subscribed to it.
    private func numberedTopic(_ topic: String, records: Int) async throws -> (EmbeddedKafkaCluster, group: String, KafkaConsumer) {
        let cluster = try makeCluster(topics: [topic: 1])
        try await cluster.produceAll((0..<records).map {
            KafkaProducerMessage(topic: topic, key: "k", value: "v\($0)", id: UInt64($0))
        })
        let group = uniqueGroup(topic)
        let consumer = try cluster.consumer(group: group)
        try await consumer.perform { try $0.subscribe(topics: [topic]) }
        return (cluster, group, consumer)
    }
}

