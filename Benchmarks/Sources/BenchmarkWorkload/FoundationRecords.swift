import Foundation

/// The same records as Codable structs, for Foundation's `JSONDecoder`: the baseline the fast decoder is
/// measured against on the same bytes.
public struct FoundationEvent: Decodable {
    let v: Int
    let type: String
    let id: String
    let site: String
    let lane: Int
    let ts: Int64
    let plate: String
    let plate_color: String?
    let axles: Int?
    let vehicle: String?
    let single_drive_axle: Bool?
    let gross_kg: Int?
    let tare_kg: Int?
    let rated_load_kg: Int?
    let axle_kg: [Int]?
    let stable: Bool?
    let scale: String?
    let direction: String?
    let camera: String?
}

public struct FoundationHeartbeat: Decodable {
    let v: Int
    let device: String
    let site: String
    let kind: String
    let ts: Int64
    let seq: Int64
    let interval_ms: Int64?
    let status: String?
    let errors: [String]?
    let zero_kg: Int?
    let division_kg: Int?
    let clock_offset_ms: Int64?
    let upload_lag_ms: Int64?
    let disk_free_pct: Double?
}
