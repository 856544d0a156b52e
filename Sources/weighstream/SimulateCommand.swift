import ArgumentParser
import Foundation
import Logging
import WeighStreamCore
import WeighStreamEngine
import WeighStreamSimulator

/// `weighstream simulate`: a county of sites as load and scenario generator against any cluster.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Produce a simulated county's weigh records and heartbeats to the input topics.",
        discussion: "Seeded and reproducible. At the end it prints what it injected: the alarms a correct processor raises for it.")

    @OptionGroup var kafka: KafkaOptions
    @Option(help: "Source sites.") var sites = 100
    @Option(help: "Seed: the same seed gives the same records.") var seed: UInt64 = 2026
    @Option(help: "Simulated minutes to produce (default: until Ctrl-C or --duration).") var minutes: Double?
    @Option(help: "Simulated time per wall-clock time; 0 produces as fast as the cluster takes it.") var speed: Double = 1
    @Option(help: "Stop after this many wall-clock seconds.") var duration: Double?
    @Option(help: "Truck arrivals per weigh lane per hour.") var trucksPerLanePerHour: Double = 30
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() throws {
        guard minutes != nil || duration != nil || speed > 0 else {
            throw ValidationError("--speed 0 needs --minutes or --duration, or it never ends")
        }
        let engine = try kafka.configuration()
        var logger = Logger(label: "weighstream.simulate")
        logger.logLevel = .error
        let feed = try SimulatorFeed(
            simulator: SimulatorConfiguration(sites: sites, seed: seed, trucksPerLanePerHour: trucksPerLanePerHour),
            client: engine.client, topics: engine.topics, speed: speed, minutes: minutes, logger: logger)
        let stop = DispatchSemaphore(value: 0)
        let signals = SignalHandling(onFirst: { stop.signal() }, logger: logger)
        let started = Date()
        while !feed.current.finished {
            if stop.wait(timeout: .now() + 1) == .success { break }
            if let duration, Date().timeIntervalSince(started) >= duration { break }
            if !json {
                let p = feed.current
                FileHandle.standardError.write(Data("\rsimulated \(Self.time(p.simulatedTime)) produced \(p.produced) records   ".utf8))
            }
        }
        feed.stop()
        withExtendedLifetime(signals) {}
        let p = feed.current
        if json {
            var object: [String: Any] = ["records": p.produced, "failed": p.failed, "dead_letters": p.injected.deadLetters,
                                         "duplicates": p.injected.duplicates, "simulated_until": p.simulatedTime]
            object["alarms"] = Dictionary(uniqueKeysWithValues: p.injected.alarms.map { ($0.key.name, $0.value) })
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("\nproduced \(p.produced) records up to \(Self.time(p.simulatedTime)) (\(p.failed) failed)")
            print("injected: \(p.injected.deadLetters) bad records, \(p.injected.duplicates) duplicates")
            for type in AlarmType.allCases { print("  \(type.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(p.injected.alarms[type] ?? 0)") }
        }
        if p.failed > 0 { throw ExitCode(1) }
    }

    static func time(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) + " +08"
    }
}
