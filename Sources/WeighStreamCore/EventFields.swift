/// The fields of a `weigh-events` record as read, before the record type is known; `record()` validates.
///
/// A field whose value has the wrong type or an impossible value is kept out of the record and its error
/// remembered: fatal when the record type requires the field, a partial-record note when it is optional, and
/// ignored when the field does not belong to the record type (an unknown field to it).
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
    var evidence: [String]?
    /// Fields whose value was refused, with why; empty for a clean record.
    var refused: [(field: EventField, error: DecodeError)] = []

    mutating func read(_ key: EventField, from r: inout FieldReader) throws(DecodeError) {
        if let error = try r.tolerant({ (r: inout FieldReader) throws(DecodeError) in try readValue(key, from: &r) }) {
            refused.append((key, error))
        }
    }

    private mutating func readValue(_ key: EventField, from r: inout FieldReader) throws(DecodeError) {
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
        case .evidence: evidence = try r.strings()
        }
    }

    func record() throws(DecodeError) -> DecodedRecord {
        let v = try required(v, .v)
        guard v == 1 else { throw DecodeError(field: "v", reason: .unknownVersion(String(v))) }
        let type = try required(type, .type)
        let id = try nonEmpty(id, .id)
        let site = try nonEmpty(site, .site)
        let lane = try required(lane, .lane)
        guard lane >= 0, lane <= 1_000 else { throw DecodeError(field: "lane", reason: .impossibleValue("lane \(lane)")) }
        let ts = try required(ts, .ts)
        guard ts > 0 else { throw DecodeError(field: "ts", reason: .impossibleValue("timestamp \(ts) is not after 1970")) }
        let plate = try nonEmpty(plate, .plate)
        var partial: [DecodeError] = []
        let evidence = Self.checked(evidence, into: &partial)
        switch type {
        case .passage:
            let direction = try required(direction, .direction)
            note([.camera, .plateColor, .evidence], into: &partial)
            return DecodedRecord(record: .passage(PassageRecord(
                id: id, site: site, lane: Int(lane), ts: ts, plate: plate, direction: direction, camera: camera,
                plateColor: plateColor, evidence: evidence)), partial: partial)
        case .weigh:
            let axles = try required(axles, .axles)
            guard (2...12).contains(axles) else {
                throw DecodeError(field: "axles", reason: .impossibleValue("\(axles) axles, expected 2 to 12"))
            }
            let vehicle = try required(vehicle, .vehicle)
            let gross = try required(grossKg, .grossKg)
            guard gross > 0, gross <= 200_000 else {
                throw DecodeError(field: "gross_kg", reason: .impossibleValue("\(gross) kg, expected more than 0 and at most 200000"))
            }
            note([.plateColor, .singleDriveAxle, .tareKg, .ratedLoadKg, .axleKg, .stable, .scale, .evidence], into: &partial)
            var tare = tareKg
            if let t = tare, t < 0 || t > gross {
                partial.append(DecodeError(field: "tare_kg", reason: .impossibleValue(
                    t < 0 ? "\(t) kg is negative" : "tare \(t) kg is more than gross \(gross) kg")))
                tare = nil
            }
            var rated = ratedLoadKg
            if let r = rated, r <= 0 || r > 200_000 {
                partial.append(DecodeError(field: "rated_load_kg", reason: .impossibleValue("\(r) kg")))
                rated = nil
            }
            return DecodedRecord(record: .weigh(WeighRecord(
                id: id, site: site, lane: Int(lane), ts: ts, plate: plate, plateColor: plateColor, axles: Int(axles),
                vehicle: vehicle, singleDriveAxle: singleDriveAxle ?? false, grossKg: Int(gross), tareKg: tare.map(Int.init),
                ratedLoadKg: rated.map(Int.init), axleKg: axleKg, stable: stable ?? true, scale: scale, evidence: evidence)),
                partial: partial)
        }
    }

    /// The contract's bounds on `evidence`: at most 8 URIs of at most 512 bytes each; otherwise dropped.
    static func checked(_ evidence: [String]?, into partial: inout [DecodeError]) -> [String]? {
        guard let evidence else { return nil }
        if evidence.count > 8 {
            partial.append(DecodeError(field: "evidence", reason: .impossibleValue("\(evidence.count) entries, at most 8")))
            return nil
        }
        if let long = evidence.first(where: { $0.utf8.count > 512 }) {
            partial.append(DecodeError(field: "evidence", reason: .impossibleValue("an entry of \(long.utf8.count) bytes, at most 512")))
            return nil
        }
        return evidence
    }

    /// Adds the refusals of the record type's optional fields to the partial-record notes.
    private func note(_ optional: [EventField], into partial: inout [DecodeError]) {
        for entry in refused where optional.contains(entry.field) { partial.append(entry.error) }
    }

    private func refusal(_ field: EventField) -> DecodeError? { refused.first { $0.field == field }?.error }

    private func required<T>(_ value: T?, _ field: EventField) throws(DecodeError) -> T {
        if let value { return value }
        throw refusal(field) ?? DecodeError(field: String(describing: field.name), reason: .missing)
    }

    private func nonEmpty(_ value: String?, _ field: EventField) throws(DecodeError) -> String {
        let s = try required(value, field)
        guard !s.isEmpty else { throw DecodeError(field: String(describing: field.name), reason: .impossibleValue("empty string")) }
        return s
    }
}
