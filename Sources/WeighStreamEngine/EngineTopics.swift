import WeighStreamCore

/// The topic names the engine reads and writes; defaults follow the contract.
public struct EngineTopics: Sendable, Hashable {
    public var weighEvents: String
    public var heartbeats: String
    public var alarms: String
    public var aggregates: String
    public var deadLetters: String
    /// The compacted topic of site snapshots. It must have as many partitions as the input topics: site
    /// state lives in the partition with the same number as the site's input partitions.
    public var state: String
    /// (1.1) The compacted table of each site's supervision status, keyed by site. Empty: not written.
    public var siteStatus: String

    public init(
        weighEvents: String = "weigh-events", heartbeats: String = "heartbeats", alarms: String = "alarms",
        aggregates: String = "aggregates", deadLetters: String = "weighstream-dlq", state: String = "weighstream-state",
        siteStatus: String = "site-status"
    ) {
        self.weighEvents = weighEvents
        self.heartbeats = heartbeats
        self.alarms = alarms
        self.aggregates = aggregates
        self.deadLetters = deadLetters
        self.state = state
        self.siteStatus = siteStatus
    }

    /// The configured name of an input topic.
    public func name(of topic: InputTopic) -> String { topic == .weighEvents ? weighEvents : heartbeats }

    /// Which input topic a name is, if any.
    public func inputTopic(named name: String) -> InputTopic? {
        name == weighEvents ? .weighEvents : name == heartbeats ? .heartbeats : nil
    }

    /// Every name, for validation and topic creation.
    public var all: [String] {
        [weighEvents, heartbeats, alarms, aggregates, deadLetters, state] + (siteStatus.isEmpty ? [] : [siteStatus])
    }
}
