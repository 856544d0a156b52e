/// How a client authenticates and encrypts its connections (`security.protocol`, `sasl.*`, `ssl.*`).
///
/// Secrets (`saslPassword`, `sslKeyPassword`) never appear in `description`, so a configuration can be logged.
public struct KafkaSecurity: Sendable, Hashable, CustomStringConvertible {
    public enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"
    }

    public enum SASLMechanism: String, Sendable, Hashable, CaseIterable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
        case gssapi = "GSSAPI"
        case oauthBearer = "OAUTHBEARER"
    }

    public var securityProtocol: SecurityProtocol
    public var saslMechanism: SASLMechanism?
    public var saslUsername: String?
    public var saslPassword: String?
    /// CA bundle used to verify the brokers (`ssl.ca.location`).
    public var sslCALocation: String?
    /// Client certificate and key for mutual TLS.
    public var sslCertificateLocation: String?
    public var sslKeyLocation: String?
    public var sslKeyPassword: String?
    /// `ssl.endpoint.identification.algorithm`: `https` (verify host names, the default) or `none`.
    public var sslEndpointIdentification: Bool

    public init(
        securityProtocol: SecurityProtocol = .plaintext,
        saslMechanism: SASLMechanism? = nil,
        saslUsername: String? = nil,
        saslPassword: String? = nil,
        sslCALocation: String? = nil,
        sslCertificateLocation: String? = nil,
        sslKeyLocation: String? = nil,
        sslKeyPassword: String? = nil,
        sslEndpointIdentification: Bool = true
    ) {
        self.securityProtocol = securityProtocol
        self.saslMechanism = saslMechanism
        self.saslUsername = saslUsername
        self.saslPassword = saslPassword
        self.sslCALocation = sslCALocation
        self.sslCertificateLocation = sslCertificateLocation
        self.sslKeyLocation = sslKeyLocation
        self.sslKeyPassword = sslKeyPassword
        self.sslEndpointIdentification = sslEndpointIdentification
    }

    public static let plaintext = KafkaSecurity()

    var properties: [String: String] {
        var p: [String: String] = ["security.protocol": securityProtocol.rawValue]
        if let saslMechanism { p["sasl.mechanism"] = saslMechanism.rawValue }
        if let saslUsername { p["sasl.username"] = saslUsername }
        if let saslPassword { p["sasl.password"] = saslPassword }
        if let sslCALocation { p["ssl.ca.location"] = sslCALocation }
        if let sslCertificateLocation { p["ssl.certificate.location"] = sslCertificateLocation }
        if let sslKeyLocation { p["ssl.key.location"] = sslKeyLocation }
        if let sslKeyPassword { p["ssl.key.password"] = sslKeyPassword }
        if securityProtocol == .ssl || securityProtocol == .saslSSL {
            p["ssl.endpoint.identification.algorithm"] = sslEndpointIdentification ? "https" : "none"
        }
        return p
    }

    public var description: String {
        var parts = ["protocol=\(securityProtocol.rawValue)"]
        if let saslMechanism { parts.append("sasl=\(saslMechanism.rawValue)") }
        if let saslUsername { parts.append("user=\(saslUsername)") }
        if saslPassword != nil { parts.append("password=***") }
        if let sslCALocation { parts.append("ca=\(sslCALocation)") }
        return "KafkaSecurity(\(parts.joined(separator: ", ")))"
    }
}
