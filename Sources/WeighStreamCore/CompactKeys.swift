/// The keys `CompactReader` expects, each with the comma before it (`,"site":`), built once.
///
/// A class so that a reader takes one reference per record: every `static let` read goes through its lazy
/// initialiser's check, about thirty of them per record.
final class CompactKeys: Sendable {
    static let shared = CompactKeys()

    let v = KeyPattern("v")
    let type = KeyPattern("type", afterComma: true)
    let id = KeyPattern("id", afterComma: true)
    let site = KeyPattern("site", afterComma: true)
    let lane = KeyPattern("lane", afterComma: true)
    let ts = KeyPattern("ts", afterComma: true)
    let plate = KeyPattern("plate", afterComma: true)
    let plateColor = KeyPattern("plate_color", afterComma: true)
    let axles = KeyPattern("axles", afterComma: true)
    let vehicle = KeyPattern("vehicle", afterComma: true)
    let singleDriveAxle = KeyPattern("single_drive_axle", afterComma: true)
    let grossKg = KeyPattern("gross_kg", afterComma: true)
    let tareKg = KeyPattern("tare_kg", afterComma: true)
    let ratedLoadKg = KeyPattern("rated_load_kg", afterComma: true)
    let axleKg = KeyPattern("axle_kg", afterComma: true)
    let stable = KeyPattern("stable", afterComma: true)
    let scale = KeyPattern("scale", afterComma: true)
    let direction = KeyPattern("direction", afterComma: true)
    let camera = KeyPattern("camera", afterComma: true)
    let evidence = KeyPattern("evidence", afterComma: true)

    let device = KeyPattern("device", afterComma: true)
    let kind = KeyPattern("kind", afterComma: true)
    let seq = KeyPattern("seq", afterComma: true)
    let intervalMs = KeyPattern("interval_ms", afterComma: true)
    let status = KeyPattern("status", afterComma: true)
    let errors = KeyPattern("errors", afterComma: true)
    let zeroKg = KeyPattern("zero_kg", afterComma: true)
    let divisionKg = KeyPattern("division_kg", afterComma: true)
    let clockOffsetMs = KeyPattern("clock_offset_ms", afterComma: true)
    let uploadLagMs = KeyPattern("upload_lag_ms", afterComma: true)
    let diskFreePct = KeyPattern("disk_free_pct", afterComma: true)
}
