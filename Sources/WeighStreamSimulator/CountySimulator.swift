import Foundation
import WeighStreamCore

/// A seeded, reproducible county of source sites: trucks arriving at weigh lanes, leaving through gate
/// cameras, and every device's heartbeats, with the violations and faults of the domain brief planted in
/// known numbers. `injected` says what a correct processor must raise for what was emitted so far.
///
/// Pure and deterministic: no clock, no I/O. `advance(to:)` emits every record with event time before the
/// given time, in event-time order.
public struct CountySimulator: Sendable {
    public let configuration: SimulatorConfiguration
    /// Simulated time reached: every record before it was emitted.
    public private(set) var now: Int64
    public private(set) var injected = InjectedCounts()
    /// Site ids, `140823001` and up.
    public let siteIDs: [String]

    private var rng: SplitMix64
    private var queue = EventQueue()
    private var sites: [SiteLayout] = []
    private var tripCounter = 0
    /// Records a cut-off gateway holds until it reconnects.
    private var buffered: [SimulatedRecord] = []
    /// Site 7's first weigh is re-sent with another weight, so that every run shows CONFLICTING_RESEND.
    private var resendPlanted = false

    struct SiteLayout: Sendable {
        var id: String
        var lanes: Int
        var devices: [(name: String, kind: DeviceKind)]
        var seq: [Int64]
        var lastBeat: [Int64]
    }

    public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
        var c = configuration
        c.switchOffAtMs = (c.switchOffAtMs / 60_000) * 60_000
        c.switchOffForMs = max(60_000, (c.switchOffForMs / 60_000) * 60_000)
        self.configuration = c
        now = c.start
        rng = SplitMix64(seed: c.seed)
        siteIDs = (0..<c.sites).map { String(140_823_001 + $0) }
        for (s, id) in siteIDs.enumerated() {
            let lanes = Int.random(in: 1...4, using: &rng)
            var devices: [(String, DeviceKind)] = (1...lanes).map { ("\(id)-SC\($0)", .scale) }
            devices.append(("\(id)-CAM1", .camera))
            devices.append(("\(id)-GW", .gateway))
            if lanes < 3 { devices.append(("\(id)-DSP1", .display)) }
            sites.append(SiteLayout(id: id, lanes: lanes, devices: devices, seq: Array(repeating: 0, count: devices.count),
                                    lastBeat: Array(repeating: .min, count: devices.count)))
            for d in devices.indices {
                queue.push(c.start + Int64.random(in: 0..<c.heartbeatIntervalMs, using: &rng), .heartbeat(site: s, device: d))
            }
            for lane in 1...lanes { queue.push(c.start + nextArrivalGap(), .arrival(site: s, lane: lane)) }
        }
        if plantsAnomalies {
            // The switched-off site: every device offline, then the site.
            let off = c.start + c.switchOffAtMs
            queue.push(off + 45_000, .expect(AlarmTypeCount(type: AlarmType.deviceOffline.rawValue, count: sites[0].devices.count)))
            queue.push(off + 45_000, .expect(AlarmTypeCount(type: AlarmType.siteOffline.rawValue, count: 1)))
            // The flaky device's first full minute closes (window end plus grace), then it is degraded.
            let flakyFrom = c.start + Self.flakyAfterMs
            let firstFull = (flakyFrom + 59_999) / 60_000 * 60_000
            queue.push(firstFull + 60_000 + 15_000, .expect(AlarmTypeCount(type: AlarmType.deviceDegraded.rawValue, count: 1)))
            // Its scale and camera back, supervision is restored.
            let on = off + c.switchOffForMs
            queue.push(on + c.heartbeatIntervalMs + 1, .expect(AlarmTypeCount(type: AlarmType.siteRecovered.rawValue, count: 1)))
            // The year-fast gateway clock: one CLOCK_SKEW (record_ts) when it starts.
            queue.push(c.start + Self.yearFastFromMs + 1, .expect(AlarmTypeCount(type: AlarmType.clockSkew.rawValue, count: 1)))
            // The cut-off gateway's site: every device offline, then the site; all back with the upload.
            let cut = c.start + Self.cutFromMs
            let devices = sites[Self.cutSite].devices.count
            queue.push(cut + 45_000, .expect(AlarmTypeCount(type: AlarmType.deviceOffline.rawValue, count: devices)))
            queue.push(cut + 45_000, .expect(AlarmTypeCount(type: AlarmType.siteOffline.rawValue, count: 1)))
            queue.push(cut + Self.cutForMs, .upload(site: Self.cutSite))
            queue.push(cut + Self.cutForMs + 1, .expect(AlarmTypeCount(type: AlarmType.deviceRecovered.rawValue, count: devices)))
            queue.push(cut + Self.cutForMs + 1, .expect(AlarmTypeCount(type: AlarmType.siteRecovered.rawValue, count: 1)))
        }
    }

    var plantsAnomalies: Bool { configuration.anomalies && configuration.sites >= 8 }
    static let flakyAfterMs: Int64 = 3 * 60_000
    /// Site 5's gateway runs a year fast from 4 to 7 minutes.
    static let yearFastFromMs: Int64 = 4 * 60_000
    static let yearFastToMs: Int64 = 7 * 60_000
    static let year: Int64 = 365 * 86_400_000
    /// Site 6's uplink is cut from 10 to 13 minutes; its gateway buffers everything and uploads at 13.
    static let cutSite = 6
    static let cutFromMs: Int64 = 10 * 60_000
    static let cutForMs: Int64 = 3 * 60_000

    /// Emits every record with event time before `end`, in event-time order.
    public mutating func advance(to end: Int64) -> [SimulatedRecord] {
        var out: [SimulatedRecord] = []
        while let t = queue.nextTime, t < end {
            let event = queue.pop()!
            handle(event, into: &out)
        }
        now = max(now, end)
        return out
    }

    /// At least `count` records (for load generation), continuing simulated time.
    public mutating func next(count: Int) -> [SimulatedRecord] {
        var out: [SimulatedRecord] = []
        out.reserveCapacity(count)
        while out.count < count {
            out += advance(to: now + 10_000)
        }
        return out
    }

    private mutating func handle(_ event: SimulatedEvent, into out: inout [SimulatedRecord]) {
        switch event.kind {
        case .heartbeat(let s, let d):
            beat(site: s, device: d, at: event.ts, into: &out)
            queue.push(event.ts + configuration.heartbeatIntervalMs, .heartbeat(site: s, device: d))
        case .arrival(let s, let lane):
            arrive(site: s, lane: lane, at: event.ts)
            queue.push(event.ts + nextArrivalGap(), .arrival(site: s, lane: lane))
        case .weigh(let trip, let reweigh):
            weigh(trip, reweigh: reweigh, at: event.ts, into: &out)
        case .exit(let trip):
            exit(trip, at: event.ts, into: &out)
        case .expect(let expectation):
            injected.alarms[AlarmType(rawValue: expectation.type)!, default: 0] += expectation.count
        case .upload:
            // Uploaded in device-time order, all reaching Kafka now.
            for var r in buffered {
                r.kafkaTs = event.ts
                out.append(r)
            }
            buffered.removeAll()
        }
    }

    // MARK: heartbeats

    private mutating func beat(site s: Int, device d: Int, at ts: Int64, into out: inout [SimulatedRecord]) {
        let c = configuration
        let (name, kind) = sites[s].devices[d]
        let elapsed = ts - c.start
        let anomalies = plantsAnomalies
        if anomalies && s == 0 && elapsed >= c.switchOffAtMs && elapsed < c.switchOffAtMs + c.switchOffForMs { return }
        let flaky = anomalies && s == 4 && kind == .gateway && elapsed >= Self.flakyAfterMs
        sites[s].seq[d] += 1
        let seq = sites[s].seq[d]
        if flaky && seq % 2 == 0 { return }  // every other heartbeat lost
        if anomalies && s == 0 && sites[s].lastBeat[d] != .min && sites[s].lastBeat[d] < c.start + c.switchOffAtMs
            && elapsed >= c.switchOffAtMs + c.switchOffForMs {
            injected.alarms[.deviceRecovered, default: 0] += 1
        }
        sites[s].lastBeat[d] = ts
        var status = DeviceStatus.ok
        var errors: [String] = []
        var zero: Int?
        var division: Int?
        var clock = Int64.random(in: -800...800, using: &rng)
        var lag = Int64.random(in: 200...2_000, using: &rng)
        if kind == .scale {
            division = 20
            zero = Int.random(in: -20...20, using: &rng)
            if anomalies && s == 1 && d == 0 && elapsed >= 5 * 60_000 {
                zero = 60 + Int.random(in: 0...10, using: &rng)
                if elapsed < 5 * 60_000 + 3 * c.heartbeatIntervalMs, elapsed + c.heartbeatIntervalMs >= 5 * 60_000 + 3 * c.heartbeatIntervalMs {
                    injected.alarms[.zeroDrift, default: 0] += 1  // the third drifting heartbeat in a row
                }
            }
        }
        if anomalies && s == 2 && kind == .camera && elapsed >= 8 * 60_000 && elapsed < 12 * 60_000 {
            if elapsed < 8 * 60_000 + c.heartbeatIntervalMs { injected.alarms[.deviceFault, default: 0] += 1 }
            status = .fault
            errors = ["lens obstructed"]
        }
        if anomalies && s == 3 && kind == .gateway && elapsed >= 6 * 60_000 && elapsed < 9 * 60_000 {
            if elapsed < 6 * 60_000 + c.heartbeatIntervalMs { injected.alarms[.clockSkew, default: 0] += 1 }
            clock = 8_000 + Int64.random(in: 0...500, using: &rng)
        }
        if flaky {
            status = .degraded
            lag = 120_000
        }
        // A gateway whose clock runs a year fast: its device time is wrong, Kafka's is not.
        let yearFast = anomalies && s == 5 && kind == .gateway && elapsed >= Self.yearFastFromMs && elapsed < Self.yearFastToMs
        var disk = Double(Int.random(in: 20...90, using: &rng))
        let partial = Double.random(in: 0..<1, using: &rng) < c.badOptionalFieldRate
        if partial { disk = 101 }  // a bad optional field: the heartbeat is still a sign of life
        let record = InputRecord.heartbeat(HeartbeatRecord(
            device: name, site: sites[s].id, kind: kind, ts: yearFast ? ts + Self.year : ts, seq: seq, intervalMs: c.heartbeatIntervalMs,
            status: status, errors: errors, zeroKg: zero, divisionKg: division, clockOffsetMs: clock, uploadLagMs: lag,
            diskFreePct: disk))
        emit(record, kafkaTs: ts, partial: partial, into: &out)
    }

    // MARK: trucks

    private mutating func nextArrivalGap() -> Int64 {
        let meanMs = 3_600_000 / max(0.001, configuration.trucksPerLanePerHour)
        let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
        return max(1_000, Int64(-meanMs * log(u)))
    }

    private mutating func arrive(site s: Int, lane: Int, at ts: Int64) {
        let c = configuration
        tripCounter += 1
        let axles = [2, 3, 4, 5, 6, 6, 6, 6, 6, 6].randomElement(using: &rng)!
        let combination = axles == 6 ? Double.random(in: 0..<1, using: &rng) < 0.9 : Double.random(in: 0..<1, using: &rng) < c.smallCombinationRate
        let vehicle: VehicleKind = combination ? .combination : .truck
        let singleDrive = combination && axles == 6 && Double.random(in: 0..<1, using: &rng) < c.singleDriveAxleRate
        let limit = LimitTable.order62.limit(axles: axles, vehicle: vehicle, singleDriveAxle: singleDrive)
        let tare = Int(Double(limit) * Double.random(in: 0.30...0.36, using: &rng))
        // A licence's rated load is its own figure, not the legal limit less the tare.
        let rated = Int(Double(limit - tare) * Double.random(in: 0.95...1.15, using: &rng)) / 100 * 100
        var trip = Trip(site: s, lane: lane, plate: Self.plate(tripCounter), axles: axles, vehicle: vehicle, grossKg: 0, limitKg: limit,
                        tareKg: tare, ratedLoadKg: rated, singleDriveAxle: singleDrive, plan: .normal, number: tripCounter)
        let elapsed = ts - c.start
        // The dark site sends nothing at all: no weigh, no exit either.
        let dark = plantsAnomalies && s == 0 && elapsed >= c.switchOffAtMs && elapsed < c.switchOffAtMs + c.switchOffForMs
        if dark { return }
        if Double.random(in: 0..<1, using: &rng) < c.unweighedExitRate {
            trip.plan = .unweighed
            queue.push(ts + Int64.random(in: 30_000...120_000, using: &rng), .exit(trip))
            return
        }
        if Double.random(in: 0..<1, using: &rng) < c.overLimitRate {
            trip.grossKg = limit + Int.random(in: 300...12_000, using: &rng)
            let r = Double.random(in: 0..<1, using: &rng)
            trip.plan = r < c.releasedRate ? .released : r < c.releasedRate + c.fastReweighRate ? .fastReweigh : .unload
        } else {
            trip.grossKg = Int(Double(limit) * Double.random(in: 0.55...0.98, using: &rng))
        }
        queue.push(ts, .weigh(trip, reweigh: false))
    }

    private mutating func weigh(_ trip: Trip, reweigh: Bool, at ts: Int64, into out: inout [SimulatedRecord]) {
        var trip = trip
        var stable = true
        if reweigh {
            trip.grossKg = trip.plan == .fastReweigh
                ? trip.limitKg - Int.random(in: 2_000...3_000, using: &rng)
                : max(trip.tareKg + 1_000, trip.limitKg - Int.random(in: 5_000...15_000, using: &rng))
            if trip.plan == .fastReweigh { injected.alarms[.suspectReweigh, default: 0] += 1 }
        } else if trip.plan == .normal {
            stable = Double.random(in: 0..<1, using: &rng) >= configuration.unstableRate
            if !stable { injected.alarms[.scaleAnomaly, default: 0] += 1 }
        }
        var tare: Int? = trip.tareKg
        let partial = trip.plan == .normal && !reweigh && Double.random(in: 0..<1, using: &rng) < configuration.badOptionalFieldRate
        if partial { tare = trip.grossKg + 500 }  // a tare over the gross: dropped, the weigh still judged
        if trip.grossKg > trip.limitKg { injected.alarms[.overLimit, default: 0] += 1 }
        if let tare, trip.grossKg - tare > trip.ratedLoadKg { injected.alarms[.overRatedLoad, default: 0] += 1 }
        let site = sites[trip.site].id
        let id = "\(site)-\(trip.lane)-\(trip.number)\(reweigh ? "r" : "")"
        var record = WeighRecord(
            id: id, site: site, lane: trip.lane, ts: ts, plate: trip.plate, plateColor: "yellow", axles: trip.axles,
            vehicle: trip.vehicle, singleDriveAxle: trip.singleDriveAxle, grossKg: trip.grossKg, tareKg: tare,
            ratedLoadKg: trip.ratedLoadKg, axleKg: Self.split(trip.grossKg, axles: trip.axles), stable: stable,
            scale: "\(site)-SC\(trip.lane)",
            evidence: trip.grossKg > trip.limitKg ? ["https://evidence.\(site).example/weigh/\(id).jpg"] : nil)
        emit(.weigh(record), partial: partial, into: &out)
        let planted = plantsAnomalies && trip.site == 7 && !resendPlanted
        if planted { resendPlanted = true }
        if planted || Double.random(in: 0..<1, using: &rng) < configuration.conflictingResendRate {
            // The scale sends the same weigh again with another weight: a falsification signal.
            record.grossKg -= Int.random(in: 500...3_000, using: &rng)
            record.axleKg = Self.split(record.grossKg, axles: record.axles)
            injected.alarms[.conflictingResend, default: 0] += 1
            injected.duplicates += 1  // an id seen before: a duplicate too, if a conflicting one
            emit(.weigh(record), partial: partial, duplicates: false, into: &out)
        }
        switch trip.plan {
        case .fastReweigh where !reweigh:
            queue.push(ts + Int64.random(in: 60_000...240_000, using: &rng), .weigh(trip, reweigh: true))
        case .unload where !reweigh:
            queue.push(ts + Int64.random(in: 360_000...900_000, using: &rng), .weigh(trip, reweigh: true))
        default:
            queue.push(ts + Int64.random(in: 60_000...180_000, using: &rng), .exit(trip))
        }
    }

    private mutating func exit(_ trip: Trip, at ts: Int64, into out: inout [SimulatedRecord]) {
        switch trip.plan {
        case .released: injected.alarms[.releasedOverloaded, default: 0] += 1
        case .unweighed: injected.alarms[.unweighedExit, default: 0] += 1
        default: break
        }
        let site = sites[trip.site].id
        let gate = Int.random(in: 1...sites[trip.site].lanes, using: &rng)
        let color: String? = Double.random(in: 0..<1, using: &rng) < 0.8 ? "yellow" : nil
        emit(.passage(PassageRecord(
            id: "\(site)-G\(gate)-\(trip.number)", site: site, lane: gate, ts: ts, plate: trip.plate, direction: .exit,
            camera: "\(site)-CAM1", plateColor: color)), into: &out)
        if Double.random(in: 0..<1, using: &rng) < configuration.doubleExitReadRate {
            // The rear camera reads the same truck a moment later.
            injected.repeatExits += 1
            // Both reads reach Kafka together: the rear one's time is a few seconds (within the guard) after.
            emit(.passage(PassageRecord(
                id: "\(site)-G\(gate)-\(trip.number)-rear", site: site, lane: gate, ts: ts + Int64.random(in: 1_000...4_000, using: &rng),
                plate: trip.plate, direction: .exit, camera: "\(site)-CAM1", plateColor: color)), kafkaTs: ts, into: &out)
        }
    }

    // MARK: output

    /// Sends a record (reaching Kafka at `kafkaTs`, by default its own time), sometimes twice or garbled; a
    /// cut-off site's gateway holds it until it reconnects.
    private mutating func emit(
        _ record: InputRecord, kafkaTs: Int64? = nil, partial: Bool = false, duplicates: Bool = true, into out: inout [SimulatedRecord]
    ) {
        let topic: InputTopic
        if case .heartbeat = record { topic = .heartbeats } else { topic = .weighEvents }
        let arrival = kafkaTs ?? record.ts
        let elapsed = arrival - configuration.start
        let buffering = plantsAnomalies && record.site == sites[Self.cutSite].id && elapsed >= Self.cutFromMs
            && elapsed < Self.cutFromMs + Self.cutForMs
        var sent = [SimulatedRecord(topic: topic, key: record.site, value: InputEncoder.encode(record), ts: record.ts, kafkaTs: arrival)]
        // A buffered heartbeat sent twice would count twice in its health window: heartbeats are told apart
        // from their device's latest only, so the simulator's gateway does not resend its buffer.
        if duplicates && !buffering && Double.random(in: 0..<1, using: &rng) < configuration.duplicateRate {
            sent.append(sent[0])
            injected.duplicates += 1
        }
        // Every whole copy of a record with a bad optional field is processed as a partial record.
        if partial { injected.partialRecords += sent.count }
        if Double.random(in: 0..<1, using: &rng) < configuration.badRecordRate {
            let garbled = Array(sent[0].value.prefix(sent[0].value.count / 2))
            sent.append(SimulatedRecord(topic: topic, key: record.site, value: garbled, ts: record.ts, kafkaTs: arrival))
            injected.deadLetters += 1
        }
        injected.records += sent.count
        if buffering {
            buffered += sent
        } else {
            out += sent
        }
    }

    /// A plate like 晋M3K7Q2: unique for 45 million trips.
    static func plate(_ n: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ")
        var digits: [Character] = []
        var v = n
        for _ in 0..<5 {
            digits.append(alphabet[v % alphabet.count])
            v /= alphabet.count
        }
        return "晋M" + String(digits.reversed())
    }

    /// Gross weight over the axles, summing exactly (the steer axle lighter).
    static func split(_ gross: Int, axles: Int) -> [Int] {
        let steer = gross / (axles * 2)
        let rest = gross - steer
        var out = [steer]
        for i in 0..<(axles - 1) { out.append(rest / (axles - 1) + (i < rest % (axles - 1) ? 1 : 0)) }
        return out
    }
}
