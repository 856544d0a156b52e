/// Settings every librdkafka client shares: where the brokers are, who we are, how we connect,
/// and the raw property escape hatch.
public struct KafkaClientOptions: Sendable, Hashable {
    /// `bootstrap.servers`, such as `["kafka-1:9092", "kafka-2:9092"]`.
    public var bootstrapServers: [String]
    /// `client.id`: shows in broker logs and quotas.
    public var clientID: String
    public var security: KafkaSecurity
    /// Any librdkafka property by its own name (see librdkafka's CONFIGURATION.md).
    /// Applied last, so it overrides the typed settings.
    public var rawProperties: [String: String]

    public init(
        bootstrapServers: [String],
        clientID: String = "weighstream",
        security: KafkaSecurity = .plaintext,
        rawProperties: [String: String] = [:]
    ) {
        self.bootstrapServers = bootstrapServers
        self.clientID = clientID
        self.security = security
        self.rawProperties = rawProperties
    }

    var properties: [String: String] {
        var p = security.properties
        p["bootstrap.servers"] = bootstrapServers.joined(separator: ",")
        p["client.id"] = clientID
        return p
    }
}
