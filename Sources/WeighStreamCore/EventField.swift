/// The fields of `weigh` and `passage` records.
enum EventField: Int, CaseIterable, FieldKey {
    case v, type, id, site, lane, ts, plate, plateColor, axles, vehicle, singleDriveAxle, grossKg, tareKg
    case ratedLoadKg, axleKg, stable, scale, direction, camera, evidence

    static func match(_ k: UnsafeBufferPointer<UInt8>) -> EventField? {
        switch k.count {
        case 1: return k.equals("v") ? .v : nil
        case 2: return k.equals("id") ? .id : k.equals("ts") ? .ts : nil
        case 4: return k.equals("type") ? .type : k.equals("site") ? .site : k.equals("lane") ? .lane : nil
        case 5: return k.equals("plate") ? .plate : k.equals("axles") ? .axles : k.equals("scale") ? .scale : nil
        case 6: return k.equals("stable") ? .stable : k.equals("camera") ? .camera : nil
        case 7: return k.equals("vehicle") ? .vehicle : k.equals("tare_kg") ? .tareKg : k.equals("axle_kg") ? .axleKg : nil
        case 8: return k.equals("gross_kg") ? .grossKg : k.equals("evidence") ? .evidence : nil
        case 9: return k.equals("direction") ? .direction : nil
        case 11: return k.equals("plate_color") ? .plateColor : nil
        case 13: return k.equals("rated_load_kg") ? .ratedLoadKg : nil
        case 17: return k.equals("single_drive_axle") ? .singleDriveAxle : nil
        default: return nil
        }
    }

    var name: StaticString {
        switch self {
        case .v: "v"
        case .type: "type"
        case .id: "id"
        case .site: "site"
        case .lane: "lane"
        case .ts: "ts"
        case .plate: "plate"
        case .plateColor: "plate_color"
        case .axles: "axles"
        case .vehicle: "vehicle"
        case .singleDriveAxle: "single_drive_axle"
        case .grossKg: "gross_kg"
        case .tareKg: "tare_kg"
        case .ratedLoadKg: "rated_load_kg"
        case .axleKg: "axle_kg"
        case .stable: "stable"
        case .scale: "scale"
        case .direction: "direction"
        case .camera: "camera"
        case .evidence: "evidence"
        }
    }

    private static let patterns = allCases.map { KeyPattern($0.name) }

    var pattern: KeyPattern { Self.patterns[rawValue] }

    static var first: EventField { .v }

    /// A weigh's order; a passage shares its head and goes on `direction`, `camera`, `plate_color`.
    var next: EventField? {
        switch self {
        case .v: .type
        case .type: .id
        case .id: .site
        case .site: .lane
        case .lane: .ts
        case .ts: .plate
        case .plate: .plateColor
        case .plateColor: .axles
        case .axles: .vehicle
        case .vehicle: .singleDriveAxle
        case .singleDriveAxle: .grossKg
        case .grossKg: .tareKg
        case .tareKg: .ratedLoadKg
        case .ratedLoadKg: .axleKg
        case .axleKg: .stable
        case .stable: .scale
        case .scale: .evidence
        case .direction: .camera
        case .camera: .plateColor
        case .evidence: nil
        }
    }
}
