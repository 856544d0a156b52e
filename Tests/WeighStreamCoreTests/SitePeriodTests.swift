import Testing
@testable import WeighStreamCore

@Suite("Site windows kept for revision")
struct SitePeriodTests {
    @Test("An emitted hour site window is forgotten at the first timer run past its late retention, even one that emits nothing")
    func settledPeriodIsForgottenWhenNothingElseIsReady() {
        let hour: Int64 = 3_600_000
        let config = ProcessorConfiguration(windows: [.minute, .hour], lateRetentionMs: 2 * hour)
        var processor = StreamProcessor(configuration: config)
        var out = ProcessorOutput()
        let partition = PartitionKey(.weighEvents, 0)
        func feed(_ record: InputRecord, _ offset: Int64) {
            processor.process(record, source: RecordSource(topic: "weigh-events", partition: 0, offset: offset), detectedTs: 0, into: &out)
        }
        func hasFirstHour() -> Bool {
            processor.sites["S1"]!.periods.contains { $0.spec == 1 && $0.start == t0 }
        }
        feed(weigh("w1", at: t0 + 5_000, gross: 30_000), 0)
        // Two hours on: the first hour's site window is emitted (no devices: past its join horizon), and kept
        // for revisions until two hours after its end.
        feed(weigh("w2", at: t0 + 2 * hour + 5_000, gross: 30_000), 1)
        #expect(out.siteWindows.contains { $0.windowStart == t0 && $0.windowEnd == t0 + hour && $0.revision == 0 })
        #expect(hasFirstHour())
        // The minute site window of w2 is emitted at its own horizon; the first hour is still within retention.
        processor.advance(partition, to: t0 + 2 * hour + 31 * minute + 10_000, detectedTs: 0, into: &out)
        #expect(hasFirstHour())
        // The run that closes w2's hour lane window emits no site window (that one waits for its horizon), and
        // it is the first past the first hour's retention: the period goes in that run.
        let emitted = out.siteWindows.count
        processor.advance(partition, to: t0 + 3 * hour + 10_000, detectedTs: 0, into: &out)
        #expect(out.siteWindows.count == emitted)
        #expect(out.laneWindows.contains { $0.windowStart == t0 + 2 * hour && $0.windowEnd == t0 + 3 * hour })
        #expect(!hasFirstHour())
    }
}
