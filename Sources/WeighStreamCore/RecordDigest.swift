/// A 64-bit digest of every field value of a weigh or passage record (FNV-1a, the same on every machine), so
/// that a resend can be told from a conflicting resend without keeping the first record (contract 1.1,
/// `CONFLICTING_RESEND`). Never 0: 0 stands for "unknown" in dedup entries restored from older snapshots.
enum RecordDigest {
    static func of(_ r: WeighRecord) -> UInt64 {
        var f = FNV1a()
        f.byte(1)
        f.string(r.id); f.string(r.site); f.int(Int64(r.lane)); f.int(r.ts); f.string(r.plate); f.string(r.plateColor)
        f.int(Int64(r.axles)); f.byte(r.vehicle == .truck ? 0 : 1); f.byte(r.singleDriveAxle ? 1 : 0)
        f.int(Int64(r.grossKg)); f.optional(r.tareKg); f.optional(r.ratedLoadKg)
        if let axles = r.axleKg {
            f.int(Int64(axles.count))
            for a in axles { f.int(Int64(a)) }
        } else {
            f.byte(0xFC)
        }
        f.byte(r.stable ? 1 : 0); f.string(r.scale); f.strings(r.evidence)
        return f.value
    }

    static func of(_ r: PassageRecord) -> UInt64 {
        var f = FNV1a()
        f.byte(2)
        f.string(r.id); f.string(r.site); f.int(Int64(r.lane)); f.int(r.ts); f.string(r.plate)
        f.byte(r.direction == .exit ? 0 : 1); f.string(r.camera); f.string(r.plateColor); f.strings(r.evidence)
        return f.value
    }
}
