import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

@Suite("Engine recovery", .serialized)
struct RecoveryTests {
    /// A truck weighed over the limit in the first part of the stream and leaving in the second.
    static let straddler = "晋M77777"

    static func straddlingTruck(site: String) -> (weigh: WireRecord, exit: WireRecord) {
        let weigh = InputRecord.weigh(WeighRecord(
            id: "\(site)-1-straddle", site: site, lane: 1, ts: t0 + 9 * minute, plate: straddler, axles: 6,
            vehicle: .combination, grossKg: 60_000))
        let exit = InputRecord.passage(PassageRecord(
            id: "\(site)-G1-straddle", site: site, lane: 1, ts: t0 + 11 * minute, plate: straddler, direction: .exit))
        return (WireRecord(weigh), WireRecord(exit))
    }

    /// Twenty minutes of eight sites split at minute 10, the straddling truck weighed in the first part at
    /// `site` and leaving in the second.
    static func twoParts(site: Int) -> (first: [WireRecord], second: [WireRecord]) {
        let scenario = Scenario(sites: 8, minutes: 20)
        let all = scenario.records
        let truck = straddlingTruck(site: scenario.sites[site])
        return (all.filter { $0.ts < t0 + 10 * minute } + [truck.weigh], all.filter { $0.ts >= t0 + 10 * minute } + [truck.exit])
    }

    @Test("an abrupt stop without commit and a restart lose no alarm, repeat alarms only with their ids, and remember a truck weighed before the stop")
    func abruptStopAndRestart() throws {
        let kafka = try TestCluster()
        let (first, second) = Self.twoParts(site: 2)
        let configuration = kafka.configuration(group: "restart")

        try kafka.produce(first)
        let engine1 = try RunningEngine(configuration)
        #expect(engine1.waitForInput(first.count))
        #expect(engine1.waitUntil { $0.commits > 0 && $0.shardQueueDepth.allSatisfy { $0 == 0 } })
        Thread.sleep(forTimeInterval: 0.5)  // at least one commit point after the last record
        // More input, and the engine killed while it works on it: nothing of this is committed.
        try kafka.produce(Array(second.prefix(second.count / 2)))
        #expect(engine1.waitUntil { $0.recordsInTotal > first.count })
        engine1.abandon()

        try kafka.produce(Array(second.dropFirst(second.count / 2)))
        let engine2 = try RunningEngine(configuration)
        #expect(engine2.waitUntil { $0.sitesRestored > 0 }, "state came back from the state topic")
        #expect(engine2.waitUntil { $0.recordsInTotal > 0 && $0.shardQueueDepth.allSatisfy { $0 == 0 } })
        Thread.sleep(forTimeInterval: 2)
        _ = engine2.stop()

        let expected = try kafka.reference(records: first.count + second.count)
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let got = alarmIDs(alarms), want = alarmIDs(expected.alarms)
        let missing = Set(want.keys).subtracting(got.keys), unexpected = Set(got.keys).subtracting(want.keys)
        #expect(missing.isEmpty, "lost alarms: \(missing.map { want[$0]! })")
        #expect(unexpected.isEmpty, "alarms no uninterrupted run raises: \(unexpected.map { got[$0]! })")
        let released = expected.alarms.filter { $0.type == .releasedOverloaded && $0.plate == Self.straddler }
        #expect(released.count == 1)
        #expect(released.allSatisfy { got[$0.alarmID] != nil }, "the truck weighed before the stop is released-overloaded after it")
        #expect(!expected.alarms.contains { $0.type == .unweighedExit && $0.plate == Self.straddler })
        try expectSameAggregates(kafka, expected)
    }

    @Test("an alarm still unacknowledged (its partition leaderless) when its records are snapshotted is raised again after a crash")
    func snapshotsWaitForTheirAlarms() throws {
        let kafka = try TestCluster(partitions: 1)
        let configuration = kafka.configuration(group: "leaderless")
        let site = "140823001"
        let beats = (0..<6).map { WireRecord(.heartbeat(HeartbeatRecord(device: "SC", site: site, kind: .scale, ts: t0 + Int64($0) * 10_000, seq: Int64($0)))) }
        try kafka.produce(beats)
        let engine1 = try RunningEngine(configuration)
        #expect(engine1.waitForInput(beats.count))
        #expect(engine1.waitUntil { $0.commits > 0 })
        // The alarms partition loses its leader; the weigh's OVER_LIMIT cannot be acknowledged, while the
        // state topic still takes snapshots and commit points go on.
        kafka.cluster.setTopicError(kafka.topics.alarms, KafkaError.Code(rawValue: 5))  // LEADER_NOT_AVAILABLE
        let weigh = InputRecord.weigh(WeighRecord(id: "w-leaderless", site: site, lane: 1, ts: t0 + 61_000, plate: "晋M1",
                                                  axles: 6, vehicle: .truck, grossKg: 60_000))
        try kafka.produce([WireRecord(weigh)])
        #expect(engine1.waitForInput(beats.count + 1))
        let commitsBefore = engine1.engine.statistics.commits
        Thread.sleep(forTimeInterval: 1.5)  // several commit points while the alarm waits
        #expect(engine1.engine.statistics.commits == commitsBefore, "no offset moves past an unacknowledged alarm")
        engine1.abandon()  // the process dies with the alarm undelivered
        kafka.cluster.setTopicError(kafka.topics.alarms, .noError)

        let engine2 = try RunningEngine(configuration)
        #expect(engine2.waitUntil { $0.alarms[.overLimit, default: 0] > 0 }, "the weigh is processed again after the restart")
        _ = engine2.stop()
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 1)
        #expect(alarmIDs(alarms).values.contains("OVER_LIMIT"))
    }

    @Test("refused snapshots are never re-sent: every site is snapshotted afresh before offsets move, and a crash after that loses nothing")
    func refusedSnapshotsAreRewrittenNotResent() throws {
        let kafka = try TestCluster(partitions: 2)
        let (first, second) = Self.twoParts(site: 1)
        let configuration = kafka.configuration(group: "refused") { $0.commitIntervalMs = 1_500 }
        try kafka.produce(first)
        let engine1 = try RunningEngine(configuration)
        #expect(engine1.waitForInput(first.count))
        #expect(engine1.waitUntil { $0.commits > 0 })
        let half = second.count / 2
        try kafka.produce(Array(second.prefix(half)))
        #expect(engine1.waitForInput(first.count + half))
        Thread.sleep(forTimeInterval: 0.3)  // the outputs are delivered; the next produce requests are the snapshots
        // The brokers refuse the next produce requests for good: the commit point's snapshots are lost.
        let refusals: [KafkaError.Code] = Array(repeating: KafkaError.Code.messageSizeTooLarge, count: 6)
        kafka.cluster.pushRequestErrors(.produce, refusals)
        #expect(engine1.waitUntil { $0.lostSnapshots > 0 }, "snapshots refused")
        #expect(engine1.engine.statistics.produceErrors[kafka.topics.state, default: 0] > 0, "counted by topic: \(engine1.engine.statistics.produceErrors)")
        let commits = engine1.engine.statistics.commits
        #expect(engine1.waitUntil { $0.commits > commits }, "every site snapshotted afresh, then commits again")
        engine1.abandon()

        try kafka.produce(Array(second.dropFirst(half)))
        let engine2 = try RunningEngine(configuration)
        #expect(engine2.waitUntil { $0.sitesRestored > 0 })
        #expect(engine2.waitUntil { $0.recordsInTotal > 0 && $0.shardQueueDepth.allSatisfy { $0 == 0 } })
        Thread.sleep(forTimeInterval: 2)
        _ = engine2.stop()
        let expected = try kafka.reference(records: first.count + second.count)
        let got = alarmIDs(try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count))
        #expect(Set(got.keys) == Set(alarmIDs(expected.alarms).keys))
        try expectSameAggregates(kafka, expected)
    }

    @Test("a final offset commit the coordinator refuses fails the run instead of reporting a clean stop")
    func refusedFinalCommitFailsTheRun() throws {
        let kafka = try TestCluster(partitions: 1)
        let records = Scenario(sites: 2, minutes: 2).records
        try kafka.produce(records)
        // No commit point before the stop: the final one carries every offset.
        let engine = try RunningEngine(kafka.configuration(group: "final-commit") { $0.commitIntervalMs = 600_000 })
        #expect(engine.waitForInput(records.count))
        kafka.cluster.pushRequestErrors(.offsetCommit, Array(repeating: KafkaError.Code(rawValue: 22), count: 20))  // ILLEGAL_GENERATION
        let outcome = engine.stop()
        guard case .failure(let error)? = outcome else { Issue.record("the run ended with \(String(describing: outcome))"); return }
        #expect("\(error)".contains("final offset commit"), "\(error)")
        #expect(engine.engine.statistics.commits == 0)
    }

    @Test("an unreadable stored snapshot stops the engine with its site named, unless restore.skip_unreadable starts that site empty")
    func unreadableSnapshotsRefuseTheAssignment() throws {
        let kafka = try TestCluster(partitions: 1)
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: kafka.cluster.clientOptions(clientID: "state")), logger: quietLogger)
        // A snapshot of a version this release does not know, as a rollback would find it.
        try producer.send(KafkaProducerMessage(topic: kafka.topics.state, partition: 0, key: Array("140823001".utf8), value: Array("WSS".utf8) + [9, 1, 0], id: 1))
        try producer.flush(timeoutMs: 30_000)
        producer.close()
        let refusing = try RunningEngine(kafka.configuration(group: "unreadable"))
        let outcome = refusing.wait(seconds: 60)
        guard case .failure(let error)? = outcome else { Issue.record("the engine ran on: \(String(describing: outcome))"); return }
        #expect("\(error)".contains("140823001") && "\(error)".contains("restore.skip_unreadable"), "\(error)")

        let skipping = try RunningEngine(kafka.configuration(group: "unreadable-skip") { $0.skipUnreadableSnapshots = true })
        #expect(skipping.waitUntil { $0.unreadableSnapshots == 1 && $0.ready })
        #expect((try? skipping.stop()?.get()) != nil)
    }

    @Test("two engines in one group: a rebalance moves sites and their state, and every alarm is raised once per condition")
    func twoEnginesShareTheWork() throws {
        let kafka = try TestCluster(partitions: 4)
        let scenario = Scenario(sites: 10, minutes: 20)
        let all = scenario.records
        let first = all.filter { $0.ts < t0 + 10 * minute }
        let second = all.filter { $0.ts >= t0 + 10 * minute }
        let configuration = kafka.configuration(group: "pair", shards: 1)

        try kafka.produce(first)
        let a = try RunningEngine(configuration)
        #expect(a.waitForInput(first.count))
        let b = try RunningEngine(configuration)
        #expect(b.waitUntil { $0.assignedPartitions > 0 && $0.ready }, "the second engine got partitions")
        #expect(a.waitUntil { $0.assignedPartitions < 8 })
        try kafka.produce(second)
        #expect(a.waitUntil { _ in a.engine.statistics.recordsInTotal + b.engine.statistics.recordsInTotal >= all.count })
        #expect(b.waitUntil { $0.sitesRestored > 0 }, "the sites that moved brought their state")
        Thread.sleep(forTimeInterval: 1)
        _ = b.stop()
        _ = a.stop()

        let expected = try kafka.reference(records: all.count)
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let got = alarmIDs(alarms), want = alarmIDs(expected.alarms)
        #expect(Set(got.keys) == Set(want.keys), "missing \(Set(want.keys).subtracting(got.keys).map { want[$0]! }), unexpected \(Set(got.keys).subtracting(want.keys).map { got[$0]! })")
        try expectSameAggregates(kafka, expected)
    }

    @Test("a broker down and up, and injected produce and commit errors, lose nothing")
    func brokerFailuresAndInjectedErrors() throws {
        let kafka = try TestCluster(partitions: 4, brokers: 3)
        let all = Scenario(sites: 8, minutes: 16).records
        let configuration = kafka.configuration(group: "faults")
        try kafka.produce(Array(all.prefix(all.count / 3)))
        let running = try RunningEngine(configuration)
        #expect(running.waitForInput(all.count / 3))

        kafka.cluster.pushRequestErrors(.produce, [.notEnoughReplicas, .notEnoughReplicas, .requestTimedOut, .notLeaderForPartition])
        kafka.cluster.pushRequestErrors(.offsetCommit, [.requestTimedOut, .coordinatorNotAvailable, .notCoordinator])
        try kafka.produce(Array(all.dropFirst(all.count / 3).prefix(all.count / 3)))
        try kafka.cluster.setBrokerDown(2)
        Thread.sleep(forTimeInterval: 2)
        try kafka.cluster.setBrokerUp(2)
        try kafka.produce(Array(all.dropFirst(2 * (all.count / 3))))
        #expect(running.waitForInput(all.count, seconds: 90))
        Thread.sleep(forTimeInterval: 1)
        let outcome = running.stop()
        #expect(outcome.map { (try? $0.get()) != nil } == true, "\(String(describing: outcome))")

        let expected = try kafka.reference(records: all.count)
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let got = alarmIDs(alarms), want = alarmIDs(expected.alarms)
        #expect(Set(want.keys).isSubset(of: Set(got.keys)), "lost \(Set(want.keys).subtracting(got.keys).count) alarms")
        #expect(Set(got.keys).isSubset(of: Set(want.keys)))
        try expectSameAggregates(kafka, expected)
    }

    @Test("outputs the broker refuses are re-sent before their offsets are committed, and nothing is lost")
    func refusedOutputsAreResent() throws {
        let kafka = try TestCluster(partitions: 2)
        let records = Scenario(sites: 4, minutes: 10).records
        try kafka.produce(records)
        let expected = try kafka.reference(records: records.count)
        // The engine's first produce requests are refused with a permanent error: librdkafka reports the
        // records as failed instead of retrying them, and only the engine's re-send delivers them.
        kafka.cluster.pushRequestErrors(.produce, [.messageSizeTooLarge, .messageSizeTooLarge])
        let running = try RunningEngine(kafka.configuration())
        #expect(running.waitForInput(records.count))
        #expect(running.waitUntil { $0.redeliveries > 0 && $0.commits > 0 }, "\(running.engine.statistics.redeliveries) re-sent")
        let outcome = running.stop()
        #expect(outcome.map { (try? $0.get()) != nil } == true, "\(String(describing: outcome))")
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        #expect(Set(alarmIDs(alarms).keys) == Set(alarmIDs(expected.alarms).keys))
        try expectSameAggregates(kafka, expected)
    }

    @Test("records the client delivers again within an assignment (a fetch reset to the earliest offset) are processed once")
    func clientRedeliveryIsProcessedOnce() throws {
        let kafka = try TestCluster(partitions: 2)
        let records = Scenario(sites: 4, minutes: 10).records
        let half = records.count / 2
        try kafka.produce(Array(records.prefix(half)))
        let running = try RunningEngine(kafka.configuration(group: "redelivered"))
        #expect(running.waitForInput(half))
        // OFFSET_OUT_OF_RANGE on the next fetches: librdkafka starts those partitions again at auto.offset.reset
        // (earliest) and delivers their records a second time, with no rebalance, as librdkafka before 2.1.1 can
        // also do for a fetch answered during an offset validation.
        kafka.cluster.pushRequestErrors(.fetch, Array(repeating: .offsetOutOfRange, count: 4))
        #expect(running.waitUntil(seconds: 30) { $0.redeliveredInput > 0 }, "the client delivered records again")
        try kafka.produce(Array(records.dropFirst(half)))
        #expect(running.waitForInput(records.count))
        Thread.sleep(forTimeInterval: 1)
        let statistics = running.engine.statistics
        let outcome = running.stop()
        #expect(outcome.map { (try? $0.get()) != nil } == true, "\(String(describing: outcome))")
        #expect(statistics.recordsInTotal == records.count, "each record processed once: \(statistics.recordsInTotal) of \(records.count)")
        let expected = try kafka.reference(records: records.count)
        #expect(statistics.duplicates == expected.duplicates, "a record delivered again is not a duplicate a gateway sent: \(statistics.duplicates)")
        #expect(statistics.late == expected.late, "nor a late record: \(statistics.late)")
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        #expect(Set(alarmIDs(alarms).keys) == Set(alarmIDs(expected.alarms).keys))
        try expectSameAggregates(kafka, expected)
    }

    @Test("a burst far above processing speed pauses and resumes partitions, and queued records stay under the high water")
    func burstIsBoundedByBackPressure() throws {
        let kafka = try TestCluster(partitions: 4)
        var records: [WireRecord] = []
        for round in 0..<4 { records += Scenario(sites: 16, minutes: 30).records.map { r in var r = r; r.ts += Int64(round); return r } }
        try kafka.produce(records)
        let highWater = 2_000
        let running = try RunningEngine(kafka.configuration(shards: 2) {
            $0.shardHighWater = highWater
            $0.shardLowWater = 500
            $0.pauseAfterMs = 0
            $0.pollBatch = 1_000
        })
        var peak = 0
        let deadline = Date(timeIntervalSinceNow: 120)
        while Date() < deadline {
            let s = running.engine.statistics
            peak = max(peak, s.shardQueueDepth.max() ?? 0)
            if s.recordsInTotal >= records.count { break }
            Thread.sleep(forTimeInterval: 0.005)
        }
        let s = running.engine.statistics
        _ = running.stop()
        #expect(s.recordsInTotal == records.count)
        #expect(s.pauses > 0 && s.resumes > 0, "pauses \(s.pauses), resumes \(s.resumes)")
        // librdkafka still delivers what it fetched before the pause: at most one more poll batch per
        // partition beyond the high water.
        #expect(peak <= highWater + 4 * 1_000, "peak queue \(peak)")
    }

    @Test("silence on every input fires DEVICE_OFFLINE and SITE_OFFLINE through the idle timeout")
    func silenceFiresOfflineAlarms() throws {
        let kafka = try TestCluster(partitions: 2)
        // Heartbeats every 2 s and the shortest offline timeout 6 s (above max_future_ms), so that the wall
        // clock has 6 s to cover, not the default 30.
        var scenario = Scenario(sites: 3, minutes: 3)
        scenario.heartbeatIntervalMs = 2_000
        let records = scenario.records
        try kafka.produce(records)
        let running = try RunningEngine(kafka.configuration {
            $0.idleTimeoutMs = 1_500
            $0.processor.health.minOfflineMs = 6_000
        })
        #expect(running.waitForInput(records.count))
        #expect(running.waitUntil(seconds: 90) { ($0.alarms[.siteOffline] ?? 0) >= 3 && ($0.alarms[.deviceOffline] ?? 0) >= 12 },
                "\(running.engine.statistics.alarms)")
        _ = running.stop()
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 3 * 5)
        let types = alarmIDs(alarms).values
        #expect(types.filter { $0 == "DEVICE_OFFLINE" }.count == 12)
        #expect(types.filter { $0 == "SITE_OFFLINE" }.count == 3)
    }

    @Test("exactly-once mode commits outputs and offsets in transactions and gives the same alarms")
    func exactlyOnceRunsInTransactions() throws {
        let kafka = try TestCluster(partitions: 2, brokers: 1)
        let records = Scenario(sites: 4, minutes: 8).records
        try kafka.produce(records)
        let expected = try kafka.reference(records: records.count)
        let running = try RunningEngine(kafka.configuration { $0.guarantee = .exactlyOnce })
        #expect(running.waitForInput(records.count))
        #expect(running.waitUntil { $0.commits > 0 })
        let outcome = running.stop()
        #expect(outcome.map { (try? $0.get()) != nil } == true, "\(String(describing: outcome))")
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        #expect(Set(alarmIDs(alarms).keys) == Set(alarmIDs(expected.alarms).keys))
    }
}
