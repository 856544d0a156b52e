import Foundation
import Synchronization
import WeighStreamEngine
import WeighStreamKafka

/// The Kafka I/O floor: what reading an input and writing a pipeline's output volume costs on this Kafka
/// layer, with no decoding and no detection. The bare consumer only reads; a processor of this contract must
/// also write every alarm, window aggregate, site status and snapshot, so the part of the pipeline's CPU that
/// is WeighStream's own is the pipeline's minus this floor's.
extension BenchRunner {
    /// What a pipeline run wrote to its output topics, read back.
    struct OutputVolume {
        var records = 0
        /// Keys and values.
        var bytes = 0
    }

    /// The pipeline run's output volume, then the floor relay writing it.
    func floorFigures(input: Input, count: Int, pipelineTopics: EngineTopics, name: String) throws -> BenchResults.FloorFigures {
        let volume = try outputVolume(pipelineTopics)
        let run = try ioFloor(input: input, count: count, volume: volume, name: name)
        return BenchResults.FloorFigures(
            recordsPerSecond: run.rate, cpuMicros: run.cpuMicros, pipelineOutputs: volume.records, pipelineOutputBytes: volume.bytes,
            written: run.written)
    }

    /// Reads back every record of the run's output topics (alarms, aggregates, site status, snapshots, dead
    /// letters) from the start, until nothing more comes for a second.
    func outputVolume(_ t: EngineTopics) throws -> OutputVolume {
        var volume = OutputVolume()
        try readFromStart([t.alarms, t.aggregates, t.siteStatus, t.state, t.deadLetters], group: "volume") { batch in
            for m in batch { volume.bytes += (m.key?.count ?? 0) + m.value.count }
            volume.records += batch.count
        }
        return volume
    }

    /// A relay on the engine's own consumer and producer settings that reads the input as the bare consumer
    /// does and, spread evenly over the records it reads, writes `volume`'s records at their mean size, each a
    /// repetition of the record it answers (so compression sees JSON, not zeros). Timed as the pipeline is:
    /// from its first record to its last output handed to the producer. Returns its rate, its process CPU per
    /// input record (µs) and how many records it wrote.
    func ioFloor(input: Input, count: Int, volume: OutputVolume, name: String) throws -> (rate: Double, cpuMicros: Double, written: Int) {
        var t = topics("floor-\(name)")
        t.weighEvents = input.topics.weighEvents
        t.heartbeats = input.topics.heartbeats
        try create(t, existing: [t.weighEvents, t.heartbeats])
        let configuration = engineConfiguration(groupID: "bench-\(runID)-floor-\(name)", topics: t, shards: 1)
        let consumer = try KafkaConsumer(configuration: configuration.consumerConfiguration(), logger: logger)
        defer { consumer.close() }
        // Assigned, not joined, as for the bare consumer: a group's first rebalance is time nothing is read.
        try consumer.assign(fromStart([t.weighEvents, t.heartbeats]))
        // Reports counted as they come, as the engine's ledger settles them, rather than buffered for the end.
        let failures = Atomic<Int>(0)
        let producer = try KafkaProducer(configuration: configuration.producerConfiguration(), logger: logger) { reports in
            failures.add(reports.count { !$0.isDelivered }, ordering: .relaxed)
        }
        let perRecord = Double(volume.records) / Double(max(1, count))
        let size = max(1, volume.bytes / max(1, volume.records))
        var seen = 0, written = 0, owed = 0.0
        var first: Date?, cpu = 0.0
        var out: [KafkaProducerMessage] = []
        func answer(_ value: UnsafeRawBufferPointer, key: [UInt8]?) {
            var filler: [UInt8] = []
            filler.reserveCapacity(size)
            if value.isEmpty {
                // An empty record (a tombstone, a bad record) still owes its share: braces then.
                while filler.count < size { filler.append(filler.count % 2 == 0 ? UInt8(ascii: "{") : UInt8(ascii: "}")) }
            }
            while filler.count < size { filler.append(contentsOf: value.prefix(size - filler.count)) }
            out.append(KafkaProducerMessage(topic: t.aggregates, key: key, value: filler))
            written += 1
        }
        let deadline = Date(timeIntervalSinceNow: 300)
        while seen < count && Date() < deadline {
            let batch = try consumer.poll(maxMessages: settings.pollBatch, timeoutMs: 10)
            if !batch.isEmpty && first == nil { (first, cpu) = (Date(), Self.cpuSeconds()) }
            for m in batch {
                owed += perRecord
                guard owed >= 1 else { continue }
                let key = m.key.map { Array($0) }
                while owed >= 1 {
                    owed -= 1
                    answer(m.value, key: key)
                }
            }
            // The rounding's remainder goes with the last record.
            if seen + batch.count >= count, let last = batch.last {
                while written < volume.records { answer(last.value, key: last.key.map { Array($0) }) }
            }
            try producer.send(out)
            out.removeAll(keepingCapacity: true)
            seen += batch.count
        }
        let (last, cpuAtLast) = (Date(), Self.cpuSeconds())
        try producer.flush(timeoutMs: 120_000)
        producer.close()
        let failed = failures.load(ordering: .relaxed)
        guard seen >= count, let first, failed == 0 else {
            throw EngineError(.kafka, "I/O floor read \(seen) of \(count) records; \(failed) of its outputs undelivered")
        }
        return (Double(count) / last.timeIntervalSince(first), (cpuAtLast - cpu) * 1e6 / Double(count), written)
    }
}
