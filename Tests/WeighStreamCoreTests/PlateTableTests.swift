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

    @Test("A sweep through the plate table forgets exactly what a walk over every plate forgets, whatever the order of times, replacements and evictions")
    func sweepMatchesAWalkOverEveryPlate() {
        for seed in UInt64(1)...6 {
            var rng = SplitMix(seed: seed)
            var table = PlateTable()
            var walked: [PlateKey: PlateEntry] = [:]
            let colours: [String?] = [nil, "yellow", "blue", "green", "white", "black", "c6", "c7", "c8", "c9"]
            var now = t0
            for step in 0..<6_000 {
                now += Int64.random(in: -20_000...40_000, using: &rng)  // times go back now and then
                let key = PlateKey("晋M\(Int.random(in: 0..<60, using: &rng))")
                let colour = colours[Int.random(in: 0..<(seed.isMultiple(of: 2) ? 3 : colours.count), using: &rng)]
                let ts = now - Int64.random(in: 0...600_000, using: &rng)
                switch Int.random(in: 0..<10, using: &rng) {
                case 0...3:
                    let weigh = PlateState(eventID: "w\(step)", ts: ts, lane: 1, grossKg: 40_000, limitKg: 49_000, color: colour)
                    if let i = table.index(forKey: key) { table.remember(weigh, at: i) } else {
                        var entry = PlateEntry()
                        entry.remember(weigh)
                        table.insert(entry, for: key)
                    }
                    walked[key, default: PlateEntry()].remember(weigh)
                case 4...6:
                    let exit = ExitMark(color: colour, ts: ts)
                    let consumed = walked[key].flatMap { $0.weighs.indices.randomElement(using: &rng) }
                    if let i = table.index(forKey: key) { table.remember(exit: exit, consuming: consumed, at: i) } else {
                        var entry = PlateEntry()
                        entry.remember(exit: exit)
                        table.insert(entry, for: key)
                    }
                    if let consumed { walked[key]!.weighs[consumed].consumed = true }
                    walked[key, default: PlateEntry()].remember(exit: exit)
                case 7:
                    table.remove(key)
                    walked[key] = nil
                default:
                    let weighCutoff = now - 300_000, exitCutoff = now - Int64.random(in: 0...200_000, using: &rng)
                    table.expire(weighsBefore: weighCutoff, exitsBefore: exitCutoff)
                    for (k, entry) in walked {
                        var entry = entry
                        walked[k] = entry.expire(weighsBefore: weighCutoff, exitsBefore: exitCutoff) ? nil : entry
                    }
                }
                #expect(table.entries == walked, "seed \(seed), step \(step)")
                if table.entries != walked { return }
            }
            #expect(PlateTable(walked) == table, "a table built from the plates equals the one that lived through them")
        }
    }

    @Test("A flood of invented plates, each evicted soon after, keeps the expiry index bounded")
    func expiryIndexStaysBoundedUnderEviction() {
        var table = PlateTable()
        for n in 0..<100_000 {
            var entry = PlateEntry()
            entry.remember(PlateState(eventID: "e\(n)", ts: t0 + Int64(n), lane: 1, grossKg: 1, limitKg: 2))
            table.insert(entry, for: PlateKey("X\(n)"))
            if n >= 500 { table.remove(PlateKey("X\(n - 500)")) }
        }
        #expect(table.count == 500)
        #expect(table.deadlineCount < 2_048, "\(table.deadlineCount) heap entries for 500 plates")
    }
}
