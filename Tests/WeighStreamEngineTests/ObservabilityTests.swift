import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka

@Suite("Observability", .serialized)
struct ObservabilityTests {
    @Test("each input partition's event-time lag follows the wall clock once its input stops, and is served per partition")
    func eventTimeLagRisesWhenInputStops() throws {
        let kafka = try TestCluster(partitions: 2)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let sites = (1...8).map { "14082300\($0)" }
        let beats = sites.map { WireRecord(.heartbeat(HeartbeatRecord(device: "SC", site: $0, kind: .scale, ts: now, seq: 1))) }
        try kafka.produce(beats)
        let engine = try RunningEngine(kafka.configuration(group: "event-time-lag"))
        #expect(engine.waitForInput(beats.count))
        #expect(engine.waitUntil { $0.eventTimeLagSeconds.count == 2 }, "both heartbeat partitions: \(engine.engine.statistics.eventTimeLagSeconds)")
        let before = engine.engine.statistics.eventTimeLagSeconds
        Thread.sleep(forTimeInterval: 2.5)
        let after = engine.engine.statistics
        for (key, lag) in before {
            #expect((after.eventTimeLagSeconds[key] ?? 0) - lag >= 2, "\(key): \(lag) then \(String(describing: after.eventTimeLagSeconds[key]))")
        }
        let text = after.prometheusText()
        #expect(text.contains("weighstream_event_time_lag_seconds{topic=\"heartbeats\",partition=\"0\"}"))
        #expect(text.contains("weighstream_build_info{version=\"\(WeighStreamVersion.version)\",librdkafka=\"\(Librdkafka.version)\"} 1"))
        _ = engine.stop()
    }

    @Test("consumer lag covers every assigned partition, also those nothing was fetched from yet")
    func lagCoversAssignedPartitions() throws {
        let kafka = try TestCluster(partitions: 2)
        let engine = try RunningEngine(kafka.configuration(group: "lag"))
        #expect(engine.waitUntil { $0.ready && $0.lag.count == 4 }, "every assigned partition, before any record: \(engine.engine.statistics.lag)")
        _ = engine.stop()
    }

    @Test("a member stays ready through a rebalance, shown in rebalance_in_progress, and only a rebalance longer than rebalance_unready_after_ms makes it unready")
    func readinessSurvivesARebalance() throws {
        let kafka = try TestCluster(partitions: 2)
        let first = try RunningEngine(kafka.configuration(group: "ready"))
        #expect(first.waitUntil { $0.ready })
        let second = try RunningEngine(kafka.configuration(group: "ready"))
        var during: [EngineStatistics] = []
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline && !(second.engine.statistics.ready && !first.engine.statistics.rebalanceInProgress && !during.isEmpty) {
            let s = first.engine.statistics
            if s.rebalanceInProgress { during.append(s) }
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(!during.isEmpty, "the first member's partitions were revoked for the second")
        #expect(during.allSatisfy { $0.ready }, "ready through the rebalance")
        #expect(during.allSatisfy { $0.prometheusText().contains("weighstream_rebalance_in_progress 1") })
        #expect(first.engine.statistics.ready && second.engine.statistics.ready)
        _ = second.stop()
        _ = first.stop()

        // With no allowance, the same rebalance makes the member unready while it lasts.
        let strict = try RunningEngine(kafka.configuration(group: "ready-strict") { $0.rebalanceUnreadyAfterMs = 0 })
        #expect(strict.waitUntil { $0.ready })
        let joiner = try RunningEngine(kafka.configuration(group: "ready-strict"))
        var sawUnready = false
        let until = Date(timeIntervalSinceNow: 30)
        while Date() < until && !(joiner.engine.statistics.ready && sawUnready) {
            let s = strict.engine.statistics
            if s.rebalanceInProgress && !s.ready { sawUnready = true }
            Thread.sleep(forTimeInterval: 0.002)
        }
        #expect(sawUnready, "unready during the rebalance when rebalance_unready_after_ms is 0")
        #expect(strict.waitUntil { $0.ready }, "ready again once assigned")
        _ = joiner.stop()
        _ = strict.stop()
    }
}
