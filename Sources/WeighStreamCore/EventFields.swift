/// The fields of a `weigh-events` record as read, before the record type is known; `record()` validates.
struct EventFields {
    enum Kind { case weigh, passage }

    var v: Int64?
    var type: Kind?
    var id: String?
    var site: String?
    var lane: Int64?
    var ts: Int64?
    var plate: String?
    var plateColor: String?
    var axles: Int64?
    var vehicle: VehicleKind?
    var singleDriveAxle: Bool?
    var grossKg: Int64?
    var tareKg: Int64?
    var ratedLoadKg: Int64?
    var axleKg: [Int]?
    var stable: Bool?
    var scale: String?
    var direction: PassageDirection?
    var camera: String?

    mutating func read(_ key: EventField, from r: inout FieldReader) throws(DecodeError) {
        switch key {
        case .v: v = try r.integer()
        case .type:
            type = try r.enumerated(allowed: ["weigh", "passage"]) { $0.equals("weigh") ? .weigh : $0.equals("passage") ? .passage : nil }
        case .id: id = try r.string()
        case .site: site = try r.string()
        case .lane: lane = try r.integer()
        case .ts: ts = try r.integer()
        case .plate: plate = try r.string()
        case .plateColor: plateColor = try r.string()
        case .axles: axles = try r.integer()
        case .vehicle:
            vehicle = try r.enumerated(allowed: ["truck", "combination"]) {
                $0.equals("truck") ? .truck : $0.equals("combination") ? .combination : nil
            }
        case .singleDriveAxle: singleDriveAxle = try r.bool()
        case .grossKg: grossKg = try r.kilograms()
        case .tareKg: tareKg = try r.kilograms()
        case .ratedLoadKg: ratedLoadKg = try r.kilograms()
        case .axleKg:
            axleKg = try r.array { (r: inout FieldReader) throws(DecodeError) -> Int in
                guard let w = try r.kilograms() else { throw r.fail(.wrongType(expected: "array of numbers")) }
                guard w >= 0, w <= 200_000 else { throw r.fail(.impossibleValue("axle weight \(w) kg")) }
                return Int(w)
            }
        case .stable: stable = try r.bool()
        case .scale: scale = try r.string()
        case .direction:
            direction = try r.enumerated(allowed: ["exit", "entry"]) { $0.equals("exit") ? .exit : $0.equals("entry") ? .entry : nil }
        case .camera: camera = try r.string()
        }
    }

    func record() throws(DecodeError) -> InputRecord {
        let v = try Self.required(v, "v")
        guard v == 1 else { throw DecodeError(field: "v", reason: .unknownVersion(String(v))) }
        let type = try Self.required(type, "type")
        let id = try Self.nonEmpty(id, "id")
        let site = try Self.nonEmpty(site, "site")
        let lane = try Self.required(lane, "lane")
        guard lane >= 0, lane <= 1_000 else { throw DecodeError(field: "lane", reason: .impossibleValue("lane \(lane)")) }
        let ts = try Self.required(ts, "ts")
        guard ts > 0 else { throw DecodeError(field: "ts", reason: .impossibleValue("timestamp \(ts) is not after 1970")) }
        let plate = try Self.nonEmpty(plate, "plate")
        switch type {
        case .passage:
            let direction = try Self.required(direction, "direction")
            return .passage(PassageRecord(id: id, site: site, lane: Int(lane), ts: ts, plate: plate, direction: direction, camera: camera))
        case .weigh:
            let axles = try Self.required(axles, "axles")
            guard (2...12).contains(axles) else {
                throw DecodeError(field: "axles", reason: .impossibleValue("\(axles) axles, expected 2 to 12"))
            }
            let vehicle = try Self.required(vehicle, "vehicle")
            let gross = try Self.required(grossKg, "gross_kg")
            guard gross > 0, gross <= 200_000 else {
                throw DecodeError(field: "gross_kg", reason: .impossibleValue("\(gross) kg, expected more than 0 and at most 200000"))
            }
            if let tareKg {
                guard tareKg >= 0 else { throw DecodeError(field: "tare_kg", reason: .impossibleValue("\(tareKg) kg is negative")) }
                guard tareKg <= gross else {
                    throw DecodeError(field: "tare_kg", reason: .impossibleValue("tare \(tareKg) kg is more than gross \(gross) kg"))
                }
            }
            if let ratedLoadKg, ratedLoadKg <= 0 || ratedLoadKg > 200_000 {
                throw DecodeError(field: "rated_load_kg", reason: .impossibleValue("\(ratedLoadKg) kg"))
            }
            return .weigh(WeighRecord(
                id: id, site: site, lane: Int(lane), ts: ts, plate: plate, plateColor: plateColor, axles: Int(axles),
                vehicle: vehicle, singleDriveAxle: singleDriveAxle ?? false, grossKg: Int(gross), tareKg: tareKg.map(Int.init),
                ratedLoadKg: ratedLoadKg.map(Int.init), axleKg: axleKg, stable: stable ?? true, scale: scale))
        }
    }

    static func required<T>(_ value: T?, _ field: String) throws(DecodeError) -> T {
        guard let value else { throw DecodeError(field: field, reason: .missing) }
        return value
    }

    static func nonEmpty(_ value: String?, _ field: String) throws(DecodeError) -> String {
        let s = try required(value, field)
        guard !s.isEmpty else { throw DecodeError(field: field, reason: .impossibleValue("empty string")) }
        return s
    }
}
