import BenchmarkWorkload
import WeighStreamCore

/// `Profile decode|detect [records]`: runs one stage over the benchmark workload and nothing else, so that
/// a callgrind profile shows only that stage.
@main
struct Profile {
    static func main() {
        let arguments = CommandLine.arguments
        let stage = arguments.count > 1 ? arguments[1] : "decode"
        let count = arguments.count > 2 ? Int(arguments[2]) ?? 20_000 : 20_000
        switch stage {
        case "decode":
            let encoded = Workload.encoded(count: count)
            var accepted = 0
            for e in encoded {
                if e.isHeartbeat {
                    if (try? InputDecoder.decodeHeartbeat(e.bytes)) != nil { accepted += 1 }
                } else if (try? InputDecoder.decodeEvent(e.bytes)) != nil {
                    accepted += 1
                }
            }
            print("decoded \(accepted) of \(count)")
        case "detect":
            let records = Workload.records(count: count)
            var processor = StreamProcessor()
            var out = ProcessorOutput()
            var alarms = 0
            for (n, r) in records.enumerated() {
                processor.process(r, source: RecordSource(topic: "t", partition: Workload.partition(of: r.site, count: 4), offset: Int64(n)), detectedTs: 0, into: &out)
                alarms += out.alarms.count
                out.removeAll()
            }
            print("detected \(alarms) alarms in \(count) records")
        default:
            print("usage: Profile decode|detect [records]")
        }
    }
}
