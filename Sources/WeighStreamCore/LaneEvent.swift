/// A record of something that happened at a lane, a weigh or a passage: what an alarm it raises carries of it.
protocol LaneEvent {
    var id: String { get }
    var lane: Int { get }
    var ts: Int64 { get }
    var plate: String { get }
    var evidence: [String]? { get }
    /// The device that recorded it: a weigh's scale, a passage's camera.
    var device: String? { get }
}

// The two records that are lane events, here beside the protocol: each conformance is the one line that
// names its device.
extension WeighRecord: LaneEvent {
    var device: String? { scale }
}

extension PassageRecord: LaneEvent {
    var device: String? { camera }
}
