/// How urgent an alarm is, from `info` to `critical`.
public enum Severity: UInt8, Sendable, Hashable, CaseIterable, Comparable {
    case info
    case warning
    case major
    case critical

    public var name: String {
        switch self {
        case .info: "info"
        case .warning: "warning"
        case .major: "major"
        case .critical: "critical"
        }
    }

    public init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}
