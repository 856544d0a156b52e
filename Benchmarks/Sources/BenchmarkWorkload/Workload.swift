import WeighStreamCore

/// A realistic mix for a county: per 10 records, 3 weighs, 1 exit passage and 6 heartbeats (a few devices per
/// lane beat every 10 s while trucks take a minute to weigh), over 100 sites; about 250 bytes each.
/// As in the domain brief, about 3 % of weighs are over the legal limit, and nine exits in ten are of a truck
/// weighed at that site shortly before (the rest leave unweighed).
public enum Workload {
    public static let t0: Int64 = 1_795_950_000_000

    public static func records(count: Int, sites: Int = 100) -> [InputRecord] {
        var rng = UInt64(42)
        func next(_ n: Int) -> Int {
            rng = rng &* 6364136223846793005 &+ 1442695040888963407
            return Int((rng >> 33) % UInt64(n))
        }
        var recentPlates: [String: [String]] = [:]
        var beats: [String: Int] = [:]
        return (0..<count).map { i in
            let site = "1408230\(String(format3: next(sites)))"
            let ts = t0 + Int64(i) * 10
            switch i % 10 {
            case 0, 3, 6:
                let axles = 2 + next(5)
                let vehicle: VehicleKind = next(2) == 0 ? .truck : .combination
                let limit = LimitTable.order62.limit(axles: axles, vehicle: vehicle, singleDriveAxle: false)
                let gross = next(100) < 3 ? limit + 500 + next(7_500) : limit * (55 + next(43)) / 100
                let plate = "晋M\(10_000 + next(90_000))"
                recentPlates[site, default: []].append(plate)
                if recentPlates[site]!.count > 8 { recentPlates[site]!.removeFirst() }
                return .weigh(WeighRecord(
                    id: "\(site)-\(1 + next(4))-\(i)", site: site, lane: 1 + next(4), ts: ts, plate: plate,
                    plateColor: "yellow", axles: axles, vehicle: vehicle, grossKg: gross,
                    tareKg: min(gross, 8_000 + next(7_000)), ratedLoadKg: limit - 7_000, axleKg: nil, stable: true,
                    scale: "\(site)-SC1"))
            case 9:
                let recent = recentPlates[site] ?? []
                let plate = !recent.isEmpty && next(10) < 9 ? recent[next(recent.count)] : "晋M\(10_000 + next(90_000))"
                return .passage(PassageRecord(
                    id: "\(site)-G1-\(i)", site: site, lane: 1, ts: ts, plate: plate, direction: .exit, camera: "\(site)-CAM1"))
            default:
                // A site's six devices take turns, so each beats about every 10 s of event time.
                let device = beats[site, default: 0] % 6
                beats[site, default: 0] += 1
                return .heartbeat(HeartbeatRecord(
                    device: "\(site)-DEV\(device)", site: site, kind: [.scale, .camera, .display, .gateway][device % 4], ts: ts,
                    seq: Int64(i), intervalMs: 10_000, status: .ok, errors: [], zeroKg: next(30), divisionKg: 20,
                    clockOffsetMs: Int64(next(400)) - 200, uploadLagMs: Int64(next(900)), diskFreePct: 41))
            }
        }
    }

    /// A stable partition for a site, as a keyed producer would choose (FNV-1a of the key).
    public static func partition(of site: String, count: Int32) -> Int32 {
        var h: UInt32 = 2_166_136_261
        for b in site.utf8 { h = (h ^ UInt32(b)) &* 16_777_619 }
        return Int32(h % UInt32(count))
    }

    /// Encoded values with the topic each belongs to.
    public static func encoded(count: Int) -> [(bytes: [UInt8], isHeartbeat: Bool)] {
        records(count: count).map { r in
            if case .heartbeat = r { return (InputEncoder.encode(r), true) }
            return (InputEncoder.encode(r), false)
        }
    }
}

extension String {
    init(format3 n: Int) {
        let s = String(n)
        self = String(repeating: "0", count: Swift.max(0, 3 - s.count)) + s
    }
}
