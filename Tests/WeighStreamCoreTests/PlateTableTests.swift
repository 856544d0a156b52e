import Testing
@testable import WeighStreamCore

@Suite("Plate table and sweeps")
struct PlateTableTests {
    @Test("Plates are keyed by their bytes: the same plate meets itself, another does not, and they sort as strings do")
    func platesAreKeyedByBytes() {
        let plates = ["晋M12345", "晋M12346", "晋A00001", "冀B7Z123", "AB123", "晋M1234", ""]
        var table: [PlateKey: Int] = [:]
        for (i, p) in plates.enumerated() { table[PlateKey(p)] = i }
        #expect(table.count == plates.count)
        for (i, p) in plates.enumerated() {
            // A key built from other storage (a decoded record's string) finds the entry.
            let decoded = String(decoding: Array(p.utf8), as: UTF8.self)
            #expect(table[PlateKey(decoded)] == i)
            #expect(PlateKey(decoded).hashValue == PlateKey(p).hashValue)
        }
        #expect(PlateKey("晋M12345") != PlateKey("晋M1234") && PlateKey("晋M12345") == PlateKey(String("晋M12345")))
        #expect(plates.map { PlateKey($0) }.sorted().map(\.plate) == plates.sorted())
        #expect(table["晋M12345"] == 0, "a literal is a key")
    }

    @Test("The sweep falls at a minute's end plus the grace, strictly after the time it is set from")
    func sweepTimeIsAligned() {
        let grace: Int64 = 10_000
        #expect(SiteState.sweepTime(after: t0 + 5_000, graceMs: grace) == t0 + 10_000)
        #expect(SiteState.sweepTime(after: t0 + 10_000, graceMs: grace) == t0 + 70_000)
        #expect(SiteState.sweepTime(after: t0 + 10_001, graceMs: grace) == t0 + 70_000)
        #expect(SiteState.sweepTime(after: -1, graceMs: 0) == 0)
        #expect(SiteState.sweepTime(after: -60_000, graceMs: 0) == 0)
    }

    @Test("A record id is forgotten at the first sweep after the dedup window has passed it, not a minute after its site's first weigh")
    func idsExpireAtTheAlignedSweep() {
        // Weighs every 10 s from t0 + 5 s run the site's timers; sweeps fall at t0 + 10 s + k minutes, so w1
        // (t0 + 5 s) leaves the 15-minute window at the sweep of t0 + 15:10. Swept at its own phase (t0 + 5 s +
        // k minutes), the sweep of t0 + 15:05 still kept it and the next came only at t0 + 16:05.
        var records = (0...90).map { k in
            weigh(k == 0 ? "w1" : "f\(k)", at: t0 + 5_000 + Int64(k) * 10_000, plate: "晋M\(10_000 + k)", gross: 40_000)
        }
        records.insert(weigh("w1", at: t0 + 15 * minute + 9_000, gross: 40_000), at: 91)  // before that sweep: a duplicate
        records.append(weigh("y", at: t0 + 15 * minute + 11_000, gross: 40_000))  // runs the sweep of 15:10
        records.append(weigh("w1", at: t0 + 15 * minute + 12_000, gross: 40_000))  // forgotten: new again
        let out = run(records)
        #expect(out.duplicates == 1)
    }
}
