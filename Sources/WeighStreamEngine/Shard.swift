import Dispatch
import Foundation
import Logging
import CoreMetrics
import Synchronization
import WeighStreamCore
import WeighStreamKafka

/// One parallel lane of the engine: a serial Dispatch queue that alone owns the state of its partitions'
/// sites, fed by the poll thread through a lock-free ring (`Mailbox`).
///
/// Input partition `p` (of both input topics) belongs to shard `p % shards`, so a shard sees every record
/// of its partitions in order and its processor's event time per partition is exactly the contract's.
final class Shard: @unchecked Sendable {
    // @unchecked Sendable: `processor`, `local` and `outputs` are touched only by the mailbox's handler, on
    // its serial queue, and `partKeys` only on `snapshotQueue`; the poll thread touches only the mailbox (as
    // its single producer), the atomics and the mutexes.
    let index: Int
    private let mailbox: Mailbox<ShardItem>
    /// Records pushed and not yet processed: the back-pressure signal.
    let queued = Atomic<Int>(0)
    /// Records processed, for `Engine.progress` (the published counters hold the same count by topic).
    let processed = Atomic<Int>(0)
    private var processor: StreamProcessor
    private let sink: OutputSink
    private let topics: EngineTopics
    private let logger: Logger
    private var local = ShardCounters()
    private let published = Mutex(ShardCounters())
    /// The latest published status of every site this shard holds, for reads by site (HTTP `/sites`).
    let heldSites = Mutex<[String: HeldSite]>([:])
    /// The first error that stopped this shard from delivering outputs; the poll thread stops the engine.
    let failure = Mutex<EngineError?>(nil)
    private var output = ProcessorOutput()
    private var messages: [KafkaProducerMessage] = []
    /// The Kafka key (site id bytes) of the last output, shared by the next ones of the same site: a site's
    /// outputs come together, and a fresh array per output was an allocation each (perf, weigh-only bench).
    private var lastKey: (site: String, bytes: [UInt8]) = ("", [])
    /// Every output is written here and handed over as its own array: one writer for the shard's life, so
    /// an output allocates only its bytes (a writer per output allocated its buffer too).
    private var json = JSONWriter()
    /// The largest key plus value this shard hands the producer (`output_max_bytes`): bigger snapshots are
    /// split into parts, bigger dead letters truncated.
    private let maxBytes: Int
    /// What a snapshot part or a dead letter's key and value may take of `maxBytes`: the rest is left for
    /// headers and the record's framing.
    private var payloadBytes: Int { max(1_024, maxBytes - 4_096) }
    /// Who writes the snapshots (`ws.writer`): the client id, so an operator can tell which instance wrote
    /// a site's stored state.
    private let writer: [KafkaHeader]
    /// The part keys of each site whose stored snapshot is split, so they can be removed once a newer
    /// snapshot is stored. Touched only on `snapshotQueue`, in the order of the barriers that change it.
    private var partKeys: [String: [[UInt8]]] = [:]
    /// Where the shard's snapshots are encoded (serial: one barrier's after another's). At-least-once, a
    /// barrier's sites are encoded here while the shard goes on with the records behind it: encoded on the
    /// shard, a busy county's changed sites held every record queued behind the barrier, and that wait was
    /// all of what WeighStream added to an alarm's p99 and p99.9 at 10 000 records/s (bench on librdkafka
    /// 2.16 with `fetch.wait.max.ms` 5: 21-36 / 38-53 ms added with a commit point a second, none with
    /// commits a minute apart). The barrier's group is left once they are encoded and collected.
    private let snapshotQueue: DispatchQueue
    /// Snapshots split into parts, counted on `snapshotQueue`.
    private let splitSnapshots = Atomic<Int>(0)
    /// Exactly-once: parts superseded in the transaction now open, removed in the next one (after this one
    /// committed).
    private var retiredParts: [KafkaProducerMessage] = []

    /// Where the time of each chunk is recorded (`weighstream_chunk_processing_seconds`).
    private let chunkTimer: CoreMetrics.Timer

    init(
        index: Int, processor: ProcessorConfiguration, sink: OutputSink, topics: EngineTopics, maxBytes: Int, writer: String,
        chunkTimer: CoreMetrics.Timer, logger: Logger
    ) {
        self.index = index
        self.chunkTimer = chunkTimer
        self.maxBytes = maxBytes
        self.writer = [KafkaHeader(key: "ws.writer", string: writer)]
        mailbox = Mailbox(label: "weighstream.shard.\(index)", capacity: 4_096)
        snapshotQueue = DispatchQueue(label: "weighstream.shard.\(index).snapshots")
        // Records re-read after a restore whose commit did not happen are already in the restored state.
        var rules = processor
        rules.skipsAppliedRecords = true
        self.processor = StreamProcessor(configuration: rules)
        self.sink = sink
        self.topics = topics
        self.logger = logger
        // Weak, so that the shard and its mailbox do not hold each other; items left after the engine let go
        // of its shards (an abandoned run) are dropped with them.
        mailbox.start { [weak self] item in self?.handle(item) }
    }

    /// Poll thread only. Spins briefly when the ring is full (the record-count high water normally pauses
    /// input long before).
    func submit(_ item: ShardItem) {
        if case .records(let chunk) = item { queued.add(chunk.entries.count, ordering: .relaxed) }
        mailbox.submit(item)
    }

    var counters: ShardCounters {
        var counters = published.withLock { $0 }
        counters.splitSnapshots = splitSnapshots.load(ordering: .relaxed)
        return counters
    }

    private func handle(_ item: ShardItem) {
        switch item {
        case .records(let chunk):
            process(chunk)
            processed.add(chunk.entries.count, ordering: .relaxed)
            queued.subtract(chunk.entries.count, ordering: .relaxed)
        case .restore(let sites, let parts, let done):
            for site in sites { processor.restore(site) }
            let restoredParts = sites.compactMap { site in parts[site.site].map { (site.site, $0) } }
            snapshotQueue.async { for (site, keys) in restoredParts { self.partKeys[site] = keys } }
            local.sitesRestored += sites.count
            let held = sites.filter(\.status.published).map { HeldSite(status: $0.currentStatus, partition: Self.home(of: $0)) }
            heldSites.withLock { for h in held { $0[h.status.site] = h } }
            publish()
            done.leave()
        case .barrier(let snapshot, let release, let done):
            if let snapshot { writeSnapshots(snapshot) }
            if let release { drop(partitions: release) }
            publish()
            // Left once the snapshots are collected: behind their encoding on the serial snapshot queue.
            if snapshot != nil { snapshotQueue.async { done.leave() } } else { done.leave() }
        case .advance(let partition, let delta):
            guard let time = processor.eventTime(of: partition) else { return }
            processor.advance(partition, to: time + delta, detectedTs: Self.nowMs(), into: &output)
            emit()
            publish()
        }
    }

    private func process(_ chunk: ShardChunk) {
        let started = DispatchTime.now().uptimeNanoseconds
        let detectedTs = Self.nowMs()
        // Entries come in runs of one partition: each run's partition is noted once, for its event time.
        var runs: [PartitionKey] = []
        for entry in chunk.entries {
            let view = chunk.batch[Int(entry.index)]
            let source = RecordSource(topic: topics.name(of: entry.topic), partition: view.partition, offset: view.offset)
            if runs.last?.partition != source.partition || runs.last?.topic != entry.topic {
                runs.append(PartitionKey(entry.topic, source.partition))
            }
            let decoded: DecodedRecord
            do {
                decoded = try InputDecoder.decodeRecord(view.value, topic: entry.topic)
            } catch {
                deadLetter(view, error, source: source)
                continue
            }
            // One look into the record's enum: each read through it (its site for the key, then the
            // processor's own switch) copied the whole of it, a retain and release of each of its strings.
            let site: String, keyed: Bool
            let refusal: DecodeError?
            let kafkaTs = view.timestampMs
            switch decoded.record {
            case .weigh(let r):
                (site, keyed) = (r.site, Self.key(view.key, is: r.site))
                refusal = keyed ? processor.process(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &output) : nil
            case .passage(let r):
                (site, keyed) = (r.site, Self.key(view.key, is: r.site))
                refusal = keyed ? processor.process(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &output) : nil
            case .heartbeat(let r):
                (site, keyed) = (r.site, Self.key(view.key, is: r.site))
                refusal = keyed ? processor.process(r, source: source, kafkaTs: kafkaTs, detectedTs: detectedTs, into: &output) : nil
            }
            guard keyed else {
                rekey(view, site: site, source: source)
                continue
            }
            if let refusal {
                deadLetter(view, refusal, source: source)
                continue
            }
            // Processed without its bad optional fields: a copy tells the gateway's owners what was dropped.
            if !decoded.partial.isEmpty { partialLetter(view, decoded, source: source) }
        }
        emit()
        for key in runs {
            if let time = processor.eventTime(of: key) { local.recordEventTimes[key] = time }
        }
        let weighs = chunk.entries.count { $0.topic == .weighEvents }
        local.recordsIn[.weighEvents, default: 0] += weighs
        local.recordsIn[.heartbeats, default: 0] += chunk.entries.count - weighs
        let took = DispatchTime.now().uptimeNanoseconds - started
        local.chunkSeconds.observe(seconds: Double(took) / 1e9)
        chunkTimer.recordNanoseconds(Int64(took))
        publish()
    }

    /// Encodes and sends what the processor produced.
    private func emit() {
        for alarm in output.alarms {
            OutputEncoder.encode(alarm, into: &json)
            messages.append(KafkaProducerMessage(topic: topics.alarms, key: key(of: alarm.site), value: json.take()))
            local.alarms[alarm.type, default: 0] += 1
        }
        // One look into each aggregate's enum, as for the input records; counted by kind once per run, not
        // hashed into the counters' dictionary per aggregate.
        var kinds = (lanes: 0, sites: 0, devices: 0)
        for aggregate in output.aggregates {
            switch aggregate {
            case .laneWindow(let l): emit(l); kinds.lanes += 1
            case .siteWindow(let s): emit(s); kinds.sites += 1
            case .deviceHealth(let h): emit(h); kinds.devices += 1
            }
        }
        if kinds.lanes > 0 { local.aggregates[LaneWindow.kind, default: 0] += kinds.lanes }
        if kinds.sites > 0 { local.aggregates[SiteWindow.kind, default: 0] += kinds.sites }
        if kinds.devices > 0 { local.aggregates[DeviceHealth.kind, default: 0] += kinds.devices }
        if !output.statuses.isEmpty {
            let held = output.statuses.compactMap { s in processor.sites[s.site].map { HeldSite(status: s, partition: Self.home(of: $0)) } }
            heldSites.withLock { for h in held { $0[h.status.site] = h } }
        }
        if !topics.siteStatus.isEmpty {
            for status in output.statuses {
                OutputEncoder.encode(status, into: &json)
                messages.append(KafkaProducerMessage(topic: topics.siteStatus, key: key(of: status.site), value: json.take()))
            }
            local.statusRecords += output.statuses.count
        }
        local.duplicates += output.duplicates
        local.late += output.late
        local.evictedPlates += output.evictedPlates
        local.forgottenDevices += output.forgottenDevices
        output.removeAll()
        send()
    }

    private func key(of site: String) -> [UInt8] {
        if site != lastKey.site { lastKey = (site, Array(site.utf8)) }
        return lastKey.bytes
    }

    private func emit<A: AggregateRecord>(_ aggregate: A) {
        aggregate.encode(into: &json)
        messages.append(KafkaProducerMessage(topic: topics.aggregates, key: key(of: aggregate.site), value: json.take()))
    }

    private func send() {
        guard !messages.isEmpty else { return }
        do {
            try sink.send(&messages)
        } catch {
            logger.error("shard could not hand outputs to the producer", metadata: ["shard": "\(index)", "error": "\(error)"])
            failure.withLock { $0 = $0 ?? EngineError(.kafka, "shard \(index) could not send outputs", underlying: error) }
        }
        messages.removeAll(keepingCapacity: true)
    }

    /// Bad input: the original bytes, unchanged, to the dead-letter topic with the reason and the source.
    private func deadLetter(_ view: KafkaMessageView, _ error: DecodeError, source: RecordSource) {
        letter(view, reason: error.description, source: source, partial: false)
        local.deadLetters[error.code, default: 0] += 1
    }

    /// A record processed without its bad optional fields: a copy of its bytes, unchanged, to the dead-letter
    /// topic with the reasons and `ws.partial: true` (contract 1.1).
    private func partialLetter(_ view: KafkaMessageView, _ decoded: DecodedRecord, source: RecordSource) {
        letter(view, reason: decoded.partialReason, source: source, partial: true)
        local.partialRecords += 1
    }

    private func letter(_ view: KafkaMessageView, reason: String, source: RecordSource, partial: Bool) {
        var headers = [
            KafkaHeader(key: "ws.error", string: reason),
            KafkaHeader(key: "ws.source", string: "\(source.topic)/\(source.partition)/\(source.offset)"),
        ]
        if partial { headers.append(KafkaHeader(key: "ws.partial", string: "true")) }
        var key = view.key.map { Array($0) }
        var value = Array(view.value)
        // A copy the producer would refuse would be re-sent until the engine stops: keep the head of the
        // record and say how long it was.
        let room = payloadBytes
        if (key?.count ?? 0) + value.count > room {
            headers.append(KafkaHeader(key: "ws.truncated", string: "key \(key?.count ?? 0) bytes, value \(value.count) bytes"))
            if let k = key, k.count > 1_024 { key = Array(k.prefix(1_024)) }
            value = Array(value.prefix(max(0, room - (key?.count ?? 0))))
            local.truncatedLetters += 1
        }
        messages.append(KafkaProducerMessage(topic: topics.deadLetters, key: key, value: value, headers: headers))
    }

    /// A record whose key is not its site goes back to its topic keyed by site, so that it reaches the
    /// partition (and the instance) that holds the site's state.
    private func rekey(_ view: KafkaMessageView, site: String, source: RecordSource) {
        messages.append(KafkaProducerMessage(
            topic: source.topic, key: Array(site.utf8), value: Array(view.value),
            headers: [KafkaHeader(key: "ws.rekeyed-from", string: "\(source.topic)/\(source.partition)/\(source.offset)")]))
        local.rekeyed += 1
    }

    /// Takes the sites a barrier snapshots and has them encoded on `snapshotQueue`: at-least-once into the
    /// barrier's collector while this shard goes on; exactly-once at once, sent inside the open transaction.
    private func writeSnapshots(_ request: SnapshotRequest) {
        // Copies: the encoder reads them while the shard changes its own (each site's storage is copied on
        // its first write after the barrier, instead of the shard waiting for every site's encoding).
        let sites = request.full ? processor.takeAll() : processor.takeChanged()
        local.snapshotsWritten += sites.count
        if let collector = request.collector {
            snapshotQueue.async {
                let encoded = self.encode(sites)
                collector.add(encoded.snapshots, retiring: encoded.retired)
            }
        } else {
            let encoded = snapshotQueue.sync { encode(sites) }
            messages.append(contentsOf: retiredParts)
            messages.append(contentsOf: encoded.snapshots)
            retiredParts = encoded.retired
            send()
        }
    }

    /// Each site's snapshot, split into parts when bigger than an output may be, and the tombstones of the
    /// parts a site no longer has. Runs on `snapshotQueue`, which owns `partKeys`.
    private func encode(_ sites: [SiteState]) -> (snapshots: [KafkaProducerMessage], retired: [KafkaProducerMessage]) {
        dispatchPrecondition(condition: .onQueue(snapshotQueue))
        var snapshots: [KafkaProducerMessage] = []
        var retired: [KafkaProducerMessage] = []
        for site in sites {
            let partition = Self.home(of: site)
            let records = SnapshotParts.records(site: site.site, snapshot: SiteSnapshot.encode(site), maxBytes: payloadBytes)
            for record in records {
                snapshots.append(KafkaProducerMessage(
                    topic: topics.state, partition: partition, key: record.key, value: record.value, headers: writer))
            }
            let parts = records.dropLast().map(\.key)
            let old = partKeys[site.site] ?? []
            partKeys[site.site] = parts.isEmpty ? nil : Array(parts)
            for key in old where !parts.contains(key) {
                retired.append(KafkaProducerMessage(topic: topics.state, partition: partition, key: key, value: nil, headers: writer))
            }
            if records.count > 1 { splitSnapshots.add(1, ordering: .relaxed) }
        }
        return (snapshots, retired)
    }

    private func drop(partitions: Set<Int32>) {
        local.recordEventTimes = local.recordEventTimes.filter { !partitions.contains($0.key.partition) }
        var gone: [String] = []
        for site in processor.sites.values where partitions.contains(Self.home(of: site)) {
            processor.remove(site: site.site)
            gone.append(site.site)
        }
        // After any encoding of theirs already queued, which still retires their old parts.
        snapshotQueue.async { [gone] in for site in gone { self.partKeys.removeValue(forKey: site) } }
        heldSites.withLock { for site in gone { $0.removeValue(forKey: site) } }
    }

    private func publish() {
        let snapshot = local
        published.withLock { $0 = snapshot }
    }

    /// The partition number a site's state belongs to: its weigh-events partition, or its heartbeats
    /// partition for a site that only sent heartbeats.
    static func home(of site: SiteState) -> Int32 {
        site.weighPartition >= 0 ? site.weighPartition : max(0, site.heartbeatPartition)
    }

    static func key(_ key: UnsafeRawBufferPointer?, is site: String) -> Bool {
        guard let key, key.count == site.utf8.count else { return false }
        // Over the site's contiguous bytes when it has them: the generic `elementsEqual` over the UTF-8 view
        // went byte by byte through an iterator (perf: 2.5 % of the shards' time on the simulator mix).
        return site.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.isEmpty || memcmp(bytes.baseAddress!, key.baseAddress!, bytes.count) == 0
        } ?? site.utf8.elementsEqual(key)
    }

    static func nowMs() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
