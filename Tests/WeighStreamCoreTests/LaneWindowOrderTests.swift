import Testing
@testable import WeighStreamCore

@Suite("Lane windows closing together")
struct LaneWindowOrderTests {
    @Test("Lane windows that close in one timer run are emitted by size, start and lane, whatever order their lanes opened in and whichever stay open")
    func closingWindowsComeInWindowOrder() {
        let config = ProcessorConfiguration(windows: [.minute, .hour])
        var processor = StreamProcessor(configuration: config)
        var out = ProcessorOutput()
        var offset: Int64 = 0
        func feed(_ record: InputRecord) {
            processor.process(record, source: RecordSource(topic: "weigh-events", partition: 0, offset: offset), detectedTs: 0, into: &out)
            offset += 1
        }
        // Lanes open out of order, in two minutes, so the open windows are held neither by lane nor by start.
        for (i, (lane, at)) in [(3, 1_000), (1, 2_000), (2, 3_000), (2, minute + 1_000), (1, minute + 2_000)].enumerated() {
            feed(weigh("w\(i)", lane: lane, at: t0 + Int64(at), plate: "晋M1000\(i)", gross: 30_000))
        }
        func emittedInOrder(_ windows: ArraySlice<LaneWindow>) -> Bool {
            windows.map { [$0.windowEnd - $0.windowStart, $0.windowStart, Int64($0.lane)] }
                .elementsEqual(windows.map { [$0.windowEnd - $0.windowStart, $0.windowStart, Int64($0.lane)] }.sorted { $0.lexicographicallyPrecedes($1) })
        }
        // Half an hour on: the five minute windows close, the three hour windows stay open among them.
        processor.advance(PartitionKey(.weighEvents, 0), to: t0 + 30 * minute, detectedTs: 0, into: &out)
        let minutes = out.laneWindows[...]
        #expect(minutes.count == 5 && minutes.allSatisfy { $0.windowEnd - $0.windowStart == minute }, "\(minutes)")
        #expect(emittedInOrder(minutes), "\(minutes.map { ($0.windowStart - t0, $0.lane) })")
        // Two hours on: the hour windows close, in lane order.
        out.removeAll()
        processor.advance(PartitionKey(.weighEvents, 0), to: t0 + 2 * 3_600_000, detectedTs: 0, into: &out)
        let hours = out.laneWindows.filter { $0.windowEnd - $0.windowStart == 3_600_000 }[...]
        #expect(hours.map(\.lane) == [1, 2, 3], "\(hours)")
    }
}
