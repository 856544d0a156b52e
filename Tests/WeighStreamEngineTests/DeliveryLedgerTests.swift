import Testing
import WeighStreamKafka
@testable import WeighStreamEngine

@Suite("Delivery ledger")
struct DeliveryLedgerTests {
    func message(_ id: UInt64) -> KafkaProducerMessage { KafkaProducerMessage(topic: "alarms", key: "k", value: "v\(id)", id: id) }
    func report(_ id: UInt64, error: KafkaError? = nil) -> KafkaDeliveryReport {
        KafkaDeliveryReport(id: id, topic: "alarms", partition: 0, offset: error == nil ? Int64(id) : nil, error: error)
    }

    @Test("Outputs are pending until acknowledged; a failure keeps them pending and is handed out once; forgotten ids stop counting")
    func ledgerTracksAcknowledgements() {
        let ledger = DeliveryLedger()
        ledger.remember((1...5).map(message))
        #expect(!ledger.acknowledged(upTo: 1))
        ledger.record([report(1), report(2)])
        #expect(ledger.acknowledged(upTo: 2) && !ledger.acknowledged(upTo: 3))
        ledger.record([report(3, error: KafkaError(code: .messageSizeTooLarge, message: "refused"))])
        #expect(ledger.hasFailures && ledger.isPending(3))
        let (reports, messages) = ledger.takeFailures()
        #expect(reports.map(\.id) == [3] && messages.map(\.id) == [3])
        #expect(!ledger.hasFailures && ledger.takeFailures().reports.isEmpty, "handed out once")
        #expect(!ledger.acknowledged(upTo: 3), "a failed output stays pending until re-sent and acknowledged")
        ledger.forget([3])
        ledger.record([report(4), report(5)])
        #expect(ledger.acknowledged(upTo: 5))
    }
}
