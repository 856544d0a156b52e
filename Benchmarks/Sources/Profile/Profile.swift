import BenchmarkWorkload
import Foundation
import WeighStreamCore

/// `Profile decode|detect [records]`: runs one stage over the benchmark workload and nothing else, so that
/// a callgrind profile collected inside `measured*` (see scripts/profile) shows only that stage.
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
        default:
            print("usage: Profile decode|foundation|detect [records]")
        }
    }

    @inline(never)
    static func measuredDecode(_ encoded: [(bytes: [UInt8], isHeartbeat: Bool)]) -> Int {
        var accepted = 0
        for e in encoded {
            if e.isHeartbeat {
                if (try? InputDecoder.decodeHeartbeat(e.bytes)) != nil { accepted += 1 }
            } else if (try? InputDecoder.decodeEvent(e.bytes)) != nil {
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
                if (try? decoder.decode(FoundationHeartbeat.self, from: data)) != nil { accepted += 1 }
            } else if (try? decoder.decode(FoundationEvent.self, from: data)) != nil {
                accepted += 1
            }
        }
        return accepted
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
