import Testing
@testable import WeighStreamCore

@Suite("Ids hashed once")
struct HashedIDTests {
    @Test("Two ids are equal exactly when their bytes are, whatever their length, and equal ids hash alike")
    func equalityIsByteEquality() {
        var rng = SplitMix(seed: 7)
        // Lengths around the eight-byte steps of the comparison, ids differing in one byte at every position.
        var ids: [String] = [""]
        for length in 1...41 {
            let base = (0..<length).map { _ in UInt8(0x21 + rng.next() % 90) }
            ids.append(String(decoding: base, as: UTF8.self))
            for position in 0..<length {
                var changed = base
                changed[position] = changed[position] == 0x7A ? 0x79 : changed[position] + 1
                ids.append(String(decoding: changed, as: UTF8.self))
            }
        }
        ids += ["晋M12345", "晋M12346", "冀B7Z123挂", "e\u{301}", "\u{E9}"]
        for a in ids {
            // A key made from other storage, as a decoded record's string is.
            let copy = HashedID(String(decoding: Array(a.utf8), as: UTF8.self))
            #expect(HashedID(a) == copy && HashedID(a).hashValue == copy.hashValue)
        }
        var table: [HashedID: Int] = [:]
        for (i, a) in ids.enumerated() { table[HashedID(a), default: i] = i }
        let distinctBytes = Set(ids.map { Array($0.utf8) })
        #expect(table.count == distinctBytes.count, "canonically equivalent ids with other bytes stay apart")
        for a in ids.prefix(300) {
            for b in ids.prefix(300) {
                let x = Array(a.utf8), y = Array(b.utf8)
                #expect((HashedID(a) == HashedID(b)) == (x == y))
                // The byte comparison itself, which equal digests leave to decide.
                #expect(x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in HashedID.same(p, q) } } == (x == y))
                // And the order, which sorts a site's devices and the sites themselves.
                #expect(x.withUnsafeBufferPointer { p in y.withUnsafeBufferPointer { q in HashedID.precedes(p, q) } }
                    == x.lexicographicallyPrecedes(y))
            }
        }
        // An id before every longer id it begins, at every length.
        for a in ids.prefix(60) where !a.isEmpty {
            let shorter = HashedID(String(decoding: a.utf8.dropLast(), as: UTF8.self)), whole = HashedID(a)
            #expect(shorter < whole && !(whole < shorter) && !(whole < whole))
        }
        #expect(ids.map { HashedID($0) }.sorted().map(\.string) == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    @Test("A table's hash of an id is the same for equal ids, and spreads ids that share all but their last bytes over the buckets")
    func tableHashSpreadsIds() {
        // Ids as producers make them: a fixed prefix and a counter, the hardest case for a weak mix.
        let ids = (0..<8_192).map { HashedID("W-140823001-2026-12-07-\($0)") }
        for seed in [0, 1, 0x5DEE_CE66D, -1] {
            for id in ids.prefix(64) {
                #expect(id._rawHashValue(seed: seed) == HashedID(String(decoding: Array(id.string.utf8), as: UTF8.self))._rawHashValue(seed: seed))
            }
            // A dictionary of 8 192 keys has 16 384 buckets and indexes them by the hash's low bits.
            let buckets = Set(ids.map { $0._rawHashValue(seed: seed) & 16_383 })
            #expect(buckets.count > 6_000, "\(buckets.count) of 16 384 buckets for 8 192 ids (about 6 450 expected at random)")
        }
        #expect(ids[0]._rawHashValue(seed: 1) != ids[0]._rawHashValue(seed: 2), "the seed changes the hash")
        #expect(Set(ids).count == ids.count)
    }

    @Test("The dedup set tells an id from one that differs only past its first eight bytes, across expiry and a snapshot's entries")
    func dedupSetKeepsLongIdsApart() {
        var set = DedupSet()
        #expect(set.insert("W-2026-12-07-000001", ts: 1, digest: 11) == .fresh)
        #expect(set.insert("W-2026-12-07-000002", ts: 2, digest: 12) == .fresh)
        #expect(set.insert("W-2026-12-07-000001", ts: 3, digest: 11) == .duplicate)
        #expect(set.insert("W-2026-12-07-000002", ts: 4, digest: 99) == .conflict(first: .init(ts: 2, digest: 12, grossKg: 0)))
        var restored = DedupSet(entries: set.entries)
        #expect(restored == set && restored.count == 2)
        restored.expire(before: 2)
        #expect(restored.count == 1)
        #expect(restored.insert("W-2026-12-07-000001", ts: 5, digest: 11) == .fresh)
        #expect(restored.insert("W-2026-12-07-000002", ts: 5, digest: 12) == .duplicate)
    }
}
