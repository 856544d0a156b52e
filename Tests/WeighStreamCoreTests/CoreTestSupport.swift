import Foundation
@testable import WeighStreamCore

let t0: Int64 = 1_795_950_000_000  // 2026-11-29, a minute boundary
let minute: Int64 = 60_000

func weigh(
    _ id: String, site: String = "S1", lane: Int = 1, at ts: Int64, plate: String = "晋M12345", axles: Int = 6,
    vehicle: VehicleKind = .combination, sda: Bool = false, gross: Int, tare: Int? = nil, rated: Int? = nil,
    axleKg: [Int]? = nil, stable: Bool = true
) -> InputRecord {
    .weigh(WeighRecord(
        id: id, site: site, lane: lane, ts: ts, plate: plate, axles: axles, vehicle: vehicle, singleDriveAxle: sda,
        grossKg: gross, tareKg: tare, ratedLoadKg: rated, axleKg: axleKg, stable: stable, scale: "\(site)-SC\(lane)"))
}

func exit(_ id: String, site: String = "S1", lane: Int = 1, at ts: Int64, plate: String = "晋M12345") -> InputRecord {
    .passage(PassageRecord(id: id, site: site, lane: lane, ts: ts, plate: plate, direction: .exit, camera: "\(site)-CAM\(lane)"))
}

func beat(
    _ device: String, site: String = "S1", kind: DeviceKind = .scale, at ts: Int64, seq: Int64, interval: Int64 = 10_000,
    status: DeviceStatus = .ok, errors: [String] = [], zero: Int? = nil, division: Int? = nil, clock: Int64? = nil,
    lag: Int64? = nil
) -> InputRecord {
    .heartbeat(HeartbeatRecord(
        device: device, site: site, kind: kind, ts: ts, seq: seq, intervalMs: interval, status: status, errors: errors,
        zeroKg: zero, divisionKg: division, clockOffsetMs: clock, uploadLagMs: lag))
}

/// Runs records through a fresh processor (partition 0 of each topic) and returns everything it produced.
func run(
    _ records: [InputRecord], config: ProcessorConfiguration = ProcessorConfiguration(), advanceTo: Int64? = nil
) -> ProcessorOutput {
    var processor = StreamProcessor(configuration: config)
    var out = ProcessorOutput()
    for (i, r) in records.enumerated() {
        let topic = if case .heartbeat = r { "heartbeats" } else { "weigh-events" }
        processor.process(r, source: RecordSource(topic: topic, partition: 0, offset: Int64(i)), detectedTs: 0, into: &out)
    }
    if let advanceTo {
        processor.advance(PartitionKey(.weighEvents, 0), to: advanceTo, detectedTs: 0, into: &out)
        processor.advance(PartitionKey(.heartbeats, 0), to: advanceTo, detectedTs: 0, into: &out)
    }
    return out
}

extension ProcessorOutput {
    func alarms(_ type: AlarmType) -> [Alarm] { alarms.filter { $0.type == type } }
    var laneWindows: [LaneWindow] { aggregates.compactMap { if case .laneWindow(let w) = $0 { w } else { nil } } }
    var siteWindows: [SiteWindow] { aggregates.compactMap { if case .siteWindow(let w) = $0 { w } else { nil } } }
    var deviceHealth: [DeviceHealth] { aggregates.compactMap { if case .deviceHealth(let h) = $0 { h } else { nil } } }
}

/// A small deterministic generator (SplitMix64) for property and scenario inputs.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
