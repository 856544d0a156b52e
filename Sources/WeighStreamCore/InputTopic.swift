/// The two input topics of the contract, whatever their configured names.
public enum InputTopic: UInt8, Sendable, Hashable, CaseIterable {
    /// `weigh-events`: weigh and passage records.
    case weighEvents
    /// `heartbeats`: device heartbeats.
    case heartbeats
}
