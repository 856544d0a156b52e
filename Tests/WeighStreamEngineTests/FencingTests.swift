import Foundation
import Testing
import WeighStreamCore
@testable import WeighStreamEngine
import WeighStreamKafka

@Suite("Fencing", .serialized)
struct FencingTests {
    @Test("a member that passed max.poll.interval.ms with its shards blocked writes no snapshot once the group gave its partitions to another")
    func aZombieWritesNoSnapshots() throws {
        let kafka = try TestCluster(partitions: 2)
        let group = "fencing"
        let cluster = kafka.cluster
        // Broker 3 leads only the zombie's own alarm topic: taking it down blocks the zombie's shards and
        // nothing else.
        try cluster.createTopic("alarms-zombie", partitions: 1)
        try cluster.setPartitionLeader("alarms-zombie", partition: 0, broker: 3)
        try cluster.setGroupCoordinator(group, broker: 1)
        for topic in [kafka.topics.weighEvents, kafka.topics.heartbeats, kafka.topics.state] {
            for p in 0..<2 { try cluster.setPartitionLeader(topic, partition: Int32(p), broker: 1) }
        }
        for topic in [kafka.topics.alarms, kafka.topics.aggregates, kafka.topics.siteStatus] {
            for p in 0..<2 { try cluster.setPartitionLeader(topic, partition: Int32(p), broker: 2) }
        }
        try cluster.setPartitionLeader(kafka.topics.deadLetters, partition: 0, broker: 2)
        func member(_ id: String, alarms: String) -> EngineConfiguration {
            kafka.configuration(group: group) {
                $0.client.clientID = id
                $0.topics.alarms = alarms
                $0.consumerProperties["session.timeout.ms"] = "3000"
                $0.consumerProperties["max.poll.interval.ms"] = "4000"
                // A small local queue: the shards block as soon as the alarms cannot leave.
                $0.producerProperties["queue.buffering.max.messages"] = "20"
                $0.livenessTimeoutMs = 2_000
            }
        }
        let scenario = Scenario(sites: 4, minutes: 10).records
        try kafka.produce(scenario)
        let zombie = try RunningEngine(member("zombie", alarms: "alarms-zombie"))
        #expect(zombie.waitForInput(scenario.count))
        #expect(zombie.waitUntil { $0.commits > 0 })

        try cluster.setBrokerDown(3)
        let sites = Set(scenario.compactMap(\.key)).sorted()
        let weighs = (0..<200).map { i in
            WireRecord(.weigh(WeighRecord(
                id: "w-late-\(i)", site: sites[i % sites.count], lane: 1, ts: t0 + 10 * minute + Int64(i) * 1_000,
                plate: "晋Z\(i)", axles: 6, vehicle: .truck, grossKg: 60_000)))
        }
        try kafka.produce(weighs)
        // The zombie's shards block on its full producer queue, its poll thread in the next commit point.
        Thread.sleep(forTimeInterval: 1)
        let owner = try RunningEngine(member("owner", alarms: kafka.topics.alarms))
        #expect(owner.waitUntil(seconds: 60) { $0.assignedPartitions == 4 && $0.ready && $0.alarms[.overLimit, default: 0] >= 200 },
                "the group gave every partition to the new owner, which processed the weighs")
        #expect(owner.waitUntil { $0.commits > 0 && $0.shardQueueDepth.allSatisfy { $0 == 0 } })
        Thread.sleep(forTimeInterval: 1)
        let before = try kafka.readAll(kafka.topics.state, atLeast: 1)
        let stored = Dictionary(grouping: before, by: \.partition).mapValues { $0.map(\.offset).max() ?? -1 }
        #expect(before.contains { $0.header("ws.writer")?.stringValue == "owner" }, "the new owner stored its snapshots")
        #expect(!zombie.engine.statistics.live, "liveness fails while the zombie's poll loop is held")
        let held = zombie.engine.statistics
        #expect(held.lag.count == 4, "lag of every assigned partition while held: \(held.lag)")
        #expect(zombie.waitUntil(seconds: 12) { $0.lagUpdatedMs > held.lagUpdatedMs }, "the lag keeps being refreshed while the poll loop is held")
        #expect(zombie.engine.reply(to: "/health/live").status == 503)
        #expect(owner.engine.statistics.live)

        try cluster.setBrokerUp(3)
        // The zombie's alarms leave, its shards and its commit point finish: it must notice it is fenced.
        #expect(zombie.waitUntil(seconds: 30) { $0.fencedSnapshots > 0 }, "the zombie dropped its pending snapshots")
        #expect(zombie.waitUntil { $0.live }, "live again once its poll loop turns")
        Thread.sleep(forTimeInterval: 2)
        zombie.abandon()
        _ = owner.stop()
        let after = try kafka.readAll(kafka.topics.state, atLeast: before.count)
        let written: [KafkaMessage] = after.filter { $0.offset > stored[$0.partition, default: -1] && $0.header("ws.writer")?.stringValue == "zombie" }
        #expect(written.count == 0, "the zombie wrote \(written.count) snapshots after the new owner had stored its own: \(written.map { "\($0.partition)/\($0.offset)" })")
    }
}
