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
        ledger.remember(1..<6)
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
        ledger.remember(6..<8)
        ledger.forget([7])
        ledger.record([report(6, error: KafkaError(code: .messageSizeTooLarge, message: "refused")),
                       report(7, error: KafkaError(code: .messageSizeTooLarge, message: "refused"))])
        let (all, waited) = ledger.takeFailures()
        #expect(all.map(\.id) == [6, 7] && waited.map(\.id) == [6], "a forgotten output is not handed out for a re-send")
    }
}
