import BenchmarkWorkload
import Foundation
import WeighStreamCore
import WeighStreamSimulator

/// `Profile decode|detect [records]`: runs one stage over the benchmark workload and nothing else, so that
/// a callgrind profile collected inside `measured*` (see scripts/profile) shows only that stage.
/// `Profile digest-sim|digest-weighs [records]` prints a fingerprint of the detector's output and state instead.
@main
struct Profile {
    static func main() {
        let arguments = CommandLine.arguments
        let stage = arguments.count > 1 ? arguments[1] : "decode"
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        switch stage {
        case "decode":
            print("decoded \(measuredDecode(Workload.encoded(count: count))) of \(count)")
        case "foundation":
            print("decoded \(measuredFoundation(Workload.encoded(count: count))) of \(count) with JSONDecoder")
        case "detect":
            let records = Workload.records(count: count)
            let partitions = records.map { Workload.partition(of: $0.site, count: 4) }
            print("detected \(measuredDetect(records, partitions)) alarms in \(count) records")
        case "detect-sim", "detect-weighs":
            let (records, sources, kafkaTs) = simulated(count: count, weighsOnly: stage == "detect-weighs")
            let clock = ContinuousClock()
            var alarms = 0
            let took = clock.measure { alarms = measuredDetectSimulated(records, sources, kafkaTs) }
            let ns = Double(took.components.attoseconds) / 1e9 + Double(took.components.seconds) * 1e9
            print("detected \(alarms) alarms in \(records.count) simulator records: \(Int(ns / Double(records.count))) ns per record")
        case "encode-weighs":
            // The outputs the detector writes for the bench's weigh-only records, encoded as a shard encodes
            // them: on that feed the pipeline writes more aggregates than it reads weighs.
            let (records, sources, kafkaTs) = simulated(count: count, weighsOnly: true)
            var processor = StreamProcessor()
            var outputs = ProcessorOutput()
            for n in records.indices {
                processor.process(records[n], source: sources[n], kafkaTs: kafkaTs[n], detectedTs: 0, into: &outputs)
            }
            let bytes = measuredEncode(outputs)
            print("encoded \(outputs.alarms.count) alarms, \(outputs.aggregates.count) aggregates, \(outputs.statuses.count) site statuses: \(bytes) bytes")
        case "digest-sim", "digest-weighs":
            // Not a profile: a fingerprint of everything the detector writes and keeps for this input, to show
            // that a change meant to make it cheaper left its output and state byte for byte the same.
            let (records, sources, kafkaTs) = simulated(count: count, weighsOnly: stage == "digest-weighs")
            print(digest(records, sources, kafkaTs))
        default:
            print("usage: Profile decode|foundation|detect|detect-sim|detect-weighs|encode-weighs|digest-sim|digest-weighs [records]")
        }
    }

    @inline(never)
    static func measuredDecode(_ encoded: [(bytes: [UInt8], isHeartbeat: Bool)]) -> Int {
        var accepted = 0
        // `case .some`, not `!= nil`: the records are `Equatable`, so `!= nil` compared two optionals through
        // a tuple the runtime destroyed by its generic witness, about 340 instructions per record charged to
        // the decoder (Foundation's records are not `Equatable` and never paid it).
        for e in encoded {
            if e.isHeartbeat {
                if case .some = try? InputDecoder.decodeHeartbeat(e.bytes) { accepted += 1 }
            } else if case .some = try? InputDecoder.decodeEvent(e.bytes) {
                accepted += 1
            }
        }
        return accepted
    }

    /// The baseline: Foundation's JSONDecoder on the same bytes.
    @inline(never)
    static func measuredFoundation(_ encoded: [(bytes: [UInt8], isHeartbeat: Bool)]) -> Int {
        let decoder = JSONDecoder()
        var accepted = 0
        for e in encoded {
            let data = Data(e.bytes)
            if e.isHeartbeat {
                if case .some = try? decoder.decode(FoundationHeartbeat.self, from: data) { accepted += 1 }
            } else if case .some = try? decoder.decode(FoundationEvent.self, from: data) {
                accepted += 1
            }
        }
        return accepted
    }

    /// The simulator's county (200 sites, as `weighstream bench` preloads), decoded, with the partition a
    /// keyed producer would pick (32 partitions); `weighsOnly` keeps only weigh records, as the bench's
    /// weigh-only run does.
    static func simulated(count: Int, weighsOnly: Bool) -> ([InputRecord], [RecordSource], [Int64]) {
        var simulator = CountySimulator(configuration: SimulatorConfiguration(sites: 200, seed: 1))
        var records: [InputRecord] = [], sources: [RecordSource] = [], kafkaTs: [Int64] = []
        var offsets: [InputTopic: [Int32: Int64]] = [:]
        while records.count < count {
            for r in simulator.next(count: 50_000) where records.count < count {
                guard let decoded = try? InputDecoder.decodeRecord(r.value, topic: r.topic) else { continue }
                if weighsOnly { guard case .weigh = decoded.record else { continue } }
                let partition = Workload.partition(of: r.key, count: 32)
                let offset = offsets[r.topic, default: [:]][partition, default: 0]
                offsets[r.topic, default: [:]][partition] = offset + 1
                records.append(decoded.record)
                sources.append(RecordSource(topic: r.topic == .heartbeats ? "hb" : "we", partition: partition, offset: offset))
                kafkaTs.append(r.kafkaTs)
            }
        }
        return (records, sources, kafkaTs)
    }

    @inline(never)
    static func measuredDetectSimulated(_ records: [InputRecord], _ sources: [RecordSource], _ kafkaTs: [Int64]) -> Int {
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        var alarms = 0
        for n in records.indices {
            processor.process(records[n], source: sources[n], kafkaTs: kafkaTs[n], detectedTs: 0, into: &out)
            alarms += out.alarms.count
            out.removeAll()
        }
        return alarms
    }

    /// The records' outputs, encoded in the order they were written, and the final state of every site
    /// (its snapshot), hashed with 64-bit FNV-1a.
    static func digest(_ records: [InputRecord], _ sources: [RecordSource], _ kafkaTs: [Int64]) -> String {
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        var w = JSONWriter()
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var outputs = 0
        func fold(_ bytes: [UInt8]) {
            for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        for n in records.indices {
            processor.process(records[n], source: sources[n], kafkaTs: kafkaTs[n], detectedTs: 0, into: &out)
            outputs += encodeEach(out, with: &w, fold)
            fold([UInt8(truncatingIfNeeded: out.duplicates), UInt8(truncatingIfNeeded: out.forgottenDevices)])
            out.removeAll()
        }
        let sites = processor.takeAll()
        for site in sites { fold(SiteSnapshot.encode(site)) }
        return "\(records.count) records, \(outputs) outputs, \(sites.count) sites: digest \(String(hash, radix: 16))"
    }

    @inline(never)
    static func measuredEncode(_ outputs: ProcessorOutput) -> Int {
        // One writer for all, as a shard keeps one: each output then allocates only the bytes it hands over.
        var w = JSONWriter()
        var bytes = 0
        encodeEach(outputs, with: &w) { bytes += $0.count }
        return bytes
    }

    /// Encodes every output (alarms, aggregates, site statuses, in that order) with `w`, hands each one's
    /// bytes to `body`, and returns how many there were.
    @discardableResult
    static func encodeEach(_ outputs: ProcessorOutput, with w: inout JSONWriter, _ body: ([UInt8]) -> Void) -> Int {
        for alarm in outputs.alarms {
            OutputEncoder.encode(alarm, into: &w)
            body(w.take())
        }
        for aggregate in outputs.aggregates {
            OutputEncoder.encode(aggregate, into: &w)
            body(w.take())
        }
        for status in outputs.statuses {
            OutputEncoder.encode(status, into: &w)
            body(w.take())
        }
        return outputs.alarms.count + outputs.aggregates.count + outputs.statuses.count
    }

    @inline(never)
    static func measuredDetect(_ records: [InputRecord], _ partitions: [Int32]) -> Int {
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        var alarms = 0
        for (n, r) in records.enumerated() {
            processor.process(r, source: RecordSource(topic: "t", partition: partitions[n], offset: Int64(n)), detectedTs: 0, into: &out)
            alarms += out.alarms.count
            out.removeAll()
        }
        return alarms
    }
}
