import Dispatch
import Foundation
import Synchronization
import Testing
@testable import WeighStreamEngine

/// The shard hand-off: a lost wake-up leaves an item in the ring with no drain scheduled, and a barrier
/// behind it waits for ever. Every wait here has a timeout, so such a bug fails instead of hanging.
@Suite("Shard hand-off")
struct HandOffTests {
    final class Counter: @unchecked Sendable {
        // @unchecked Sendable: written only by the mailbox's handler, on its serial queue; read after a
        // barrier, which orders the reads after the writes.
        var sum = 0
        var count = 0
    }

    enum Item: Sendable {
        case value(Int)
        case barrier(DispatchSemaphore)
    }

    @Test("3 million submits with a barrier every 100 reach the handler in order, and no barrier waits past its timeout")
    func millionsOfSubmitsWithBarriers() {
        let mailbox = Mailbox<Item>(label: "test.mailbox", capacity: 64)
        let counter = Counter()
        var expectedNext = 0
        var outOfOrder = 0
        mailbox.start { item in
            switch item {
            case .value(let v):
                if v != expectedNext { outOfOrder += 1 }
                expectedNext = v + 1
                counter.sum &+= v
                counter.count += 1
            case .barrier(let done):
                done.signal()
            }
        }
        // 30 000 barriers, each a chance for a lost wake-up; 6 million took 27 s of a test command near its budget.
        let total = 3_000_000
        var stuck = 0
        let done = DispatchSemaphore(value: 0)
        for v in 0..<total {
            mailbox.submit(.value(v))
            if v % 100 == 99 {
                mailbox.submit(.barrier(done))
                if done.wait(timeout: .now() + 5) == .timedOut { stuck += 1; break }
            }
        }
        #expect(stuck == 0, "a barrier was never reached: lost wake-up")
        #expect(counter.count == total && outOfOrder == 0)
        #expect(counter.sum == (total - 1) * total / 2)
    }

    @Test("The ring keeps order, refuses a push when full and a pop when empty")
    func ringBasics() {
        let ring = SPSCRing<Int>(capacity: 3)
        #expect(ring.capacity == 4 && ring.isEmpty && ring.pop() == nil)
        for i in 0..<4 { #expect(ring.push(i)) }
        #expect(!ring.push(9), "full")
        #expect(ring.pop() == 0 && ring.push(4))
        #expect((0..<4).map { _ in ring.pop() } == [1, 2, 3, 4])
        #expect(ring.isEmpty)
        // Wrapping many times keeps order.
        var next = 0
        for round in 0..<10_000 {
            #expect(ring.push(round))
            if round % 3 == 2 { while let v = ring.pop() { #expect(v == next); next += 1 } }
        }
    }

    @Test("A producer thread and a consumer thread pass a million items through the ring in order")
    func ringAcrossThreads() {
        let ring = SPSCRing<Int>(capacity: 128)
        let total = 1_000_000
        let finished = DispatchSemaphore(value: 0)
        let result = Mutex((count: 0, inOrder: true))
        Thread {
            var expected = 0
            while expected < total {
                if let v = ring.pop() {
                    if v != expected { result.withLock { $0.inOrder = false } }
                    expected += 1
                }
            }
            result.withLock { $0.count = expected }
            finished.signal()
        }.start()
        for v in 0..<total { while !ring.push(v) {} }
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(result.withLock { $0 } == (total, true))
    }
}

@Suite("Secrets in logs")
struct RedactionTests {
    @Test("Every setting whose name marks a secret is redacted: passwords, inline keys, tokens, JAAS, OAuth")
    func secretsAreRedacted() {
        let settings = [
            "kafka.ssl.key.pem": "-----BEGIN PRIVATE KEY-----", "kafka.ssl.key.password": "p", "kafka.sasl.password": "p",
            "kafka.sasl.oauthbearer.config": "principal=x secret", "kafka.ssl.keystore.password": "p",
            "kafka.sasl.jaas.config": "x", "producer.ssl.certificate.pem": "c", "kafka.sasl.oauthbearer.client.secret": "s",
            "kafka.sasl.username": "weighstream", "brokers": "kafka:9092", "group": "weighstream",
        ]
        let redacted = EngineSettings.redacted(settings)
        for key in settings.keys where !["kafka.sasl.username", "brokers", "group"].contains(key) {
            #expect(redacted[key] == "<redacted>", "\(key)")
        }
        #expect(redacted["kafka.sasl.username"] == "weighstream" && redacted["brokers"] == "kafka:9092")
    }
}
