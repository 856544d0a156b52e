import Dispatch
import Foundation
import Synchronization

/// A single-producer hand-off to a serial Dispatch queue: items go through a lock-free `SPSCRing`, and a
/// drain runs on the queue whenever items are waiting, calling the handler for each in order.
///
/// The producer pushes, then raises `scheduled` (scheduling a drain when it was down); the drain empties the
/// ring, lowers `scheduled`, then looks at the ring once more. Each side stores and then loads the other's
/// variable, the store-buffer pattern: with only acquire/release ordering both loads may see the old values,
/// so that the producer sees a drain still scheduled while the drain sees an empty ring, and the item waits
/// for ever. A sequentially consistent fence between each side's store and its load rules that out.
final class Mailbox<Item: Sendable>: @unchecked Sendable {
    // @unchecked Sendable: `handler` is set once by `start` before the first `submit` and only called on
    // `queue`; the ring is used by one producer (the poll thread) and one consumer (the drain on `queue`).
    private let queue: DispatchQueue
    private let ring: SPSCRing<Item>
    private let scheduled = Atomic<Bool>(false)
    private var handler: ((Item) -> Void)?

    init(label: String, capacity: Int) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
        ring = SPSCRing(capacity: capacity)
    }

    /// Sets the handler; call once, before the first `submit`.
    func start(_ handler: @escaping (Item) -> Void) { self.handler = handler }

    /// Producer only. Spins briefly while the ring is full.
    func submit(_ item: Item) {
        while !ring.push(item) {
            wake()
            usleep(200)
        }
        wake()
    }

    private func wake() {
        atomicMemoryFence(ordering: .sequentiallyConsistent)
        if !scheduled.exchange(true, ordering: .sequentiallyConsistent) {
            queue.async { self.drain() }
        }
    }

    /// Runs on `queue`.
    private func drain() {
        while true {
            while let item = ring.pop() { handler?(item) }
            scheduled.store(false, ordering: .sequentiallyConsistent)
            atomicMemoryFence(ordering: .sequentiallyConsistent)
            // An item pushed before the producer could see `scheduled` down is picked up here, unless the
            // producer already scheduled another drain.
            if ring.isEmpty || scheduled.exchange(true, ordering: .sequentiallyConsistent) { return }
        }
    }
}
