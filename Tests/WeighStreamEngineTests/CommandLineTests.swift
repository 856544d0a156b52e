import Foundation
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
#if canImport(Glibc)
import Glibc
#endif

/// The `weighstream` executable, built next to the tests by `swift build --build-tests`.
let weighstreamBinary: URL = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/weighstream")
}()

/// A `weighstream` child process with its output captured.
final class Child: @unchecked Sendable {
    // @unchecked Sendable: `process` is only started here and then read through Foundation's thread-safe
    // accessors; output goes to files.
    let process = Process()
    let stdoutURL = FileManager.default.temporaryDirectory.appendingPathComponent("ws-out-\(UUID().uuidString)")
    let stderrURL = FileManager.default.temporaryDirectory.appendingPathComponent("ws-err-\(UUID().uuidString)")

    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.executableURL = weighstreamBinary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("WEIGHSTREAM_") }
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the process to end; returns its exit status, or nil if it is still running.
    func wait(seconds: Double) -> Int32? {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }
}

func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr = in_addr(s_addr: INADDR_ANY)
    _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// The sum of the samples of the lines starting with `prefix` in a Prometheus text exposition.
func metricSum(_ text: String, _ prefix: String) -> Double {
    text.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Double($0.split(separator: " ").last ?? "") }.reduce(0, +)
}

/// GET over plain HTTP/1.1 on loopback IPv4: (status line, body).
func httpGet(port: Int, path: String) -> (String, String)? {
    httpRequest(host: "127.0.0.1", port: port, path: path, timeoutSeconds: 10).map { ("HTTP/1.1 \($0.status)", $0.body) }
}

/// A TCP connection to `host` (IPv4 or IPv6) at `port`, or nil.
func openConnection(host: String, port: Int, timeoutSeconds: Int = 3) -> Int32? {
    var hints = addrinfo()
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    var result: UnsafeMutablePointer<addrinfo>?
    guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else { return nil }
    defer { freeaddrinfo(result) }
    let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
    guard fd >= 0 else { return nil }
    var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
        close(fd)
        return nil
    }
    return fd
}

/// GET `path` over HTTP/1.1 (connection closed after the answer): the status code and body, or nil when no
/// answer came within the timeout.
func httpRequest(host: String, port: Int, path: String, timeoutSeconds: Int = 3) -> (status: Int, body: String)? {
    guard let fd = openConnection(host: host, port: port, timeoutSeconds: timeoutSeconds) else { return nil }
    defer { close(fd) }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: weighstream\r\nConnection: close\r\n\r\n".utf8)
    _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    guard let code = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) }),
          let split = text.range(of: "\r\n\r\n") else { return nil }
    return (code, String(text[split.upperBound...]))
}

/// What the kubelet puts into every pod's environment for a Service `weighstream-metrics` on port 9464.
let kubernetesServiceLinks = [
    "WEIGHSTREAM_METRICS_SERVICE_HOST": "10.96.0.17", "WEIGHSTREAM_METRICS_SERVICE_PORT": "9464",
    "WEIGHSTREAM_METRICS_SERVICE_PORT_METRICS": "9464", "WEIGHSTREAM_METRICS_PORT": "tcp://10.96.0.17:9464",
    "WEIGHSTREAM_METRICS_PORT_9464_TCP": "tcp://10.96.0.17:9464", "WEIGHSTREAM_METRICS_PORT_9464_TCP_PROTO": "tcp",
    "WEIGHSTREAM_METRICS_PORT_9464_TCP_PORT": "9464", "WEIGHSTREAM_METRICS_PORT_9464_TCP_ADDR": "10.96.0.17",
]

@Suite("weighstream command line", .serialized)
struct CommandLineTests {
    @Test("the variables Kubernetes injects for a weighstream Service are skipped, a real setting ending in _PORT is read, a mistyped one refused")
    func kubernetesServiceLinksAreSkipped() throws {
        #expect(try EngineSettings.fromEnvironment(kubernetesServiceLinks).isEmpty)
        #expect(EngineSettings.serviceLinks(in: kubernetesServiceLinks) == kubernetesServiceLinks.keys.sorted())
        #expect(try EngineSettings.fromEnvironment(["WEIGHSTREAM_METRICS_PORT": "9464"]) == ["metrics_port": "9464"])
        #expect(throws: EngineError.self) { try EngineSettings.fromEnvironment(kubernetesServiceLinks.merging(["WEIGHSTREAM_METRICS_PROT": "1"]) { $1 }) }
        #expect(throws: EngineError.self) { try EngineSettings.fromEnvironment(["WEIGHSTREAM_SHARDS_PORT": "3"]) }
    }

    @Test("bad settings fail at start with one line naming them and a non-zero exit")
    func badSettingsFailWithOneLine() throws {
        #expect(FileManager.default.isExecutableFile(atPath: weighstreamBinary.path), "build the executable first")
        let yaml = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml")
        try "brokers: [a\n".write(to: yaml, atomically: true, encoding: .utf8)
        let unknownKey = FileManager.default.temporaryDirectory.appendingPathComponent("unknown-\(UUID().uuidString).yaml")
        try "brokers: [localhost:9092]\ntopics:\n  alarm: x\n".write(to: unknownKey, atomically: true, encoding: .utf8)
        let cases: [([String], [String: String], String)] = [
            (["run", "--brokers", "localhost:9092", "--set", "nonsense=1"], [:], "nonsense"),
            (["run", "--brokers", "localhost:9092"], ["WEIGHSTREAM_SHARDS": "abc"], "shards"),
            (["run", "--brokers", "localhost:9092"], ["WEIGHSTREAM_NOPE": "1"], "WEIGHSTREAM_NOPE"),
            (["run", "--brokers", "localhost:9092"], kubernetesServiceLinks.merging(["WEIGHSTREAM_BROKRES": "x"]) { $1 }, "WEIGHSTREAM_BROKRES"),
            (["run", "--config", yaml.path], [:], yaml.path),
            (["run", "--config", unknownKey.path], [:], "topics.alarm"),
            (["run", "--brokers", "localhost:9092", "--guarantee", "maybe"], [:], "guarantee"),
            (["run", "--brokers", "localhost:9092", "--set", "shard_low_water=90000"], [:], "shard_low_water"),
            (["run", "--bogus-flag"], [:], "bogus-flag"),
            // The tools read the same settings file as run (so one file reaches a secured cluster everywhere).
            (["tail", "--config", unknownKey.path], [:], "topics.alarm"),
            (["simulate", "--config", unknownKey.path, "--minutes", "1"], [:], "topics.alarm"),
            (["topics", "create", "--config", unknownKey.path], [:], "topics.alarm"),
            (["bench", "--config", unknownKey.path, "--quick"], [:], "topics.alarm"),
            (["bench", "--parts", "mix,fast"], [:], "--parts"),
            // On the embedded cluster too: the settings reach every run there (they were dropped before).
            (["bench", "--quick", "--set", "shard_low_water=90000"], [:], "shard_low_water"),
            (["topics", "create", "--brokers", "localhost:9092", "--set", "kafka.security.protocol=NOPE"], [:], "security.protocol"),
            (["run"], [:], "brokers"),
        ]
        for (arguments, environment, named) in cases {
            let child = try Child(arguments, environment: environment)
            let status = child.wait(seconds: 20)
            #expect(status != nil && status != 0, "\(arguments) \(environment)")
            let errorLines = child.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
            #expect(errorLines.count == 1 && errorLines[0].contains(named), "\(arguments): \(child.stderr)")
            #expect(!child.stderr.contains("Fatal error") && !child.stderr.contains("Stack dump"))
        }
    }

    @Test("weighstream --version names this release and the librdkafka it loaded")
    func versionNamesReleaseAndLibrary() throws {
        let child = try Child(["--version"])
        #expect(child.wait(seconds: 20) == 0)
        #expect(child.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "weighstream \(WeighStreamVersion.version) (librdkafka \(Librdkafka.version))", "\(child.stdout)")
    }

    @Test("an unreachable broker gives a one-line error within a bound, not a hang")
    func unreachableBrokerFailsQuickly() throws {
        // In a pod with service links: those are skipped, and the error is the broker's.
        let child = try Child(["run", "--brokers", "127.0.0.1:1", "--set", "metrics_port=0", "--set", "log_level=critical"],
                              environment: kubernetesServiceLinks)
        let status = child.wait(seconds: 40)
        #expect(status != nil && status != 0)
        #expect(child.stderr.split(separator: "\n").last?.contains("127.0.0.1:1") == true, "\(child.stderr)")
    }

    @Test("weighstream run survives kill -9: after a restart no alarm is lost, repeats carry the same ids, and metrics and health answer")
    func killNineAndRestart() throws {
        let kafka = try TestCluster()
        let (first, second) = RecoveryTests.twoParts(site: 1)
        let port = freePort()
        let arguments = [
            "run", "--brokers", kafka.cluster.bootstrapServers, "--group", "kill9", "--shards", "2",
            "--set", "commit_interval_ms=200", "--set", "metrics_port=\(port)", "--set", "log_level=warning",
            // The killed member holds its partitions until its session times out.
            "--set", "consumer.session.timeout.ms=6000", "--set", "consumer.heartbeat.interval.ms=500",
        ]
        try kafka.produce(first)
        let run1 = try Child(arguments)
        var ready = false
        for _ in 0..<400 where !ready {
            ready = httpGet(port: port, path: "/health/ready")?.0.contains("200") == true
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(ready, "ready once partitions are assigned: \(run1.stderr)")
        #expect(httpGet(port: port, path: "/health/live")?.0.contains("200") == true)
        var processed = 0
        for _ in 0..<600 where processed < first.count {
            let metrics = httpGet(port: port, path: "/metrics")?.1 ?? ""
            processed = Int(metricSum(metrics, "weighstream_records_in_total{"))
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(processed == first.count)
        // Per-partition families have their series once the lag timer (every second) has run.
        var served: Set<String> = []
        for _ in 0..<50 where served != Set(Engine.metricNames) {
            let metrics = httpGet(port: port, path: "/metrics")?.1 ?? ""
            served = Set(metrics.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(served == Set(Engine.metricNames), "served, not documented: \(served.subtracting(Engine.metricNames).sorted()); documented, not served: \(Set(Engine.metricNames).subtracting(served).sorted())")
        Thread.sleep(forTimeInterval: 0.6)
        try kafka.produce(Array(second.prefix(second.count / 2)))
        Thread.sleep(forTimeInterval: 0.3)
        run1.signal(SIGKILL)
        #expect(run1.wait(seconds: 10) != nil)

        try kafka.produce(Array(second.dropFirst(second.count / 2)))
        let run2 = try Child(arguments)
        // The killed member's session has to time out before the group gives its partitions to run2.
        var done = false
        for _ in 0..<1_200 where !done {
            let m = httpGet(port: port, path: "/metrics")?.1 ?? ""
            let lag = m.split(separator: "\n").filter { $0.hasPrefix("weighstream_consumer_lag{") }
            done = metricSum(m, "weighstream_ready ") == 1 && !lag.isEmpty && lag.allSatisfy { Double($0.split(separator: " ").last ?? "") == 0 }
                && m.split(separator: "\n").contains { $0.hasPrefix("weighstream_records_in_total{") && !$0.hasSuffix(" 0") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(done, "the restarted processor caught up: \(run2.stderr.suffix(2_000))")
        Thread.sleep(forTimeInterval: 1)
        run2.signal(SIGTERM)
        #expect(run2.wait(seconds: 60) == 0, "graceful stop on SIGTERM exits 0: \(run2.stderr.suffix(2_000))")

        let expected = try kafka.reference(records: first.count + second.count)
        let alarms = try kafka.readAll(kafka.topics.alarms, atLeast: expected.alarms.count)
        let got = alarmIDs(alarms), want = alarmIDs(expected.alarms)
        #expect(Set(want.keys).subtracting(got.keys).isEmpty, "lost: \(Set(want.keys).subtracting(got.keys).map { want[$0]! })")
        #expect(Set(got.keys).subtracting(want.keys).isEmpty, "unexpected: \(Set(got.keys).subtracting(want.keys).map { got[$0]! })")
        #expect(expected.alarms.contains { $0.type == .releasedOverloaded && $0.plate == RecoveryTests.straddler })
    }
}
