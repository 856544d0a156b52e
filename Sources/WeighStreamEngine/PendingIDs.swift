/// Output ids handed out and not yet settled (acknowledged or forgotten): one bit per id over a window that
/// slides forward as the oldest are settled.
///
/// Why bits, not a `Set<UInt64>`: the ledger inserts and removes one id per output, hashing each, and a
/// commit point's question "is everything up to this id settled?" walked the whole set (perf on a weigh-only
/// run: the ledger's set 2.7 % of the process's CPU). Ids are issued in order, so the pending ones sit in a
/// short run above the oldest unsettled id: setting and clearing a bit is a shift and a mask, and that
/// question reads the first word that is not zero.
///
/// Ids are issued here (`issue`), in the same step that marks them pending, so that the window never slides
/// past an id handed out but not yet marked.
struct PendingIDs: Sendable {
    /// The next id to hand out; every id below it was issued.
    private(set) var next: UInt64 = 1
    /// Bit `i % 64` of `words[head + i / 64]` is the id `base + i`.
    private var words: [UInt64] = []
    private var head = 0
    /// The id of the first bit of `words[head]`: a multiple of 64, and every id below it is settled.
    private var base: UInt64 = 0

    /// Hands out `count` new ids, each pending until settled.
    mutating func issue(_ count: Int) -> Range<UInt64> {
        let ids = next..<next + UInt64(count)
        next = ids.upperBound
        let needed = Int((next - base + 63) / 64) + head
        if words.count < needed { words.append(contentsOf: repeatElement(0, count: needed - words.count)) }
        for id in ids {
            let bit = id - base
            words[head + Int(bit / 64)] |= 1 << (bit % 64)
        }
        return ids
    }

    /// Whether `id` was issued and is not settled.
    func contains(_ id: UInt64) -> Bool {
        guard id >= base, id < next else { return false }
        let bit = id - base, k = head + Int(bit / 64)
        // Past the words: issued before `settleAll`, which dropped them.
        return k < words.count && words[k] & (1 << (bit % 64)) != 0
    }

    /// Settles `id` (no effect when it is not pending), and slides the window past the words left empty.
    mutating func settle(_ id: UInt64) {
        guard contains(id) else { return }
        let bit = id - base
        words[head + Int(bit / 64)] &= ~(1 << (bit % 64))
        slide()
    }

    /// The oldest pending id, or `next` when none is pending.
    var oldest: UInt64 {
        for k in head..<words.count where words[k] != 0 {
            return base + UInt64(k - head) * 64 + UInt64(words[k].trailingZeroBitCount)
        }
        return next
    }

    /// Settles every id issued so far.
    mutating func settleAll() {
        words.removeAll(keepingCapacity: true)
        head = 0
        base = next & ~63
    }

    /// Drops the leading words that are empty and whole (every id in them issued): a word still open to new
    /// ids stays. The array is compacted once the dropped words are half of it.
    private mutating func slide() {
        while head < words.count, words[head] == 0, base + 64 <= next {
            head += 1
            base += 64
        }
        if head >= 64 && head * 2 >= words.count {
            words.removeFirst(head)
            head = 0
        }
    }
}
