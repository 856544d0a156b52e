import Foundation
import Synchronization
import Testing
@testable import WeighStreamKafka

/// Commits what was processed when partitions are revoked, and notes whether librdkafka still had them
/// assigned at that moment (it must: the hook runs before they are released).
final class CommittingListener: KafkaRebalanceListener {
    let revokes = Mutex<[(partitions: [TopicPartition], stillAssigned: Bool, commitError: KafkaError?, closing: Bool)]>([])
    /// Set by the member before it closes: the revoke that `close` runs is not a rebalance.
    let closing = Atomic<Bool>(false)
    let assigned = Mutex<[TopicPartition]>([])

    func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        assigned.withLock { $0.append(contentsOf: partitions) }
    }

    func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool, consumer: KafkaConsumer) {
        let held = Set(consumer.assignment())
        let stillAssigned = partitions.allSatisfy(held.contains)
        var commitError: KafkaError?
        do { try consumer.commit(sync: true) } catch { commitError = error }
        let closing = closing.load(ordering: .relaxed)
        revokes.withLock { $0.append((partitions, stillAssigned, commitError, closing)) }
    }
}

/// A group member that polls on its own thread until told to stop, recording what it processed.
final class Member: Sendable {
    let consumer: KafkaConsumer
    let listener = CommittingListener()
    let processed = Mutex<[String]>([])
    let stop = Atomic<Bool>(false)
    let finished = Mutex<Bool>(false)

    init(cluster: EmbeddedKafkaCluster, group: String, topic: String) throws {
        consumer = try cluster.consumer(group: group, listener: listener)
        try consumer.subscribe(topics: [topic])
        Thread { [self] in
            while !stop.load(ordering: .relaxed) {
                guard let batch = try? consumer.poll(maxMessages: 200, timeoutMs: 50) else { continue }
                let copies = batch.map { $0.copy() }
                processed.withLock { $0.append(contentsOf: copies.map(\.valueString)) }
                try? consumer.store(nextOffsets(copies))
                Thread.sleep(forTimeInterval: 0.02)  // a slow member, so rebalances happen mid-stream
            }
            // The engine's shutdown order: commit what was processed, then leave the group.
            try? consumer.commit(sync: true)
            listener.closing.store(true, ordering: .relaxed)
            consumer.close()
            finished.withLock { $0 = true }
        }.start()
    }

    var count: Int { processed.withLock { $0.count } }

    func leave() async {
        stop.store(true, ordering: .relaxed)
        _ = await eventually { finished.withLock { $0 } }
    }
}

@Suite("Consumer-group rebalances")
struct RebalanceTests {
    @Test("Members joining and leaving lose no record, and each revoke is seen before the partitions are released")
    func joinAndLeaveLoseNothing() async throws {
        let cluster = try makeCluster(topics: ["rb": 8])
        let group = uniqueGroup("rb")
        let total = 12_000
        let messages = (0..<total).map { KafkaProducerMessage(topic: "rb", key: "site-\($0 % 50)", value: "r\($0)", id: UInt64($0)) }
        try await cluster.produceAll(Array(messages[0..<6_000]))

        let a = try Member(cluster: cluster, group: group, topic: "rb")
        let b = try Member(cluster: cluster, group: group, topic: "rb")
        // Both must hold partitions before the third joins: on a loaded machine the second member can miss the
        // first generation, and its join would then merge with the third's into one rebalance that revokes
        // only from the first.
        #expect(await eventually {
            !a.listener.assigned.withLock { $0 }.isEmpty && !b.listener.assigned.withLock { $0 }.isEmpty
                && a.count + b.count > 1_500
        }, "a=\(a.count) b=\(b.count) a assigned \(a.listener.assigned.withLock { $0 }) b assigned \(b.listener.assigned.withLock { $0 })")

        let c = try Member(cluster: cluster, group: group, topic: "rb")
        #expect(await eventually { !c.listener.assigned.withLock { $0 }.isEmpty }, "the third member got no partitions")
        try await cluster.produceAll(Array(messages[6_000...]))
        #expect(await eventually { c.count > 500 }, "a=\(a.count) b=\(b.count) c=\(c.count) c assigned \(c.listener.assigned.withLock { $0 })")
        await b.leave()

        func processed() -> [String] { a.processed.withLock { $0 } + b.processed.withLock { $0 } + c.processed.withLock { $0 } }
        #expect(await eventually(seconds: 90) { Set(processed()).count >= total }, "records lost")
        await a.leave()
        await c.leave()

        let all = processed()
        #expect(Set(all) == Set(messages.map { String(decoding: $0.value!, as: UTF8.self) }), "records lost")

        let revokes = [a, b, c].flatMap { $0.listener.revokes.withLock { $0 } }
        #expect(revokes.filter { !$0.closing }.count >= 2, "the join and the leave revoked partitions mid-stream")
        var refused = 0
        for revoke in revokes {
            #expect(revoke.stillAssigned, "revoke of \(revoke.partitions) reported after release")
            guard let error = revoke.commitError else { continue }
            // The mock coordinator may refuse a commit while it prepares the rebalance, and (a known limit of
            // the 2.0.2 mock) the one `close` makes; the records are then read again by the new owner
            // (at-least-once), never lost.
            if !revoke.closing { #expect(error.code == .rebalanceInProgress, "\(error)") }
            refused += 1
        }
        if refused == 0 {
            #expect(all.count == total, "\(all.count - Set(all).count) records processed twice although every revoke's commit succeeded")
        }
        #expect(Set(c.listener.assigned.withLock { $0 }).count >= 2, "the joining member got partitions")
    }
}
