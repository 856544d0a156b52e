import ArgumentParser
import Foundation
import WeighStreamEngine

/// The Kafka settings every command that talks to a cluster takes, read as `run` reads them: defaults, then
/// `--config FILE`, then `WEIGHSTREAM_*` variables, then `--brokers` and `--set`. So one settings file (with
/// `kafka.security.protocol`, SASL, TLS) reaches a secured cluster from every command.
struct KafkaOptions: ParsableArguments {
    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...] (or `brokers` in --config / WEIGHSTREAM_BROKERS).") var brokers: String?
    @Option(help: "YAML settings file, as for `run` (kafka.* security settings, topic names).") var config: String?
    @Option(name: .customLong("set"), help: "Any setting as KEY=VALUE (repeatable), e.g. --set kafka.security.protocol=SSL.")
    var overrides: [String] = []

    func configuration() throws -> EngineConfiguration {
        var flags = try RunCommand.parse(overrides)
        if let brokers { flags["brokers"] = brokers }
        return try EngineSettings.configuration(from: RunCommand.settings(
            file: config, environment: ProcessInfo.processInfo.environment, flags: flags))
    }
}
