/// The last `capacity` ids seen, oldest forgotten first: how a downstream consumer drops the repeats that
/// at-least-once delivery may bring (the same alarm always carries the same `alarm_id`).
struct RecentIDs {
    private var seen: Set<String> = []
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    /// Records `id`; false when it was seen among the last `capacity` ids.
    mutating func insert(_ id: String) -> Bool {
        guard seen.insert(id).inserted else { return false }
        order.append(id)
        if order.count - head > capacity {
            seen.remove(order[head])
            head += 1
            if head > capacity {
                order.removeFirst(head)
                head = 0
            }
        }
        return true
    }
}
