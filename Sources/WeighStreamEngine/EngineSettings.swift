import WeighStreamCore
import WeighStreamKafka

/// Turns settings from a YAML file, `WEIGHSTREAM_*` environment variables and command-line flags into an
/// `EngineConfiguration`. Later sources override earlier ones: defaults, file, environment, flags.
///
/// Every key is in `EngineSettings.all` (the configuration reference in docs/operations.md is checked
/// against it by a test). Raw librdkafka properties go under `kafka.` (both clients), `consumer.` or
/// `producer.`; their environment form is `WEIGHSTREAM_KAFKA_SASL_PASSWORD` for `kafka.sasl.password`.
/// An unknown key or a bad value fails with one line naming it.
public enum EngineSettings {
    /// Prefixes whose keys are passed to librdkafka as they are.
    public static let rawPrefixes = ["kafka.", "consumer.", "producer."]

    /// Builds the configuration from flat `key: value` settings (already merged in precedence order).
    public static func configuration(from settings: [String: String]) throws(EngineError) -> EngineConfiguration {
        var c = EngineConfiguration(client: KafkaClientOptions(bootstrapServers: []))
        let known = Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0) })
        for key in settings.keys.sorted() {
            let value = settings[key]!
            if let prefix = rawPrefixes.first(where: { key.hasPrefix($0) }) {
                let property = String(key.dropFirst(prefix.count))
                guard !property.isEmpty else { throw EngineError(.invalidConfiguration, "\(key): a librdkafka property name is missing") }
                switch prefix {
                case "kafka.": c.client.rawProperties[property] = value
                case "consumer.": c.consumerProperties[property] = value
                default: c.producerProperties[property] = value
                }
                continue
            }
            guard let setting = known[key] else {
                throw EngineError(.invalidConfiguration, "unknown setting \(key)\(suggestion(for: key))")
            }
            try setting.apply(&c, value)
        }
        try c.validate()
        return c
    }

    /// Settings from the environment: every `WEIGHSTREAM_*` variable must name a setting, except those
    /// Kubernetes injects for a Service whose name starts with `weighstream` (service links, see
    /// `isServiceLink`), which are skipped (`serviceLinks(in:)` lists them, for a debug line).
    public static func fromEnvironment(_ environment: [String: String]) throws(EngineError) -> [String: String] {
        let byVariable = Dictionary(uniqueKeysWithValues: all.map { ($0.environmentVariable, $0.key) })
        var result: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("WEIGHSTREAM_") {
            if isServiceLink(name, value: value) { continue }
            if let key = byVariable[name] {
                result[key] = value
                continue
            }
            let rest = name.dropFirst("WEIGHSTREAM_".count).lowercased()
            if let prefix = rawPrefixes.first(where: { rest.hasPrefix($0.dropLast() + "_") }) {
                let property = rest.dropFirst(prefix.count).split(separator: "_").joined(separator: ".")
                result[prefix + property] = value
                continue
            }
            throw EngineError(.invalidConfiguration, "unknown environment variable \(name)")
        }
        return result
    }

    /// Whether a variable is one the kubelet injects for every Service in the namespace (unless the pod
    /// sets `enableServiceLinks: false`): for a Service `weighstream-metrics` on port 9464 these are
    /// `WEIGHSTREAM_METRICS_SERVICE_HOST`, `..._SERVICE_PORT`, `..._SERVICE_PORT_METRICS`,
    /// `WEIGHSTREAM_METRICS_PORT=tcp://10.0.0.7:9464` and `..._PORT_9464_TCP`, `..._TCP_PROTO`, `..._TCP_PORT`,
    /// `..._TCP_ADDR`. A `_PORT` variable counts only when its value is such a URL, so that a real setting
    /// ending in `_PORT` (`WEIGHSTREAM_METRICS_PORT=9464`) is still read and a mistyped one still refused.
    public static func isServiceLink(_ name: String, value: String) -> Bool {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return false }
        if parts.last == "HOST", parts[parts.count - 2] == "SERVICE" { return true }
        if let i = parts.lastIndex(of: "SERVICE"), i + 1 < parts.count, parts[i + 1] == "PORT" { return true }
        // NAME_PORT_9464_TCP, then optionally _PROTO, _PORT or _ADDR.
        for i in parts.indices.dropLast(2) where i >= 1 && parts[i] == "PORT" {
            guard !parts[i + 1].isEmpty, parts[i + 1].allSatisfy(\.isNumber), ["TCP", "UDP", "SCTP"].contains(parts[i + 2]) else { continue }
            if parts.count == i + 3 || (parts.count == i + 4 && ["PROTO", "PORT", "ADDR"].contains(parts[i + 3])) { return true }
        }
        if parts.last == "PORT" {
            return ["tcp://", "udp://", "sctp://"].contains { value.hasPrefix($0) }
        }
        return false
    }

    /// The `WEIGHSTREAM_*` variables of `environment` that `fromEnvironment` skips as service links.
    public static func serviceLinks(in environment: [String: String]) -> [String] {
        environment.filter { $0.key.hasPrefix("WEIGHSTREAM_") && isServiceLink($0.key, value: $0.value) }.keys.sorted()
    }

    private static func suggestion(for key: String) -> String {
        let close = all.map(\.key).filter { $0.hasSuffix(key.split(separator: ".").last.map(String.init) ?? key) || key.hasSuffix($0) }
        return close.first.map { " (did you mean \($0)?)" } ?? ""
    }

    /// Parts of a key that mark its value as secret: passwords, inline keys and certificates' private
    /// parts (`ssl.key.pem`, `ssl.keystore.password`), tokens, JAAS configurations, OAuth settings.
    public static let secretKeyParts = ["password", "secret", "key", "token", "jaas", "pem", "oauthbearer.config"]

    /// A copy of settings fit for logs: the value of every key whose name looks secret is replaced.
    public static func redacted(_ settings: [String: String]) -> [String: String] {
        settings.reduce(into: [:]) { out, entry in
            let name = entry.key.lowercased()
            out[entry.key] = secretKeyParts.contains { name.contains($0) } ? "<redacted>" : entry.value
        }
    }
}
