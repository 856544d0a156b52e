import Foundation
import Histogram
import Logging
import Synchronization
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
import WeighStreamSimulator

/// The measurements behind `weighstream bench`, each on topics of its own.
struct BenchRunner {
    let client: KafkaClientOptions
    /// The engine settings every run starts from (`--config`, `--set`: commit interval, poll batch, rules,
    /// `consumer.*` and `producer.*`); each run sets its own client, group, topics and shards.
    let settings: EngineConfiguration
    let cluster: EmbeddedKafkaCluster?
    let partitions: Int
    let replication: Int
    let logger: Logger
    let runID = String(UUID().uuidString.prefix(6)).lowercased()

    struct Input {
        var topics: EngineTopics
        var bytes: Int
    }

    struct PipelineRun {
        var recordsPerSecond: Double
        /// Process CPU per record (µs), from the engine's start to its stop.
        var cpuMicros: Double
        var engineTopics: EngineTopics
        /// Where the time went: shard busy time, commit points, pauses.
        var breakdown: String
    }

    /// The settings with this run's client, group, topics and shards.
    func engineConfiguration(groupID: String, topics: EngineTopics, shards: Int) -> EngineConfiguration {
        var c = settings
        c.client = client
        c.groupID = groupID
        c.topics = topics
        c.shards = shards
        return c
    }

    func topics(_ name: String) -> EngineTopics {
        let p = "bench-\(runID)-\(name)-"
        return EngineTopics(
            weighEvents: p + "weigh-events", heartbeats: p + "heartbeats", alarms: p + "alarms", aggregates: p + "aggregates",
            deadLetters: p + "dlq", state: p + "state", siteStatus: p + "site-status")
    }

    /// Creates the topics of `t`, except those named in `existing`.
    func create(_ t: EngineTopics, existing: [String] = []) throws {
        let specs = t.specs(partitions: partitions, replicationFactor: replication).filter { !existing.contains($0.name) }
        if let cluster { try cluster.createTopics(specs) } else { try KafkaAdmin(client: client, logger: logger).createTopics(specs) }
    }

    /// The simulator's realistic mix (or only its weigh records), produced lz4-compressed.
    func preload(count: Int, weighOnly: Bool = false) throws -> Input {
        let t = topics(weighOnly ? "weighs" : "input")
        try create(t)
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: 200, seed: 1))
        let producer = try KafkaProducer(
            configuration: KafkaProducerConfiguration(client: client, lingerMs: 20, batchSizeBytes: 262_144), logger: logger)
        var produced = 0, bytes = 0
        while produced < count {
            let next = simulator.next(count: min(50_000, count - produced))
            let batch = (weighOnly ? next.filter(Self.isWeigh) : next).prefix(count - produced)
            try producer.send(batch.map {
                KafkaProducerMessage(topic: t.name(of: $0.topic), key: Array($0.key.utf8), value: $0.value, timestampMs: $0.kafkaTs)
            })
            produced += batch.count
            bytes += batch.reduce(0) { $0 + $1.value.count }
        }
        try producer.flush(timeoutMs: 120_000)
        let failed = producer.deliveryReports().filter { !$0.isDelivered }.count
        producer.close()
        guard failed == 0 else { throw EngineError(.delivery, "\(failed) preload records undelivered") }
        // The embedded broker keeps at most 5 MB (or 100 000 batches) per partition and drops the oldest
        // beyond that; a bench on a truncated log would compare nothing. (Only there: Tansu, for one, reports
        // high watermarks a few hundred short of what it serves, and a short read fails the runs themselves.)
        guard cluster != nil else { return Input(topics: t, bytes: bytes) }
        let probe = try KafkaConsumer(configuration: KafkaConsumerConfiguration(client: client, groupID: "bench-\(runID)-probe"), logger: logger)
        defer { probe.close() }
        var stored: Int64 = 0
        for topic in [t.weighEvents, t.heartbeats] {
            for p in 0..<partitions {
                let (low, high) = try probe.watermarks(TopicPartition(topic, Int32(p)))
                stored += high - low
            }
        }
        guard stored == Int64(count) else {
            throw EngineError(.topology, "the cluster kept \(stored) of \(count) preloaded records (the embedded broker keeps 5 MB per partition): use more --partitions or fewer --records")
        }
        return Input(topics: t, bytes: bytes)
    }

    /// A weigh record (not a passage or heartbeat), by its `type` field as the simulator writes it.
    static func isWeigh(_ r: SimulatedRecord) -> Bool {
        r.topic == .weighEvents && r.value.starts(with: Array(#"{"v":1,"type":"weigh""#.utf8))
    }

    /// The process's user and system CPU time so far, in seconds.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// A plain consumer reading every partition of both inputs and touching each value: the ceiling. Returns
    /// its rate and the process CPU it took per record (µs), both from its first record to its last.
    func bareConsumer(topics t: EngineTopics, count: Int) throws -> (rate: Double, cpuMicros: Double) {
        var cpu = 0.0
        // The engine's own consumer settings, so that only the processing differs. Its partitions are assigned,
        // not taken through the group: joining a new group costs a broker's initial rebalance delay (3 s on
        // the embedded one), time in which nothing is read and which the figures leave out anyway.
        let configuration = engineConfiguration(groupID: "bench-\(runID)-bare-\(t.weighEvents)", topics: t, shards: 1).consumerConfiguration()
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { consumer.close() }
        try consumer.assign(fromStart([t.weighEvents, t.heartbeats]))
        var seen = 0, checksum = 0
        var first: Date?
        let deadline = Date(timeIntervalSinceNow: 300)
        while seen < count && Date() < deadline {
            let batch = try consumer.poll(maxMessages: 5_000, timeoutMs: 10)
            if !batch.isEmpty && first == nil { (first, cpu) = (Date(), Self.cpuSeconds()) }
            for m in batch { checksum &+= m.value.count }
            seen += batch.count
        }
        guard seen >= count, let first, checksum > 0 else { throw EngineError(.kafka, "bare consumer read only \(seen) of \(count)") }
        return (Double(count) / Date().timeIntervalSince(first), (Self.cpuSeconds() - cpu) * 1e6 / Double(count))
    }

    /// The whole engine: decode, detect, outputs, commits, snapshots; timed (wall and process CPU) from its
    /// first record to its last, on the same input the bare consumer read: joining the group, which on some
    /// brokers takes seconds of polling, and the final commit are left out of both, as for the bare consumer.
    func pipeline(input: Input, shards: Int, count: Int, name: String? = nil) throws -> PipelineRun {
        var cpu = 0.0, cpuAtLast = 0.0
        var t = topics(name ?? "s\(shards)")
        t.weighEvents = input.topics.weighEvents
        t.heartbeats = input.topics.heartbeats
        try create(t, existing: [t.weighEvents, t.heartbeats])
        let engine = try Engine(configuration: engineConfiguration(
            groupID: "bench-\(runID)-pipeline-\(name ?? "s\(shards)")", topics: t, shards: shards), logger: logger)
        let finished = DispatchSemaphore(value: 0)
        let failure = Mutex<EngineError?>(nil)
        let thread = Thread {
            do throws(EngineError) { try engine.run() } catch { failure.withLock { $0 = error } }
            finished.signal()
        }
        thread.start()
        var first: Date?
        var last = Date()
        let deadline = Date(timeIntervalSinceNow: 600)
        while Date() < deadline {
            // `progress`, not `statistics`: the latter reads /proc, and polled every 10 ms it took about half a
            // core, charged to the pipeline (perf, 300 000-record mix).
            let p = engine.progress
            if first == nil && p.recordsIn > 0 { (first, cpu) = (Date(), Self.cpuSeconds()) }
            if p.recordsIn >= count && p.queuedRecords == 0 { (last, cpuAtLast) = (Date(), Self.cpuSeconds()); break }
            if let error = failure.withLock({ $0 }) { throw error }
            usleep(2_000)
        }
        engine.stop()
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        guard let first, engine.statistics.recordsInTotal >= count else {
            throw EngineError(.kafka, "pipeline processed only \(engine.statistics.recordsInTotal) of \(count)")
        }
        let s = engine.statistics
        let wall = last.timeIntervalSince(first)
        let breakdown = String(
            format: "%d shard(s): %.2f s wall, shards busy %.2f s in %d chunks, %d commit points taking %.2f s, %d pauses",
            shards, wall, s.chunkSeconds.sum, s.chunkSeconds.count, s.commitSeconds.count, s.commitSeconds.sum, s.pauses)
        return PipelineRun(
            recordsPerSecond: Double(count) / wall, cpuMicros: (cpuAtLast - cpu) * 1e6 / Double(count), engineTopics: t,
            breakdown: breakdown)
    }

    /// Snapshot bytes split between lanes (plates, dedup ids, lane windows) and devices, from the state
    /// topic the pipeline wrote.
    func stateSizes(_ t: EngineTopics) throws -> (Double, Double) {
        var latest: [String: SiteState] = [:]
        try readFromStart([t.state], group: "state") { batch in
            for m in batch { if let s = try? SiteSnapshot.decode(Array(m.value)) { latest[s.site] = s } }
        }
        var laneBytes = 0, deviceBytes = 0, lanes = 0, devices = 0
        for site in latest.values {
            var bare = site
            bare.devices = [:]; bare.plates = [:]; bare.laneWindows = []; bare.dedup = DedupSet()
            let base = SiteSnapshot.encode(bare).count
            var laneOnly = site
            laneOnly.devices = [:]
            var deviceOnly = site
            deviceOnly.plates = [:]; deviceOnly.laneWindows = []; deviceOnly.dedup = DedupSet()
            laneBytes += SiteSnapshot.encode(laneOnly).count - base
            deviceBytes += SiteSnapshot.encode(deviceOnly).count - base
            lanes += Set(site.laneWindows.map(\.window.lane)).count
            devices += site.devices.count
        }
        return (Double(laneBytes) / Double(max(1, lanes)), Double(deviceBytes) / Double(max(1, devices)))
    }

    /// Every partition of `topics`, from its first offset.
    func fromStart(_ topics: [String]) -> [TopicPartitionOffset] {
        topics.flatMap { topic in (0..<partitions).map { TopicPartitionOffset(topic, Int32($0), offset: -2) } }
    }

    /// Reads `topics` from the start, records of open or aborted transactions too, handing `body` each batch
    /// until nothing more has come for a second.
    func readFromStart(_ topics: [String], group: String, _ body: (KafkaMessageBatch) -> Void) throws {
        var configuration = KafkaConsumerConfiguration(client: client, groupID: "bench-\(runID)-\(group)")
        configuration.readCommitted = false
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        defer { consumer.close() }
        try consumer.assign(fromStart(topics))
        var quiet = 0
        while quiet < 10 {
            let batch = try consumer.poll(maxMessages: 10_000, timeoutMs: 100)
            quiet = batch.isEmpty ? quiet + 1 : 0
            body(batch)
        }
    }

    /// Produces at `rate` records/s (an alarm-dense mix) while the engine runs, and measures each alarm's
    /// arrival at a downstream consumer against the wall-clock time its input record was sent.
    ///
    /// With `relay`, the engine is replaced by a bare relay on the same Kafka layer and the engine's own
    /// consumer and producer settings: every weigh-events record is answered at once by an alarm-shaped record
    /// naming it. Measured the same way, it is the floor the broker and the clients set.
    func latency(rate: Int, seconds: Double, shards: Int, relay: Bool = false) throws -> BenchResults.LatencyFigures {
        let t = topics("\(relay ? "relay" : "latency")-\(rate)")
        try create(t)
        let engine = try Engine(configuration: engineConfiguration(
            groupID: "bench-\(runID)-\(relay ? "relay" : "latency")-\(rate)", topics: t, shards: shards), logger: logger)
        let finished = DispatchSemaphore(value: 0)
        let relayState = RelayState()
        if relay {
            try startRelay(engine.configuration, state: relayState, finished: finished)
        } else {
            Thread { try? engine.run(); finished.signal() }.start()
        }
        let isReady = { relay ? relayState.assigned.load(ordering: .relaxed) : engine.statistics.ready }
        var readerClient = client
        // The reader is the measuring instrument: it should not add the embedded broker's fetch wait.
        readerClient.rawProperties["fetch.wait.max.ms"] = "5"
        var readerConfiguration = KafkaConsumerConfiguration(client: readerClient, groupID: "bench-\(runID)-\(relay ? "relay-" : "")alarms-\(rate)")
        readerConfiguration.readCommitted = false
        let reader = try KafkaConsumer(configuration: readerConfiguration, logger: logger)
        try reader.subscribe(topics: [t.alarms])
        let ready = Date(timeIntervalSinceNow: 30)
        while (!isReady() || reader.assignment().isEmpty) && Date() < ready { _ = try reader.poll(maxMessages: 100, timeoutMs: 100) }

        // Send time of every input record, by where it landed.
        let sentAt = Mutex<[UInt64: UInt64]>([:])
        let sendTimes = Mutex<[UInt64: UInt64]>([:])
        let weighTopic = t.weighEvents
        let producer = try KafkaProducer(configuration: KafkaProducerConfiguration(client: client, lingerMs: 1), logger: logger) { reports in
            let times = sendTimes.withLock { times in reports.compactMap { r in times.removeValue(forKey: r.id).map { (r, $0) } } }
            sentAt.withLock { map in
                for (r, time) in times where r.isDelivered {
                    map[Self.locationKey(weigh: r.topic == weighTopic, partition: r.partition, offset: r.offset!)] = time
                }
            }
        }
        var simulator = CountySimulator(configuration: SimulatorConfiguration(
            sites: 200, seed: UInt64(rate), trucksPerLanePerHour: 600, overLimitRate: 0.3, anomalies: false))
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        // Each alarm read: where its input record landed, when it arrived here, and its detected_ts, which
        // splits the path into input record to detection and detection to downstream. Kept per alarm: a map
        // by input record gave the second alarm of a record (OVER_LIMIT and OVER_RATED_LOAD of one weigh) no
        // detection time, counted as zero, which halved the pipeline's detection p50.
        var pending: [(key: UInt64, arrived: UInt64, detected: UInt64)] = []
        var detection = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var buffer: [SimulatedRecord] = []
        var sent = 0, nextID: UInt64 = 0, alarms = 0
        let start = Date()
        let warmup = 1.0
        while Date().timeIntervalSince(start) < seconds {
            let due = Int(Double(rate) * Date().timeIntervalSince(start)) - sent
            if due > 0 {
                while buffer.count < due { buffer += simulator.next(count: due - buffer.count) }
                let now = Self.micros()
                let messages = buffer.prefix(due).map { r -> KafkaProducerMessage in
                    nextID += 1
                    return KafkaProducerMessage(
                        topic: t.name(of: r.topic), key: Array(r.key.utf8), value: r.value, timestampMs: r.kafkaTs, id: nextID)
                }
                let firstID = nextID - UInt64(messages.count) + 1
                sendTimes.withLock { times in for id in firstID...nextID { times[id] = now } }
                buffer.removeFirst(min(due, buffer.count))
                try producer.send(messages)
                sent += messages.count
            }
            let batch = try reader.poll(maxMessages: 10_000, timeoutMs: 1)
            let arrived = Self.micros()
            for m in batch {
                guard let (key, detected) = Self.source(m.copy().value, weighTopic: t.weighEvents) else { continue }
                pending.append((key, arrived, detected))
            }
            pending = pending.filter { key, arrived, detected in
                guard let sent = sentAt.withLock({ $0[key] }) else { return true }
                if Double(sent) / 1e6 - start.timeIntervalSince1970 >= warmup {
                    _ = histogram.record(arrived > sent ? arrived - sent : 0)
                    _ = detection.record(detected > sent ? detected - sent : 0)
                    alarms += 1
                }
                return false
            }
        }
        let achieved = Double(sent) / Date().timeIntervalSince(start)
        producer.close(timeoutMs: 10_000)
        engine.stop()
        relayState.stop.store(true, ordering: .relaxed)
        finished.wait()
        reader.close()
        func ms(_ h: Histogram<UInt64>, _ p: Double) -> Double { (Double(h.valueAtPercentile(p)) / 100).rounded() / 10 }
        return BenchResults.LatencyFigures(
            achievedRate: achieved, alarms: alarms, p50: ms(histogram, 50), p90: ms(histogram, 90), p99: ms(histogram, 99),
            p999: ms(histogram, 99.9), max: (Double(histogram.max) / 100).rounded() / 10,
            detectP50: ms(detection, 50), detectP99: ms(detection, 99))
    }

    /// The bare relay: poll a batch of both input topics, produce one small record per weigh-events record, repeat.
    /// It reads the heartbeats too (nine records in ten of the simulator's input), as the pipeline must: a relay
    /// reading weigh-events alone fetched a tenth of the bytes, and its floor was not the pipeline's.
    private final class RelayState: Sendable {
        let stop = Atomic<Bool>(false)
        let assigned = Atomic<Bool>(false)
    }

    private func startRelay(_ configuration: EngineConfiguration, state: RelayState, finished: DispatchSemaphore) throws {
        let consumer = try KafkaConsumer(configuration: configuration.consumerConfiguration(), logger: logger)
        let weighEvents = configuration.topics.weighEvents
        try consumer.subscribe(topics: [weighEvents, configuration.topics.heartbeats])
        let producer = try KafkaProducer(configuration: configuration.producerConfiguration(), logger: logger)
        let alarms = configuration.topics.alarms, batchSize = configuration.pollBatch
        Thread {
            while !state.stop.load(ordering: .relaxed) {
                guard let batch = try? consumer.poll(maxMessages: batchSize, timeoutMs: 10) else { break }
                if !state.assigned.load(ordering: .relaxed), !consumer.assignment().isEmpty { state.assigned.store(true, ordering: .relaxed) }
                let now = Int64(Date().timeIntervalSince1970 * 1000)
                let out = batch.filter { strcmp($0.topicNameCString, weighEvents) == 0 }.map { m in
                    KafkaProducerMessage(
                        topic: alarms, key: m.key.map { Array($0) },
                        value: Array("{\"source\":{\"topic\":\"\(m.topic)\",\"partition\":\(m.partition),\"offset\":\(m.offset)},\"detected_ts\":\(now)}".utf8))
                }
                try? producer.send(out)
            }
            producer.close(timeoutMs: 5_000)
            consumer.close()
            finished.signal()
        }.start()
    }

    static func locationKey(weigh: Bool, partition: Int32, offset: Int64) -> UInt64 {
        (weigh ? 1 << 63 : 0) | (UInt64(partition) << 44) | UInt64(offset)
    }

    /// The input record an alarm came from, as a location key, and when the engine detected it (µs).
    static func source(_ json: [UInt8], weighTopic: String) -> (UInt64, UInt64)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any],
            let source = object["source"] as? [String: Any], let topic = source["topic"] as? String,
            let partition = source["partition"] as? Int, let offset = source["offset"] as? Int, offset >= 0,
            let detected = object["detected_ts"] as? Int
        else { return nil }
        return (locationKey(weigh: topic == weighTopic, partition: Int32(partition), offset: Int64(offset)), UInt64(detected) * 1_000)
    }

    static func micros() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000_000) }

    /// VmHWM of this process (the high-water mark of its resident set), in bytes.
    static func peakRSS() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }
}
