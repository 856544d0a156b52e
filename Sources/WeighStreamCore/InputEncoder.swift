/// Encodes input records as the contract's JSON: what gateways send, and what the simulator produces.
/// Optional fields are written only when set; `decode(encode(r)) == r` for every valid record.
public enum InputEncoder {
    public static func encode(_ record: InputRecord, into w: inout JSONWriter) {
        w.beginObject()
        w.key("v"); w.int(1)
        switch record {
        case .weigh(let r):
            w.key("type"); w.string("weigh")
            w.key("id"); w.string(r.id)
            w.key("site"); w.string(r.site)
            w.key("lane"); w.int(r.lane)
            w.key("ts"); w.int(r.ts)
            w.key("plate"); w.string(r.plate)
            if let c = r.plateColor { w.key("plate_color"); w.string(c) }
            w.key("axles"); w.int(r.axles)
            w.key("vehicle"); w.string(r.vehicle.name)
            w.key("single_drive_axle"); w.bool(r.singleDriveAxle)
            w.key("gross_kg"); w.int(r.grossKg)
            if let t = r.tareKg { w.key("tare_kg"); w.int(t) }
            if let rl = r.ratedLoadKg { w.key("rated_load_kg"); w.int(rl) }
            if let axles = r.axleKg {
                w.key("axle_kg")
                w.beginArray()
                for a in axles { w.int(a) }
                w.endArray()
            }
            w.key("stable"); w.bool(r.stable)
            if let s = r.scale { w.key("scale"); w.string(s) }
            evidence(r.evidence, into: &w)
        case .passage(let r):
            w.key("type"); w.string("passage")
            w.key("id"); w.string(r.id)
            w.key("site"); w.string(r.site)
            w.key("lane"); w.int(r.lane)
            w.key("ts"); w.int(r.ts)
            w.key("plate"); w.string(r.plate)
            w.key("direction"); w.string(r.direction.name)
            if let c = r.camera { w.key("camera"); w.string(c) }
            if let c = r.plateColor { w.key("plate_color"); w.string(c) }
            evidence(r.evidence, into: &w)
        case .heartbeat(let r):
            w.key("device"); w.string(r.device)
            w.key("site"); w.string(r.site)
            w.key("kind"); w.string(r.kind.name)
            w.key("ts"); w.int(r.ts)
            w.key("seq"); w.int(r.seq)
            w.key("interval_ms"); w.int(r.intervalMs)
            w.key("status"); w.string(r.status.name)
            w.key("errors")
            w.beginArray()
            for e in r.errors { w.string(e) }
            w.endArray()
            if let z = r.zeroKg { w.key("zero_kg"); w.int(z) }
            if let d = r.divisionKg { w.key("division_kg"); w.int(d) }
            if let c = r.clockOffsetMs { w.key("clock_offset_ms"); w.int(c) }
            if let u = r.uploadLagMs { w.key("upload_lag_ms"); w.int(u) }
            if let d = r.diskFreePct { w.key("disk_free_pct"); w.number(d, decimals: 2) }
        }
        w.endObject()
    }

    private static func evidence(_ uris: [String]?, into w: inout JSONWriter) {
        guard let uris else { return }
        w.key("evidence")
        w.beginArray()
        for u in uris { w.string(u) }
        w.endArray()
    }

    public static func encode(_ record: InputRecord) -> [UInt8] {
        var w = JSONWriter(capacity: 320)
        encode(record, into: &w)
        return w.take()
    }
}
