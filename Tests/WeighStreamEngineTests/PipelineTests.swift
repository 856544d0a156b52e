import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

@Suite("Engine pipeline", .serialized)
struct PipelineTests {
    @Test("several sites through the full pipeline give exactly the alarms and closed windows of one uninterrupted processor")
    func fullPipelineMatchesReference() throws {
        let kafka = try TestCluster()
        var scenario = Scenario(sites: 12, minutes: 20)
        scenario.silentFrom[scenario.sites[4]] = t0 + 12 * minute
        scenario.silentFrom[scenario.sites[9]] = t0 + 10 * minute
        let records = scenario.records
        try kafka.produce(records)
        let expected = try kafka.reference(records: records.count)
        #expect(expected.alarms.contains { $0.type == .overLimit })
        #expect(expected.alarms.contains { $0.type == .releasedOverloaded })
        #expect(expected.alarms.contains { $0.type == .unweighedExit })
        #expect(expected.alarms.contains { $0.type == .siteOffline })

        let running = try RunningEngine(kafka.configuration(shards: 2))
        #expect(running.waitForInput(records.count))
        // Outputs acknowledged, then snapshots, then a commit; and a lag reading after the last record.
        #expect(running.waitUntil(seconds: 20) { $0.commits > 0 })
        Thread.sleep(forTimeInterval: 1.2)
        let stats = running.engine.statistics
        let progress = running.engine.progress
        let outcome = running.stop()
        #expect(outcome.map { (try? $0.get()) != nil } == true, "\(String(describing: outcome))")

        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let sameAlarms = alarmIDs(alarms) == alarmIDs(expected.alarms)
        #expect(sameAlarms)
        #expect(alarms.count == expected.alarms.count, "no alarm twice in a clean run")
        let aggregates = try kafka.readAll(kafka.topics.aggregates, atLeast: expected.aggregates.count)
        let got = aggregateSet(aggregates), want = aggregateSet(expected.aggregates)
        let same = got == want
        #expect(same, "\(difference(got, want))")
        #expect(aggregates.allSatisfy { m in
            String(decoding: m.value, as: UTF8.self).contains("\"site\":\"\(m.keyString ?? "-")\"")
        }, "aggregates are keyed by site")

        #expect(stats.recordsInTotal == records.count)
        #expect(progress.recordsIn == records.count && progress.queuedRecords == 0, "progress counts what statistics counts")
        #expect(stats.alarmsTotal == expected.alarms.count)
        #expect(stats.commits > 0)
        #expect(stats.snapshotsWritten >= scenario.sites.count)
        #expect(stats.lag.count == 2 * kafka.partitions && stats.lag.values.allSatisfy { $0 == 0 }, "caught up: \(stats.lag)")
    }

    @Test("bad records go to the dead-letter topic with their reason and source, and every good record is processed")
    func badRecordsGoToTheDeadLetterTopic() throws {
        let kafka = try TestCluster()
        let good = Scenario(sites: 4, minutes: 6).records
        let bad: [WireRecord] = [
            WireRecord(topic: .weighEvents, key: "140823001", raw: "{not json", ts: t0),
            WireRecord(topic: .weighEvents, key: "140823002", raw: #"{"v":1,"type":"weigh","id":"x","site":"140823002","lane":1,"ts":1795950000000,"plate":"晋M1","axles":6,"vehicle":"combination"}"#, ts: t0),
            WireRecord(topic: .weighEvents, key: "140823003", raw: #"{"v":1,"type":"weigh","id":"y","site":"140823003","lane":1,"ts":1795950000000,"plate":"晋M1","axles":1,"vehicle":"truck","gross_kg":1000}"#, ts: t0),
            WireRecord(topic: .heartbeats, key: "140823001", raw: #"{"v":2,"device":"d","site":"140823001","kind":"scale","ts":1,"seq":1}"#, ts: t0),
            WireRecord(topic: .heartbeats, key: "140823004", raw: #"{"v":1,"device":"d","site":"140823004","kind":"radar","ts":1,"seq":1}"#, ts: t0),
        ]
        // Bad records spread through the good ones.
        var mixed = good
        for (i, b) in bad.enumerated() { mixed.insert(b, at: min(mixed.count, (i + 1) * good.count / (bad.count + 1))) }
        try kafka.produce(mixed)
        let expected = try kafka.reference(records: mixed.count)
        #expect(!expected.alarms.isEmpty)

        let running = try RunningEngine(kafka.configuration())
        #expect(running.waitForInput(mixed.count))
        _ = running.stop()

        let dead = try kafka.readAll(kafka.topics.deadLetters, atLeast: bad.count)
        #expect(dead.count == bad.count)
        let reasons = dead.map { String(decoding: $0.header("ws.error")?.value ?? [], as: UTF8.self) }
        #expect(reasons.contains { $0.contains("gross_kg") && $0.contains("missing") })
        #expect(reasons.contains { $0.contains("axles") })
        #expect(reasons.contains { $0.contains("v") })
        #expect(reasons.contains { $0.contains("kind") })
        for d in dead {
            let source = String(decoding: d.header("ws.source")?.value ?? [], as: UTF8.self)
            #expect(source.hasPrefix("weigh-events/") || source.hasPrefix("heartbeats/"), "\(source)")
            #expect(bad.contains { $0.value == d.value && $0.key == d.keyString }, "original key and bytes, unchanged")
        }
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        #expect(alarmIDs(alarms) == alarmIDs(expected.alarms))
        #expect(running.engine.statistics.deadLettersTotal == bad.count)
    }

    @Test("a record keyed with the wrong site is re-keyed to its site's partition and processed with the site's state")
    func wronglyKeyedRecordsAreRekeyed() throws {
        let kafka = try TestCluster()
        let site = "140823007"
        let weighed = InputRecord.weigh(WeighRecord(
            id: "w1", site: site, lane: 1, ts: t0, plate: "晋M99999", axles: 6, vehicle: .combination, grossKg: 56_000))
        let exit = InputRecord.passage(PassageRecord(id: "g1", site: site, lane: 1, ts: t0 + 60_000, plate: "晋M99999", direction: .exit))
        // The weigh is keyed right; the exit comes keyless, and another exit with a wrong key.
        let exit2 = InputRecord.passage(PassageRecord(id: "g2", site: site, lane: 2, ts: t0 + 61_000, plate: "晋M99999", direction: .exit))
        try kafka.produce([WireRecord(weighed), WireRecord(exit, key: ""), WireRecord(exit2, key: "140823999")])
        let running = try RunningEngine(kafka.configuration())
        #expect(running.waitUntil { $0.recordsInTotal >= 5 && $0.rekeyed == 2 })
        #expect(running.waitForInput(5))
        _ = running.stop()
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: 2)
        let types = alarmIDs(alarms).values.sorted()
        // The second exit, read a second later, is a repeat read of the first (contract 1.1): processed with
        // the site's state it raises nothing; without that state it would have been an UNWEIGHED_EXIT.
        #expect(types == ["OVER_LIMIT", "RELEASED_OVERLOADED"], "\(types)")
    }
}
