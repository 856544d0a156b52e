import Foundation
import Prometheus
import Synchronization
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamHTTP
import WeighStreamKafka
#if canImport(Glibc)
import Glibc
#endif

/// What a registry exposes now, as Prometheus scrapes it.
func exposition(_ registry: PrometheusCollectorRegistry) -> String {
    var buffer: [UInt8] = []
    registry.emit(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
}

@Suite("Observability", .serialized)
struct ObservabilityTests {
    @Test("each input partition's event-time lag follows the wall clock once its input stops, and is served per partition")
    func eventTimeLagRisesWhenInputStops() throws {
        let kafka = try TestCluster(partitions: 2)
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let sites = (1...8).map { "14082300\($0)" }
        let beats = sites.map { WireRecord(.heartbeat(HeartbeatRecord(device: "SC", site: $0, kind: .scale, ts: now, seq: 1))) }
        try kafka.produce(beats)
        let registry = PrometheusCollectorRegistry()
        let engine = try RunningEngine(kafka.configuration(group: "event-time-lag"), registry: registry)
        #expect(engine.waitForInput(beats.count))
        #expect(engine.waitUntil { $0.eventTimeLagSeconds.count == 2 }, "both heartbeat partitions: \(engine.engine.statistics.eventTimeLagSeconds)")
        let before = engine.engine.statistics.eventTimeLagSeconds
        Thread.sleep(forTimeInterval: 2.5)
        let after = engine.engine.statistics
        for (key, lag) in before {
            #expect((after.eventTimeLagSeconds[key] ?? 0) - lag >= 2, "\(key): \(lag) then \(String(describing: after.eventTimeLagSeconds[key]))")
        }
        engine.engine.refreshMetrics()
        let text = exposition(registry)
        #expect(metricSum(text, "weighstream_event_time_lag_seconds{topic=\"heartbeats\",partition=\"0\"}") >= 2, "\(text)")
        #expect(text.contains("weighstream_build_info{version=\"\(WeighStreamVersion.version)\",commit=\"\(WeighStreamVersion.commit)\",librdkafka=\"\(Librdkafka.version)\"} 1"))
        #expect(WeighStreamVersion.commit != "unknown", "a build in the repository knows its commit")
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
        let registry = PrometheusCollectorRegistry()
        let first = try RunningEngine(kafka.configuration(group: "ready"), registry: registry)
        #expect(first.waitUntil { $0.ready })
        let second = try RunningEngine(kafka.configuration(group: "ready"))
        var during: [EngineStatistics] = []
        var exported: [String] = []
        let deadline = Date(timeIntervalSinceNow: 30)
        while Date() < deadline && !(second.engine.statistics.ready && !first.engine.statistics.rebalanceInProgress && !during.isEmpty) {
            let s = first.engine.statistics
            if s.rebalanceInProgress {
                during.append(s)
                first.engine.refreshMetrics()
                exported.append(exposition(registry))
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        #expect(!during.isEmpty, "the first member's partitions were revoked for the second")
        #expect(during.allSatisfy { $0.ready }, "ready through the rebalance")
        #expect(exported.contains { metricSum($0, "weighstream_rebalance_in_progress ") == 1 }, "exported while it lasted")
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

    @Test("the HTTP endpoint of `weighstream run` answers on IPv4 and IPv6 within its timeout with many clients at once, one that connects and sends nothing, and one that resets its connection")
    func endpointKeepsAnswering() throws {
        let kafka = try TestCluster(partitions: 2)
        let port = freePort()
        let run = try Child([
            "run", "--brokers", kafka.cluster.bootstrapServers, "--group", "http", "--set", "metrics_port=\(port)",
            "--set", "http.bind=::", "--set", "log_level=warning",
        ])
        defer { run.signal(SIGKILL) }
        var ready = false
        for _ in 0..<400 where !ready {
            ready = httpRequest(host: "127.0.0.1", port: port, path: "/health/ready")?.status == 200
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(ready, "\(run.stderr)")
        // Eight clients that connect and say nothing, and one that sends half a request and resets.
        let silent = (0..<8).compactMap { _ in openConnection(host: "127.0.0.1", port: port) }
        defer { silent.forEach { close($0) } }
        #expect(silent.count == 8)
        if let rude = openConnection(host: "127.0.0.1", port: port) {
            _ = Array("GET /metr".utf8).withUnsafeBytes { write(rude, $0.baseAddress, $0.count) }
            var reset = linger(l_onoff: 1, l_linger: 0)
            setsockopt(rude, SOL_SOCKET, SO_LINGER, &reset, socklen_t(MemoryLayout<linger>.size))
            close(rude)
        }
        // Twenty-four requests at once, over both address families: each answered within 3 s.
        let paths = ["/metrics", "/health/live", "/health/ready", "/sites"]
        let answers = Mutex<[(String, Int, Double)]>([])
        DispatchQueue.concurrentPerform(iterations: 24) { i in
            let host = i % 2 == 0 ? "127.0.0.1" : "::1"
            let started = Date()
            let status = httpRequest(host: host, port: port, path: paths[i % paths.count], timeoutSeconds: 3)?.status ?? 0
            answers.withLock { $0.append(("\(host) \(paths[i % paths.count])", status, Date().timeIntervalSince(started))) }
        }
        let all = answers.withLock { $0 }
        #expect(all.count == 24 && all.allSatisfy { $0.1 == 200 && $0.2 < 3 }, "\(all.filter { $0.1 != 200 || $0.2 >= 3 })")
        #expect(httpRequest(host: "::1", port: port, path: "/nowhere")?.status == 404)
        run.signal(SIGTERM)
        #expect(run.wait(seconds: 60) == 0, "\(run.stderr.suffix(1_000))")
    }
}
