import Synchronization

/// A bounded single-producer single-consumer ring: the lock-free hand-off from the poll thread to a shard.
///
/// One thread pushes (the engine's poll thread), one drains (the shard's serial queue). The producer owns
/// `tail`, the consumer owns `head`; each publishes its index with release ordering and reads the other's
/// with acquire ordering, so a slot is written before it becomes visible and emptied before it is reused.
/// Items are whole chunks of a poll batch, so the ring is touched once per batch and shard, not per record.
final class SPSCRing<Element: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: slots are only touched by the single producer (between its load of `head` and
    // its store of `tail`) or the single consumer (between its load of `tail` and its store of `head`);
    // the acquire/release pairs on the two atomics order those accesses.
    private let slots: UnsafeMutablePointer<Element?>
    private let mask: Int
    let capacity: Int
    private let head = Atomic<Int>(0)
    private let tail = Atomic<Int>(0)

    /// `capacity` is rounded up to a power of two.
    init(capacity: Int) {
        var size = 1
        while size < max(2, capacity) { size <<= 1 }
        self.capacity = size
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: nil, count: size)
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
    }

    /// Producer side. Returns false when the ring is full.
    func push(_ element: Element) -> Bool {
        let t = tail.load(ordering: .relaxed)
        if t - head.load(ordering: .acquiring) == capacity { return false }
        slots[t & mask] = element
        tail.store(t + 1, ordering: .releasing)
        return true
    }

    /// Consumer side. Returns nil when the ring is empty.
    func pop() -> Element? {
        let h = head.load(ordering: .relaxed)
        if h == tail.load(ordering: .acquiring) { return nil }
        let element = slots[h & mask].take()
        head.store(h + 1, ordering: .releasing)
        return element
    }

    /// Either side: whether nothing is waiting (a hint for the other side, exact for the caller's own side).
    var isEmpty: Bool { head.load(ordering: .acquiring) == tail.load(ordering: .acquiring) }
}
