/// Any record WeighStream consumes.
public enum InputRecord: Sendable, Hashable {
    case weigh(WeighRecord)
    case passage(PassageRecord)
    case heartbeat(HeartbeatRecord)

    public var site: String {
        switch self {
        case .weigh(let r): r.site
        case .passage(let r): r.site
        case .heartbeat(let r): r.site
        }
    }

    public var ts: Int64 {
        switch self {
        case .weigh(let r): r.ts
        case .passage(let r): r.ts
        case .heartbeat(let r): r.ts
        }
    }
}
