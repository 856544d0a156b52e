import ArgumentParser
import Foundation
import Histogram
import Logging
import Synchronization
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
import WeighStreamSimulator

/// `weighstream bench`: throughput of the bare consumer and of the pipeline on the same data in one run,
/// record-to-alarm latency at fixed input rates, peak RSS and state size.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput, latency, memory and scaling on the embedded cluster (or --brokers).")

    /// A real cluster with --brokers or --config (security settings included); the embedded one otherwise.
    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Records to preload for the throughput runs.") var records: Int?
    @Option(help: "Weigh records for the weigh-only throughput runs (default: a quarter of --records).") var weighRecords: Int?
    @Option(help: "Shard counts to run the pipeline with, comma-separated.") var shards = "1,2"
    @Option(help: "Input rates (records/s) for the latency runs, comma-separated.") var rates: String?
    @Option(help: "Seconds per latency run.") var seconds: Double?
    @Option(help: "Partitions of each bench topic (the embedded broker keeps at most 5 MB per partition).") var partitions = 32
    @Option(help: "Replication factor of the bench topics.") var replication = 1
    @Flag(help: "Finish in under a minute: fewer records, two rates, short runs.") var quick = false
    @Option(help: "Parts to run, comma-separated: mix (throughput on the simulator's mix), weighs (weigh records only), latency.")
    var parts = "mix,weighs,latency"
    @Option(help: "Write the results as JSON here.") var json: String?
    @Option(help: "Write a chart (throughput by shards, latency by rate) as SVG here.") var svg: String?

    func run() throws {
        var logger = Logger(label: "weighstream.bench")
        logger.logLevel = .critical
        let shardCounts = try shards.split(separator: ",").map { part -> Int in
            guard let n = Int(part), n > 0 else { throw ValidationError("--shards: expected numbers like 1,2, got \(shards)") }
            return n
        }
        let rateList = try (rates ?? (quick ? "10000,100000" : "10000,100000,300000")).split(separator: ",").map { part -> Int in
            guard let n = Int(part), n > 0 else { throw ValidationError("--rates: expected numbers like 10000,100000, got \(part)") }
            return n
        }
        let count = records ?? (quick ? 500_000 : 2_000_000)
        let runSeconds = seconds ?? (quick ? 4 : 10)
        let known: Set<Substring> = ["mix", "weighs", "latency"]
        let chosen = Set(parts.split(separator: ","))
        guard !chosen.isEmpty, chosen.isSubset(of: known) else {
            throw ValidationError("--parts: expected some of mix,weighs,latency, got \(parts)")
        }

        let external = kafka.brokers != nil || kafka.config != nil
        let cluster: EmbeddedKafkaCluster? = external ? nil : try EmbeddedKafkaCluster(brokers: 3, logger: logger)
        // The settings (`--config`, `--set`) apply on the embedded cluster too (they were dropped there), so runs
        // can compare settings such as `kafka.fetch.wait.max.ms` or `commit_interval_ms` on the same broker.
        var options = kafka
        let embedded = cluster?.clientOptions(clientID: "bench")
        if let embedded { options.brokers = embedded.bootstrapServers.joined(separator: ",") }
        let settings = try options.configuration()
        var client = settings.client
        if var embedded {
            embedded.rawProperties.merge(settings.client.rawProperties) { _, set in set }
            client = embedded
        }
        client.clientID = "bench"
        let bench = BenchRunner(client: client, settings: settings, cluster: cluster, partitions: partitions, replication: replication, logger: logger)
        var results = BenchResults()
        results.machine = "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(external ? "cluster \(client.bootstrapServers.joined(separator: ","))" : "embedded 3-broker mock cluster")"
        if chosen.contains("mix") {
            status("preloading \(count) records (lz4)…")
            let input = try bench.preload(count: count)
            results.records = count
            results.bytes = input.bytes
            status("bare librdkafka consumer…")
            (results.bareRecordsPerSecond, results.bareCPUMicros) = try bench.bareConsumer(topics: input.topics, count: count)
            for k in shardCounts {
                status("pipeline with \(k) shard\(k == 1 ? "" : "s")…")
                let run = try bench.pipeline(input: input, shards: k, count: count)
                results.pipelineRecordsPerSecond[k] = run.recordsPerSecond
                results.pipelineCPUMicros[k] = run.cpuMicros
                status("  " + run.breakdown)
                if k == shardCounts.max() {
                    (results.stateBytesPerLane, results.stateBytesPerDevice) = try bench.stateSizes(run.engineTopics)
                    status("I/O floor: a relay writing what that pipeline wrote…")
                    results.floor = try bench.floorFigures(input: input, count: count, pipelineTopics: run.engineTopics, name: "mix")
                }
            }
        }
        if chosen.contains("weighs") {
            // The weigh records alone: every rule, window, dedup and plate runs on each record.
            let weighCount = max(1, weighRecords ?? count / 4)
            status("preloading \(weighCount) weigh records only…")
            let weighs = try bench.preload(count: weighCount, weighOnly: true)
            status("bare librdkafka consumer, weighs only…")
            let bareWeighs = try bench.bareConsumer(topics: weighs.topics, count: weighCount)
            status("pipeline with \(shardCounts.max()!) shards, weighs only…")
            let pipelineWeighs = try bench.pipeline(input: weighs, shards: shardCounts.max()!, count: weighCount, name: "weighs-run")
            status("I/O floor, weighs only…")
            let floorWeighs = try bench.floorFigures(input: weighs, count: weighCount, pipelineTopics: pipelineWeighs.engineTopics, name: "weighs")
            results.weighOnly = BenchResults.MixFigures(
                topic: weighs.topics.weighEvents, records: weighCount, shards: shardCounts.max()!, bareRecordsPerSecond: bareWeighs.rate, pipelineRecordsPerSecond: pipelineWeighs.recordsPerSecond,
                bareCPUMicros: bareWeighs.cpuMicros, pipelineCPUMicros: pipelineWeighs.cpuMicros, floor: floorWeighs)
        }
        results.peakRSSBytes = BenchRunner.peakRSS()
        for rate in rateList where chosen.contains("latency") {
            status("latency at \(rate) records/s for \(Int(runSeconds)) s…")
            results.latency[rate] = try bench.latency(rate: rate, seconds: runSeconds, shards: shardCounts.max()!)
            status("bare relay at \(rate) records/s for \(Int(runSeconds)) s…")
            results.relayLatency[rate] = try bench.latency(rate: rate, seconds: runSeconds, shards: shardCounts.max()!, relay: true)
        }
        results.peakRSSBytes = max(results.peakRSSBytes, BenchRunner.peakRSS())
        withExtendedLifetime(cluster) {}
        print(results.table())
        if let json { try results.json().write(to: URL(fileURLWithPath: json)) }
        if let svg { try BenchChart.svg(results).write(toFile: svg, atomically: true, encoding: .utf8) }
    }

    private func status(_ text: String) {
        FileHandle.standardError.write(Data("\(text)\n".utf8))
    }
}
