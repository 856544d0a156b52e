import ArgumentParser
import Dispatch
import Foundation
import Logging
import Prometheus
import WeighStreamEngine
import WeighStreamHTTP

/// `weighstream run`: the processor, against any Kafka cluster.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the processor as a member of a consumer group.",
        discussion: """
            Settings come from defaults, then --config FILE (YAML), then WEIGHSTREAM_* environment variables, \
            then these flags. See docs/operations.md for every setting.
            """
    )

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].") var brokers: String?
    @Option(help: "Consumer group id.") var group: String?
    @Option(help: "YAML settings file.") var config: String?
    @Option(help: "Parallel shards (default: number of cores).") var shards: Int?
    @Option(help: "at-least-once or exactly-once.") var guarantee: String?
    @Option(name: .customLong("weigh-events-topic"), help: "Input topic of weigh and passage records.") var weighEventsTopic: String?
    @Option(name: .customLong("heartbeats-topic"), help: "Input topic of heartbeats.") var heartbeatsTopic: String?
    @Option(name: .customLong("alarms-topic"), help: "Output topic of alarms.") var alarmsTopic: String?
    @Option(name: .customLong("aggregates-topic"), help: "Output topic of aggregates.") var aggregatesTopic: String?
    @Option(name: .customLong("dlq-topic"), help: "Dead-letter topic.") var dlqTopic: String?
    @Option(name: .customLong("state-topic"), help: "Compacted state topic.") var stateTopic: String?
    @Option(name: .customLong("set"), help: "Any setting as KEY=VALUE (repeatable), e.g. --set kafka.security.protocol=SSL.")
    var overrides: [String] = []

    func run() throws {
        let settings = try Self.settings(file: config, environment: ProcessInfo.processInfo.environment, flags: flagSettings())
        LoggingSetup.bootstrap(level: settings["log_level"] ?? "info", format: settings["log_format"] ?? "text")
        let logger = Logger(label: "weighstream")
        for name in EngineSettings.serviceLinks(in: ProcessInfo.processInfo.environment) {
            logger.debug("ignoring a variable Kubernetes injects for a service", metadata: ["variable": "\(name)"])
        }
        var configuration = try EngineSettings.configuration(from: settings)
        let port = Int(settings["metrics_port"] ?? "") ?? 9464
        if configuration.advertisedURL == nil && port > 0 {
            configuration.advertisedURL = "http://\(ProcessInfo.processInfo.hostName):\(port)"
        }
        logger.info("settings", metadata: EngineSettings.redacted(settings).mapValues { .string($0) })
        let registry = PrometheusCollectorRegistry()
        let engine = try Engine(configuration: configuration, logger: logger, metrics: EndpointServer.metricsFactory(registry: registry))
        let signals = SignalHandling(onFirst: { engine.stop() }, logger: logger)
        defer { withExtendedLifetime(signals) {} }
        let server = port > 0
            ? try EndpointServer(engine: engine, registry: registry, host: settings["http.bind"] ?? "127.0.0.1", port: port, logger: logger) : nil
        defer { server?.close() }
        try engine.run()
    }

    /// `KEY=VALUE` pairs of `--set`.
    static func parse(_ overrides: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in overrides {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else {
                throw ValidationError("--set expects KEY=VALUE, got \(pair)")
            }
            result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
        }
        return result
    }

    private func flagSettings() throws -> [String: String] {
        var flags: [String: String] = [:]
        flags["brokers"] = brokers
        flags["group"] = group
        flags["shards"] = shards.map(String.init)
        flags["guarantee"] = guarantee
        flags["topics.weigh_events"] = weighEventsTopic
        flags["topics.heartbeats"] = heartbeatsTopic
        flags["topics.alarms"] = alarmsTopic
        flags["topics.aggregates"] = aggregatesTopic
        flags["topics.dead_letters"] = dlqTopic
        flags["topics.state"] = stateTopic
        return flags.merging(try Self.parse(overrides)) { $1 }
    }

    /// Defaults, then the file, then the environment, then flags.
    static func settings(file: String?, environment: [String: String], flags: [String: String]) throws -> [String: String] {
        var settings: [String: String] = [:]
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw EngineError(.invalidConfiguration, "cannot read config file \(file)")
            }
            settings.merge(try EngineSettings.fromYAML(text, file: file)) { $1 }
        }
        settings.merge(try EngineSettings.fromEnvironment(environment)) { $1 }
        settings.merge(flags) { $1 }
        return settings
    }
}
