import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
#if canImport(Glibc)
import Glibc
#endif

/// `weighstream run` killed with SIGKILL at random instants, again and again, on the embedded cluster:
/// at the end every alarm an uninterrupted processor raises over the same input is there, and no other.
@Suite("Chaos: SIGKILL at random instants", .serialized)
struct ChaosTests {
    static func arguments(_ kafka: TestCluster, group: String, port: Int) -> [String] {
        [
            "run", "--brokers", kafka.cluster.bootstrapServers, "--group", group, "--shards", "2",
            "--set", "commit_interval_ms=150", "--set", "metrics_port=\(port)", "--set", "log_level=error",
            // A killed member holds its partitions until its session times out (the embedded broker ignores
            // LeaveGroup), so sessions are short; event time must not follow the wall clock mid-test.
            "--set", "consumer.session.timeout.ms=2500", "--set", "consumer.heartbeat.interval.ms=300",
            "--set", "idle_timeout_ms=600000",
        ]
    }

    /// The input in waves: each wave a few minutes of a county, produced while a member runs.
    static func waves(_ count: Int) -> [[WireRecord]] {
        let all = Scenario(sites: 8, minutes: 2 * count).records
        return (0..<count).map { w in all.filter { $0.ts >= t0 + Int64(2 * w) * minute && $0.ts < t0 + Int64(2 * w + 2) * minute } }
    }

    /// Waits until `condition` holds for a member's metrics page, or the time is up.
    static func wait(port: Int, seconds: Double, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition(httpGet(port: port, path: "/metrics")?.1 ?? "") { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    static func ready(_ metrics: String) -> Bool { metricSum(metrics, "weighstream_ready ") == 1 }

    static func processing(_ metrics: String) -> Bool {
        metrics.split(separator: "\n").contains { $0.hasPrefix("weighstream_records_in_total{") && !$0.hasSuffix(" 0") }
    }

    /// Runs a member to the end of the input, then stops it with SIGTERM; nil when that went well, else what
    /// went wrong.
    static func finish(_ kafka: TestCluster, group: String) -> String? {
        let port = freePort()
        guard let last = try? Child(arguments(kafka, group: group, port: port)) else { return "could not start" }
        // Caught up: it holds every partition and has taken nothing new for two seconds (all input was
        // produced before it started).
        var done = false
        var taken = -1
        let deadline = Date(timeIntervalSinceNow: 180)
        while !done && Date() < deadline {
            Thread.sleep(forTimeInterval: 2)
            let m = httpGet(port: port, path: "/metrics")?.1 ?? ""
            let now = Int(metricSum(m, "weighstream_records_in_total{"))
            let lagging = metricSum(m, "weighstream_consumer_lag{") > 0
            done = metricSum(m, "weighstream_ready ") == 1 && metricSum(m, "weighstream_assigned_partitions ") == 8 && now == taken && !lagging
            taken = now
        }
        Thread.sleep(forTimeInterval: 1)
        last.signal(SIGTERM)
        let status = last.wait(seconds: 60)
        if done && status == 0 { return nil }
        return "caught up: \(done), exit: \(String(describing: status)), lag: \((httpGet(port: port, path: "/metrics")?.1 ?? "").split(separator: "\n").filter { $0.hasPrefix("weighstream_consumer_lag{") }), stderr: \(last.stderr.suffix(1_500))"
    }

    /// Every alarm of the reference is there and no other; returns how many arrived more than once.
    static func expectComplete(_ kafka: TestCluster, records: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
        let expected = try kafka.reference(records: records)
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let got = alarmIDs(alarms), want = alarmIDs(expected.alarms)
        let lost = Set(want.keys).subtracting(got.keys), unexpected = Set(got.keys).subtracting(want.keys)
        #expect(lost.isEmpty, "lost: \(lost.map { want[$0]! })", sourceLocation: sourceLocation)
        #expect(unexpected.isEmpty, "unexpected: \(unexpected.map { got[$0]! })", sourceLocation: sourceLocation)
        #expect(!want.isEmpty, sourceLocation: sourceLocation)
        return alarms.count - got.count
    }

    @Test("one member killed 10 times, some kills with the alarm partitions leaderless: every expected alarm id, no other")
    func repeatedKillsOfOneMember() throws {
        let kafka = try TestCluster(partitions: 4)
        // Ten kills, two of them leaderless: each takes about 6 s, in a test command at its budget.
        let waves = Self.waves(10)
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        for (w, wave) in waves.enumerated() {
            let port = freePort()
            let member = try Child(Self.arguments(kafka, group: "chaos", port: port))
            #expect(Self.wait(port: port, seconds: 60, Self.ready), "member \(w) took its partitions: \(member.stderr.suffix(500))")
            try kafka.produce(wave)
            _ = Self.wait(port: port, seconds: 30, Self.processing)
            let leaderless = w % 4 == 3
            if leaderless { kafka.cluster.setTopicError(kafka.topics.alarms, KafkaError.Code(rawValue: 5)) }  // LEADER_NOT_AVAILABLE
            // Commit points come every 150 ms: a kill within the next second lands before, in or after one.
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.0, using: &rng))
            member.signal(SIGKILL)
            #expect(member.wait(seconds: 10) != nil)
            kills += 1
            if leaderless { kafka.cluster.setTopicError(kafka.topics.alarms, .noError) }
        }
        #expect(kills == 10)
        let ending = Self.finish(kafka, group: "chaos")
        #expect(ending == nil, "the last member caught up and stopped cleanly: \(ending ?? "")")
        let duplicates = try Self.expectComplete(kafka, records: waves.joined().count)
        print("chaos, one member: \(kills) kills, \(duplicates) alarms delivered more than once (same ids)")
    }

    @Test("two members, one of them killed 6 times: every expected alarm id, no other")
    func twoMembersOneKilledRepeatedly() throws {
        let kafka = try TestCluster(partitions: 4)
        let waves = Self.waves(6)
        let steadyPort = freePort()
        let steady = try Child(Self.arguments(kafka, group: "chaos2", port: steadyPort))
        var rng = SystemRandomNumberGenerator()
        for wave in waves {
            let port = freePort()
            let member = try Child(Self.arguments(kafka, group: "chaos2", port: port))
            _ = Self.wait(port: port, seconds: 30, Self.ready)
            try kafka.produce(wave)
            _ = Self.wait(port: port, seconds: 30, Self.processing)
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.0, using: &rng))
            member.signal(SIGKILL)
            #expect(member.wait(seconds: 10) != nil)
        }
        // The steady member takes every partition back once the killed one's session is over, and works
        // through what is left.
        var settled = false
        var last = -1
        let deadline = Date(timeIntervalSinceNow: 120)
        while !settled && Date() < deadline {
            Thread.sleep(forTimeInterval: 2)
            let m = httpGet(port: steadyPort, path: "/metrics")?.1 ?? ""
            let taken = Int(metricSum(m, "weighstream_records_in_total{"))
            settled = Self.ready(m) && metricSum(m, "weighstream_assigned_partitions ") == 8 && taken == last
            last = taken
        }
        #expect(settled, "the steady member holds every partition again: \(steady.stderr.suffix(1_000))")
        steady.signal(SIGTERM)
        #expect(steady.wait(seconds: 60) == 0, "\(steady.stderr.suffix(1_000))")
        let duplicates = try Self.expectComplete(kafka, records: waves.joined().count)
        print("chaos, two members: \(waves.count) kills, \(duplicates) alarms delivered more than once (same ids)")
    }
}
