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
        let records = Scenario(sites: 3, minutes: 3).records
        try kafka.produce(records)
        let running = try RunningEngine(kafka.configuration { $0.idleTimeoutMs = 1_500 })
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
