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
}

extension ObservabilityTests {
    @Test("consumer lag covers every assigned partition, also those nothing was fetched from yet")
    func lagCoversAssignedPartitions() throws {
        let kafka = try TestCluster(partitions: 2)
        let engine = try RunningEngine(kafka.configuration(group: "lag"))
        #expect(engine.waitUntil { $0.ready && $0.lag.count == 4 }, "every assigned partition, before any record: \(engine.engine.statistics.lag)")
        _ = engine.stop()
    }
}
