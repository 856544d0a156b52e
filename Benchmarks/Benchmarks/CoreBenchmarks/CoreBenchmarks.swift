import Benchmark
import BenchmarkWorkload
import Foundation
import WeighStreamCore

let batch = 10_000

let benchmarks: @Sendable () -> Void = {
    // Names without spaces: the plugin writes threshold files with spaces turned into underscores but
    // looks them up with the name as it is. Static thresholds live in Thresholds/ (`swift package benchmark thresholds update`, then `thresholds
    // check`, see scripts/bench). Allocations are exact, so 5 % more fails; wall clock on a shared 2-core
    // machine moves 2x between runs, so only a doubling (or throughput halving) fails.
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 1_000_000,
        thresholds: [
            .mallocCountTotal: .init(relative: [.p50: 5.0, .p90: 5.0]),
            .wallClock: .init(relative: [.p50: 100.0, .p90: 100.0]),
            .throughput: .init(relative: [.p50: 50.0, .p90: 50.0]),
        ]
    )

    let encoded = Workload.encoded(count: batch)
    let averageBytes = encoded.map(\.bytes.count).reduce(0, +) / encoded.count

    // One iteration decodes 1000 records (throughput is per 1000 records: kilo scaling).
    blackHole(averageBytes)
    Benchmark("Decode-mix-WeighStream") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            let e = encoded[i % batch]
            i += 1
            let r: Any? = e.isHeartbeat ? try? InputDecoder.decodeHeartbeat(e.bytes) : try? InputDecoder.decodeEvent(e.bytes)
            blackHole(r)
        }
    }

    let decoder = JSONDecoder()
    let datas = encoded.map { (Data($0.bytes), $0.isHeartbeat) }
    Benchmark("Decode-mix-Foundation-JSONDecoder") { benchmark in
        var i = 0
        for _ in benchmark.scaledIterations {
            let (data, heartbeat) = datas[i % batch]
            i += 1
            if heartbeat { blackHole(try? decoder.decode(FoundationHeartbeat.self, from: data)) }
            else { blackHole(try? decoder.decode(FoundationEvent.self, from: data)) }
        }
    }

    // One iteration runs 100 000 records of the mix through a fresh processor (100 sites, 4 partitions):
    // records/s = 100 000 x iterations/s. State for 100 sites fills within the first thousand records.
    let records = Workload.records(count: 100_000)
    // Input topics are keyed by site: a site's records always arrive on the same partition.
    let partitions = records.map { Workload.partition(of: $0.site, count: 4) }
    Benchmark("Detect-100k-records", configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            var processor = StreamProcessor()
            var out = ProcessorOutput()
            for (n, r) in records.enumerated() {
                processor.process(r, source: RecordSource(topic: "t", partition: partitions[n], offset: Int64(n)), detectedTs: 0, into: &out)
                if out.alarms.count > 4_096 || out.aggregates.count > 4_096 { out.removeAll() }
            }
            blackHole(out.alarms.count)
        }
    }

    // The device-health scorer alone: heartbeats only (offline detection, drift, skew, health windows).
    let heartbeats = records.filter { if case .heartbeat = $0 { true } else { false } }
    let heartbeatPartitions = heartbeats.map { Workload.partition(of: $0.site, count: 4) }
    Benchmark("Score-device-health-heartbeats", configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            var processor = StreamProcessor()
            var out = ProcessorOutput()
            for (n, r) in heartbeats.enumerated() {
                processor.process(r, source: RecordSource(topic: "t", partition: heartbeatPartitions[n], offset: Int64(n)), detectedTs: 0, into: &out)
                if out.aggregates.count > 4_096 { out.removeAll() }
            }
            blackHole(out.aggregates.count)
        }
    }

    let alarms: [Alarm] = {
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        for (n, r) in records.prefix(20_000).enumerated() {
            processor.process(r, source: RecordSource(topic: "t", partition: 0, offset: Int64(n)), detectedTs: 0, into: &out)
        }
        return out.alarms
    }()
    Benchmark("Encode-alarm-JSON") { benchmark in
        var writer = JSONWriter(capacity: 1_024)
        var i = 0
        for _ in benchmark.scaledIterations {
            writer.reset()
            OutputEncoder.encode(alarms[i % alarms.count], into: &writer)
            i += 1
            blackHole(writer.count)
        }
    }

    // Snapshot and restore of 10 000 sites with realistic state (one iteration = all 10 000 sites).
    let siteStates: [SiteState] = {
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        for (n, r) in Workload.records(count: 300_000, sites: 10_000).enumerated() {
            processor.process(r, source: RecordSource(topic: "t", partition: Workload.partition(of: r.site, count: 8), offset: Int64(n)), detectedTs: 0, into: &out)
            if out.aggregates.count > 10_000 { out.removeAll() }
        }
        return Array(processor.sites.values)
    }()
    let snapshots = siteStates.map(SiteSnapshot.encode)
    let bytes = snapshots.map(\.count).reduce(0, +)
    blackHole(bytes)
    Benchmark("Snapshot-10k-sites", configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            for s in siteStates { blackHole(SiteSnapshot.encode(s)) }
        }
    }
    Benchmark("Restore-10k-sites", configuration: .init(scalingFactor: .one, maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            for s in snapshots { blackHole(try? SiteSnapshot.decode(s)) }
        }
    }
}
