import ArgumentParser
import Foundation
import Logging
import WeighStreamCore
import WeighStreamEngine
import WeighStreamKafka
import WeighStreamSimulator

/// `weighstream demo`: the embedded cluster, a simulated county and the processor in one process, with a
/// live view. No broker to install.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run a simulated county through the processor on an embedded Kafka cluster, with a live view.")

    @Option(help: "Stop after this many wall-clock seconds (default: run until Ctrl-C).") var duration: Double?
    @Option(help: "Simulated time per wall-clock time (120: an hour of the county in 30 s).") var speed: Double = 120
    @Option(help: "Source sites.") var sites = 100
    @Option(help: "Simulator seed.") var seed: UInt64 = 2026
    @Option(help: "Processor shards (default: number of cores).") var shards: Int?
    @Flag(help: "No live view: a progress line every few seconds, then the summary.") var headless = false

    func run() throws {
        var quiet = Logger(label: "weighstream.demo")
        quiet.logLevel = .critical
        let interactive = !headless && isatty(1) == 1
        print("starting the embedded Kafka cluster (3 brokers)…")
        let cluster = try EmbeddedKafkaCluster(brokers: 3, logger: quiet)
        let topics = EngineTopics()
        try cluster.createTopics(topics.specs(partitions: 4, replicationFactor: 3))
        var configuration = EngineConfiguration(client: cluster.clientOptions(clientID: "demo"), groupID: "weighstream-demo")
        if let shards { configuration.shards = shards }
        let engine = try Engine(configuration: configuration, logger: quiet)
        let engineDone = DispatchSemaphore(value: 0)
        let engineThread = Thread {
            do { try engine.run() } catch { FileHandle.standardError.write(Data("engine: \(error)\n".utf8)) }
            engineDone.signal()
        }
        engineThread.start()
        let simulator = SimulatorConfiguration(sites: sites, seed: seed)
        let feed = try SimulatorFeed(simulator: simulator, client: cluster.clientOptions(clientID: "demo"), topics: topics,
                                     speed: speed, minutes: nil, logger: quiet)
        let watcher = try OutputWatcher(client: cluster.clientOptions(clientID: "demo-view"), topics: topics, logger: quiet)
        let stop = DispatchSemaphore(value: 0)
        let signals = SignalHandling(onFirst: { stop.signal() }, logger: quiet)
        let started = Date()
        var last = (Date(), 0, 0)
        var tick = 0
        while true {
            if stop.wait(timeout: .now() + 1) == .success { break }
            if let duration, Date().timeIntervalSince(started) >= duration { break }
            tick += 1
            let s = engine.statistics
            let out = s.alarmsTotal + s.aggregates.values.reduce(0, +) + s.deadLettersTotal
            let seconds = Date().timeIntervalSince(last.0)
            let rates = (Double(s.recordsInTotal - last.1) / seconds, Double(out - last.2) / seconds)
            last = (Date(), s.recordsInTotal, out)
            if interactive {
                print("\u{1B}[H\u{1B}[2J" + Self.view(s, feed: feed.current, watcher: watcher, rates: rates, elapsed: Date().timeIntervalSince(started), worst: engine.heldSites().map(\.status)), terminator: "")
                fflush(nil)
            } else if tick % 5 == 0 {
                print("\(Int(Date().timeIntervalSince(started)))s  simulated \(SimulateCommand.time(feed.current.simulatedTime))  in \(s.recordsInTotal)  alarms \(s.alarmsTotal)  lag \(s.lag.values.reduce(0, +))")
            }
        }
        feed.stop()
        let produced = feed.current.produced
        let deadline = Date(timeIntervalSinceNow: 30)
        while engine.statistics.recordsInTotal < produced && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        Thread.sleep(forTimeInterval: 1)
        let worst = engine.heldSites().map(\.status)
        engine.stop()
        engineDone.wait()
        watcher.stop()
        withExtendedLifetime((cluster, signals)) {}
        print(Self.summary(engine.statistics, feed: feed.current, watcher: watcher, elapsed: Date().timeIntervalSince(started), worst: worst))
    }

    static func view(
        _ s: EngineStatistics, feed: SimulatorFeed.Progress, watcher: OutputWatcher, rates: (Double, Double), elapsed: Double,
        worst: [SiteStatus] = []
    ) -> String {
        var lines = [
            "WeighStream demo — embedded Kafka, simulated county (Ctrl-C for the summary)",
            "",
            "simulated time  \(SimulateCommand.time(feed.simulatedTime))      wall \(Int(elapsed)) s",
            "records/s in    \(Int(rates.0))      out \(Int(rates.1))      consumer lag \(s.lag.values.reduce(0, +))      shards queued \(s.shardQueueDepth)",
            "devices online  \(String(format: "%.1f", watcher.onlinePct)) %      dead letters \(s.deadLettersTotal)      duplicates \(s.duplicates)",
            "",
            "alarms by type",
        ]
        for type in AlarmType.allCases {
            lines.append("  \(type.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(s.alarms[type] ?? 0)")
        }
        lines += ["", "latest critical alarms"] + watcher.current.latestCritical.map { "  " + $0 }
        // The inspection wall's top: the site-status records the processor wrote last, worst first.
        let bad = worst.filter { $0.status != .online }.prefix(5)
        lines += ["", "worst sites (site-status; `weighstream status` prints the whole table)"]
        lines += bad.isEmpty ? ["  every site online"] : StatusCommand.render(Array(bad)).split(separator: "\n").dropLast().map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    static func summary(_ s: EngineStatistics, feed: SimulatorFeed.Progress, watcher: OutputWatcher, elapsed: Double, worst: [SiteStatus]) -> String {
        var lines = [
            "",
            "summary after \(Int(elapsed)) s wall, simulated until \(SimulateCommand.time(feed.simulatedTime))",
            "records: produced \(feed.produced), processed \(s.recordsInTotal)",
            "outputs: \(s.alarmsTotal) alarms, \(s.aggregates.values.reduce(0, +)) aggregates, \(s.deadLettersTotal) dead letters (injected \(feed.injected.deadLetters)), \(s.duplicates) duplicates dropped (injected \(feed.injected.duplicates))",
            "field faults: \(s.partialRecords) records processed without a bad optional field (injected \(feed.injected.partialRecords)), \(feed.injected.repeatExits) second exit reads injected",
            "devices online: \(String(format: "%.1f", watcher.onlinePct)) %",
            "",
            "alarm type            raised   injected",
        ]
        for type in AlarmType.allCases {
            lines.append("\(type.name.padding(toLength: 20, withPad: " ", startingAt: 0))  \(String(s.alarms[type] ?? 0).padding(toLength: 8, withPad: " ", startingAt: 0)) \(feed.injected.alarms[type] ?? 0)")
        }
        lines += ["", "worst sites at the end (site-status)"] + StatusCommand.render(Array(worst.prefix(5))).split(separator: "\n").dropLast().map(String.init)
        return lines.joined(separator: "\n")
    }
}
