import Foundation
import Logging
import Synchronization
import Prometheus
import Testing
import WeighStreamCore
import WeighStreamEngine
import WeighStreamHTTP
import WeighStreamKafka

let quietLogger: Logger = {
    var logger = Logger(label: "weighstream.engine.tests")
    logger.logLevel = ProcessInfo.processInfo.environment["WS_TEST_LOG"] == nil ? .critical : .info
    return logger
}()

let t0: Int64 = 1_795_950_000_000  // a minute boundary
let minute: Int64 = 60_000

/// An input record as it goes on the wire: topic, key, value bytes.
struct WireRecord: Sendable {
    var topic: InputTopic
    var key: String?
    var value: [UInt8]
    var ts: Int64

    init(_ record: InputRecord, key: String? = nil) {
        if case .heartbeat = record { topic = .heartbeats } else { topic = .weighEvents }
        self.key = key ?? record.site
        value = InputEncoder.encode(record)
        ts = record.ts
    }

    init(topic: InputTopic, key: String?, raw: String, ts: Int64) {
        self.topic = topic
        self.key = key
        value = Array(raw.utf8)
        self.ts = ts
    }
}

/// A county in miniature, deterministic: sites with two weigh lanes and four devices each; trucks every
/// 40 s per lane, every 7th over the limit, most leaving a minute after weighing, every 13th leaving
/// unweighed; heartbeats every 10 s (`heartbeatIntervalMs`). Sites in `silentFrom` stop all heartbeats at
/// that time.
struct Scenario {
    var sites: [String]
    var minutes: Int
    var silentFrom: [String: Int64] = [:]
    var heartbeatIntervalMs: Int64 = 10_000

    init(sites: Int, minutes: Int) {
        self.sites = (1...sites).map { String(format: "1408230%02d", $0) }
        self.minutes = minutes
    }

    var records: [WireRecord] {
        var out: [(Int64, Int, WireRecord)] = []
        var order = 0
        func add(_ r: InputRecord) {
            out.append((r.ts, order, WireRecord(r)))
            order += 1
        }
        let end = t0 + Int64(minutes) * minute
        for (s, site) in sites.enumerated() {
            let devices: [(String, DeviceKind)] = [
                ("\(site)-SC1", .scale), ("\(site)-SC2", .scale), ("\(site)-CAM1", .camera), ("\(site)-GW", .gateway),
            ]
            for (d, (device, kind)) in devices.enumerated() {
                var seq: Int64 = 0
                var ts = t0 + Int64(s * 300 + d * 1_000)
                while ts < end && ts < (silentFrom[site] ?? .max) {
                    seq += 1
                    add(.heartbeat(HeartbeatRecord(
                        device: device, site: site, kind: kind, ts: ts, seq: seq, intervalMs: heartbeatIntervalMs,
                        zeroKg: kind == .scale ? 4 : nil, divisionKg: kind == .scale ? 20 : nil, clockOffsetMs: 120,
                        uploadLagMs: 300)))
                    ts += heartbeatIntervalMs
                }
            }
            var truck = 0
            for lane in 1...2 {
                var ts = t0 + Int64(s * 700 + lane * 5_000)
                while ts + 90_000 < end {
                    truck += 1
                    let plate = "晋M\(s)\(lane)\(String(format: "%03d", truck))"
                    let over = truck % 7 == 0
                    let gross = over ? 49_000 + 800 + (truck % 5) * 3_000 : 30_000 + (truck % 11) * 1_000
                    if truck % 13 != 0 {
                        add(.weigh(WeighRecord(
                            id: "\(site)-\(lane)-\(truck)", site: site, lane: lane, ts: ts, plate: plate, axles: 6,
                            vehicle: .combination, grossKg: gross, tareKg: 15_000, ratedLoadKg: 32_000,
                            scale: "\(site)-SC\(lane)")))
                    }
                    add(.passage(PassageRecord(
                        id: "\(site)-G\(lane)-\(truck)", site: site, lane: lane, ts: ts + 60_000, plate: plate,
                        direction: .exit, camera: "\(site)-CAM1")))
                    ts += 40_000
                }
            }
        }
        return out.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
    }
}

/// An embedded cluster with every WeighStream topic.
final class TestCluster: Sendable {
    let cluster: EmbeddedKafkaCluster
    let partitions: Int
    let topics = EngineTopics()

    init(partitions: Int = 4, brokers: Int = 3) throws {
        cluster = try EmbeddedKafkaCluster(brokers: brokers, logger: quietLogger)
        self.partitions = partitions
        try cluster.createTopics([
            KafkaTopicSpec(name: topics.weighEvents, partitions: partitions),
            KafkaTopicSpec(name: topics.heartbeats, partitions: partitions),
            KafkaTopicSpec(name: topics.state, partitions: partitions),
            KafkaTopicSpec(name: topics.alarms, partitions: 2),
            KafkaTopicSpec(name: topics.aggregates, partitions: 2),
            KafkaTopicSpec(name: topics.deadLetters, partitions: 1),
            KafkaTopicSpec(name: topics.siteStatus, partitions: partitions),
        ])
    }

    func configuration(
        group: String = "engine-\(UUID().uuidString.prefix(8))", shards: Int = 2, _ tweak: (inout EngineConfiguration) -> Void = { _ in }
    ) -> EngineConfiguration {
        var c = EngineConfiguration(
            client: cluster.clientOptions(clientID: "engine"), groupID: group, shards: shards, commitIntervalMs: 200,
            idleTimeoutMs: 600_000)
        c.consumerProperties["session.timeout.ms"] = "6000"
        c.consumerProperties["heartbeat.interval.ms"] = "500"
        tweak(&c)
        return c
    }

    /// Produces keyed by site with the Java-compatible partitioner the engine re-keys with.
    func produce(_ records: [WireRecord]) throws {
        var options = cluster.clientOptions(clientID: "gateway")
        options.rawProperties["partitioner"] = "murmur2_random"
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: options), logger: quietLogger)
        try producer.send(records.map {
            KafkaProducerMessage(
                topic: topics.name(of: $0.topic), key: $0.key.map { Array($0.utf8) },
                value: $0.value, timestampMs: $0.ts)
        })
        try producer.flush(timeoutMs: 60_000)
        let failed = producer.deliveryReports().filter { !$0.isDelivered }
        #expect(failed.isEmpty, "\(failed.prefix(3))")
        producer.close()
    }

    /// Every record of a topic from the beginning, read until `count` arrived or nothing came for `quietMs`.
    func readAll(_ topic: String, atLeast count: Int = 0, quietMs: Int = 1_500, seconds: Double = 60) throws -> [KafkaMessage] {
        try readAll([topic], atLeast: count, quietMs: quietMs, seconds: seconds)
    }

    /// Every record of these topics from the beginning, until at least `count` arrived and then nothing came
    /// for `quietMs` (or `seconds` passed).
    func readAll(_ topics: [String], atLeast count: Int, quietMs: Int = 1_500, seconds: Double = 60) throws -> [KafkaMessage] {
        var configuration = KafkaConsumerConfiguration(
            client: cluster.clientOptions(clientID: "reader"), groupID: "reader-\(UUID().uuidString.prefix(8))")
        configuration.readCommitted = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: quietLogger)
        defer { consumer.close() }
        // Assigned, not subscribed: no group join to wait for, so a quiet spell really means the end.
        let counts = try KafkaAdmin(client: cluster.clientOptions(clientID: "reader-admin"), logger: quietLogger).topics()
        try consumer.assign(topics.flatMap { topic in (0..<(counts[topic] ?? 1)).map { TopicPartitionOffset(topic, Int32($0), offset: -2) } })
        var out: [KafkaMessage] = []
        let deadline = Date(timeIntervalSinceNow: seconds)
        var lastArrival = Date()
        while Date() < deadline {
            let batch = try consumer.poll(maxMessages: 10_000, timeoutMs: 100)
            if !batch.isEmpty { lastArrival = Date() }
            out.append(contentsOf: batch.map { $0.copy() })
            if out.count >= count && Date().timeIntervalSince(lastArrival) * 1000 > Double(quietMs) { break }
        }
        return out
    }

    /// What one uninterrupted processor makes of the input topics as they are now, record by record in
    /// partition order: the reference the engine's output must match.
    func reference(records: Int, _ configuration: ProcessorConfiguration = ProcessorConfiguration()) throws -> ProcessorOutput {
        var processor = StreamProcessor(configuration: configuration)
        var out = ProcessorOutput()
        let all = try readAll([topics.weighEvents, topics.heartbeats], atLeast: records, quietMs: 500)
        let seen = all.count
        // Both topics read together, as the engine reads them: each partition in offset order, the next record
        // always the earliest (by Kafka timestamp) at the head of a partition (a processor that read one whole
        // topic first would close site windows before any heartbeat was read).
        let names = [topics.weighEvents: InputTopic.weighEvents, topics.heartbeats: .heartbeats]
        var queues = Dictionary(grouping: all.filter { names[$0.topic] != nil }) { "\($0.topic)/\($0.partition)" }
            .mapValues { $0.sorted { $0.offset < $1.offset }[...] }
        var ordered: [KafkaMessage] = []
        while let next = queues.filter({ !$0.value.isEmpty })
            .min(by: { ($0.value.first!.timestampMs ?? 0, $0.key) < ($1.value.first!.timestampMs ?? 0, $1.key) })?.key {
            ordered.append(queues[next]!.removeFirst())
        }
        for m in ordered {
            let topic = names[m.topic]!
            guard let record = try? InputDecoder.decode(m.value, topic: topic), m.keyString == record.site else { continue }
            processor.process(record, source: RecordSource(topic: m.topic, partition: m.partition, offset: m.offset),
                              kafkaTs: m.timestampMs, detectedTs: 0, into: &out)
        }
        #expect(seen >= records, "the reference saw every input record")
        return out
    }
}

extension InputDecoder {
    static func decode(_ bytes: [UInt8], topic: InputTopic) throws -> InputRecord {
        try bytes.withUnsafeBytes { buffer in try decode(buffer, topic: topic) }
    }
}

/// Runs `body` on a thread of its own and waits for it: for calls that block until Swift concurrency has
/// done something, which a test (itself on the cooperative pool) must not wait for on a pool thread.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) throws -> T {
    let result = Mutex<Result<T, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    Thread {
        result.withLock { $0 = Result { try body() } }
        done.signal()
    }.start()
    done.wait()
    return try result.withLock { $0! }.get()
}

/// An engine running on a thread of its own, as `weighstream run` runs it.
final class RunningEngine: Sendable {
    let engine: Engine
    private let result = Mutex<Result<Void, EngineError>?>(nil)
    private let finished = DispatchSemaphore(value: 0)

    /// - Parameter registry: where the engine's metrics go (through swift-prometheus); nil: nowhere.
    init(_ configuration: EngineConfiguration, registry: PrometheusCollectorRegistry? = nil) throws {
        engine = try Engine(configuration: configuration, logger: quietLogger, metrics: registry.map { EndpointServer.metricsFactory(registry: $0) })
        let thread = Thread { [self] in
            do throws(EngineError) {
                try engine.run()
                result.withLock { $0 = .success(()) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            finished.signal()
        }
        thread.name = "engine-under-test"
        thread.start()
    }

    /// Waits until the engine has taken at least `records` input records (and is idle), or `seconds` pass.
    @discardableResult
    func waitForInput(_ records: Int, seconds: Double = 60) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            let s = engine.statistics
            if s.recordsInTotal >= records && s.shardQueueDepth.allSatisfy({ $0 == 0 }) { return true }
            if result.withLock({ $0 }) != nil { return false }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    func waitUntil(seconds: Double = 60, _ condition: (EngineStatistics) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if condition(engine.statistics) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return condition(engine.statistics)
    }

    /// Waits for the run to end by itself, and returns how it ended (nil: still running).
    func wait(seconds: Double) -> Result<Void, EngineError>? {
        _ = finished.wait(timeout: .now() + seconds)
        finished.signal()
        return result.withLock { $0 }
    }

    /// Stops gracefully and returns how the run ended.
    func stop(seconds: Double = 60) -> Result<Void, EngineError>? {
        engine.stop()
        _ = finished.wait(timeout: .now() + seconds)
        return result.withLock { $0 }
    }

    func abandon() {
        engine.abandon()
        _ = finished.wait(timeout: .now() + 30)
    }
}

/// The `alarm_id`s (and types) of alarm records as JSON.
func alarmIDs(_ messages: [KafkaMessage]) -> [String: String] {
    var result: [String: String] = [:]
    for m in messages {
        let object = try! JSONSerialization.jsonObject(with: Data(m.value)) as! [String: Any]
        result[object["alarm_id"] as! String] = object["type"] as? String
    }
    return result
}

func alarmIDs(_ alarms: [Alarm]) -> [String: String] {
    Dictionary(alarms.map { ($0.alarmID, $0.type.name) }, uniquingKeysWith: { a, _ in a })
}

/// Aggregates as their JSON text, so that a difference prints readably. A site window's `devices` and
/// `devices_online_pct` are the device state when the window closes on the weigh-events clock, which
/// depends on how the two input topics interleave; they are left out of comparisons.
func aggregateSet(_ messages: [KafkaMessage]) -> Set<String> { Set(messages.map { comparable($0.value) }) }
func aggregateSet(_ aggregates: [Aggregate]) -> Set<String> { Set(aggregates.map { comparable(OutputEncoder.encode($0)) }) }

/// The whole aggregate: since contract 1.1 `devices_online_pct` is the same on every replay too.
private func comparable(_ json: [UInt8]) -> String { String(decoding: json, as: UTF8.self) }

/// Expects the aggregates topic to hold exactly the reference's closed windows (repeats allowed).
func expectSameAggregates(_ kafka: TestCluster, _ expected: ProcessorOutput, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let aggregates = try kafka.readAll(kafka.topics.aggregates, atLeast: expected.aggregates.count)
    let got = aggregateSet(aggregates), want = aggregateSet(expected.aggregates)
    let same = got == want
    #expect(same, "\(difference(got, want))", sourceLocation: sourceLocation)
}

/// What differs between two sets, briefly: counts and a few examples of each side.
func difference(_ actual: Set<String>, _ expected: Set<String>) -> String {
    let extra = actual.subtracting(expected).sorted()
    let missing = expected.subtracting(actual).sorted()
    return "\(extra.count) unexpected, e.g. \(extra.prefix(2)); \(missing.count) missing, e.g. \(missing.prefix(2))"
}
