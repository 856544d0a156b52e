import Testing
@testable import WeighStreamCore

@Suite("Partition clocks")
struct PartitionClockTests {
    @Test("Event time never moves back; entries come out by due time, ties in the order they were made")
    func clockOrdersEntries() {
        var clock = PartitionClock()
        #expect(clock.advance(to: 100) == 100 && clock.advance(to: 50) == 100 && clock.time == 100)
        clock.push(2, at: 200)
        clock.push(1, at: 200)
        clock.push(3, at: 300)
        clock.push(2, at: 150)
        #expect(clock.due == 150)
        #expect(clock.popDue(at: 149) == nil, "nothing due yet")
        var taken: [Int32] = []
        while let entry = clock.popDue(at: 250) { taken.append(entry.slot) }
        #expect(taken == [2, 2, 1], "150 first, then the two at 200 in the order they were pushed")
        #expect(clock.due == 300)
        #expect(clock.popDue(at: 1_000)?.slot == 3 && clock.due == .max)
    }

    @Test("A processor runs each due site once, in id order, and never a removed one")
    func processorRunsDueSitesOnce() throws {
        // Three sites on one weigh partition; their minute windows close together at the minute's end. A
        // removed site's timer entry stays in the clock's heap and must not bring the site back.
        var processor = StreamProcessor()
        var out = ProcessorOutput()
        for (i, site) in ["S3", "S1", "S2"].enumerated() {
            let record = weigh("w\(i)", site: site, at: t0 + Int64(i) * 1_000, gross: 30_000)
            processor.process(record, source: RecordSource(topic: "weigh-events", partition: 0, offset: Int64(i)), detectedTs: 0, into: &out)
        }
        #expect(processor.remove(site: "S2") != nil)
        processor.advance(PartitionKey(.weighEvents, 0), to: t0 + 2 * minute, detectedTs: 0, into: &out)
        let minuteSites = out.laneWindows.filter { $0.windowEnd - $0.windowStart == minute }.map(\.site)
        #expect(minuteSites == ["S1", "S3"], "each once, by id, without the removed site: \(minuteSites)")
        #expect(processor.sites["S2"] == nil && processor.sites.count == 2)
    }

    @Test("Clocks are kept per topic and partition, any partition number works, and they list in key order")
    func clocksByPartition() {
        var clocks = PartitionClocks()
        let keys = [
            PartitionKey(.heartbeats, 3), PartitionKey(.weighEvents, 7), PartitionKey(.weighEvents, 0),
            PartitionKey(.weighEvents, -1), PartitionKey(.heartbeats, 1_000_000), PartitionKey(.heartbeats, 0),
        ]
        for (i, key) in keys.enumerated() { _ = clocks.update(key) { $0.advance(to: Int64(100 + i)) } }
        for (i, key) in keys.enumerated() { #expect(clocks[key]?.time == Int64(100 + i) && clocks.time(of: key) == Int64(100 + i), "\(key)") }
        #expect(clocks[PartitionKey(.weighEvents, 3)] == nil && clocks[PartitionKey(.heartbeats, 7)] == nil)
        #expect(clocks.keys == keys.sorted())
        clocks.ifPresent(PartitionKey(.weighEvents, 7)) { $0.push(0, at: 500) }
        #expect(clocks[PartitionKey(.weighEvents, 7)]?.due == 500, "changed in place")
        clocks.ifPresent(PartitionKey(.weighEvents, 2)) { $0.push(0, at: 500) }
        #expect(clocks[PartitionKey(.weighEvents, 2)] == nil, "writing through a missing clock creates none")
        let taken = clocks.take(PartitionKey(.heartbeats, 1_000_000))
        #expect(taken?.time == 104 && clocks[PartitionKey(.heartbeats, 1_000_000)] == nil)
        #expect(clocks.keys.count == keys.count - 1)
        clocks.put(taken!, at: PartitionKey(.heartbeats, 1_000_000))
        #expect(clocks.keys == keys.sorted(), "put back")
    }
}
