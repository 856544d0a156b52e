import Testing
import WeighStreamKafka
@testable import WeighStreamEngine

@Suite("Delivery ledger")
struct DeliveryLedgerTests {
    func message(_ id: UInt64) -> KafkaProducerMessage { KafkaProducerMessage(topic: "alarms", key: "k", value: "v\(id)", id: id) }
    func report(_ id: UInt64, error: KafkaError? = nil) -> KafkaDeliveryReport {
        KafkaDeliveryReport(
            id: id, topic: "alarms", partition: 0, offset: error == nil ? Int64(id) : nil, error: error,
            message: error == nil ? nil : message(id))
    }

    @Test("Outputs are pending until acknowledged; a failure keeps them pending and is handed out once with its record; forgotten ids stop counting")
    func ledgerTracksAcknowledgements() {
        let ledger = DeliveryLedger()
        #expect(ledger.issue(5) == 1..<6)
        #expect(!ledger.acknowledged(upTo: 1))
        ledger.record([report(1), report(2)])
        #expect(ledger.acknowledged(upTo: 2) && !ledger.acknowledged(upTo: 3))
        ledger.record([report(3, error: KafkaError(code: .messageSizeTooLarge, message: "refused"))])
        #expect(ledger.hasFailures && ledger.isPending(3))
        let (reports, pending) = ledger.takeFailures()
        #expect(reports.map(\.id) == [3] && pending.map(\.message) == [message(3)])
        #expect(!ledger.hasFailures && ledger.takeFailures().reports.isEmpty, "handed out once")
        #expect(!ledger.acknowledged(upTo: 3), "a failed output stays pending until re-sent and acknowledged")
        ledger.forget([3])
        ledger.record([report(4), report(5)])
        #expect(ledger.acknowledged(upTo: 5))
        #expect(ledger.issue(2) == 6..<8 && ledger.lastIssued == 7)
        ledger.forget([7])
        ledger.record([report(6, error: KafkaError(code: .messageSizeTooLarge, message: "refused")),
                       report(7, error: KafkaError(code: .messageSizeTooLarge, message: "refused"))])
        let (all, waited) = ledger.takeFailures()
        #expect(all.map(\.id) == [6, 7] && waited.map(\.id) == [6], "a forgotten output is not handed out for a re-send")
    }

    @Test("Pending ids settled in any order leave the oldest unsettled one as the answer, across thousands of ids and after forgetting all")
    func pendingIDsSlideWithTheOldest() {
        var ids = PendingIDs()
        var pending = Set<UInt64>()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let issued = ids.issue(Int.random(in: 0...40, using: &rng))
            pending.formUnion(issued)
            // Settle most of what is pending, in random order, keeping a few back for a while.
            for id in pending.shuffled(using: &rng).prefix(pending.count * 3 / 4) {
                ids.settle(id)
                pending.remove(id)
            }
            ids.settle(ids.next + 5)  // never issued: no effect
            #expect(ids.oldest == (pending.min() ?? ids.next))
            #expect(pending.allSatisfy { ids.contains($0) })
        }
        let ledger = DeliveryLedger()
        let first = ledger.issue(300)
        ledger.record(first.dropFirst().map { report($0) })
        #expect(!ledger.acknowledged(upTo: first.lowerBound) && ledger.isPending(first.lowerBound))
        ledger.forget()
        #expect(ledger.acknowledged(upTo: first.upperBound - 1) && !ledger.isPending(first.lowerBound))
        let second = ledger.issue(3)
        #expect(second.lowerBound == first.upperBound && !ledger.acknowledged(upTo: second.lowerBound))
        ledger.record(second.map { report($0) })
        #expect(ledger.acknowledged(upTo: second.upperBound - 1))
    }
}
