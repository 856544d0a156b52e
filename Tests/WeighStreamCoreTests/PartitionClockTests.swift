import Testing
@testable import WeighStreamCore

@Suite("Partition clocks")
struct PartitionClockTests {
    @Test("Event time never moves back; due sites come out in id order, once, and a forgotten site never")
    func clockSchedulesSites() {
        var clock = PartitionClock()
        #expect(clock.advance(to: 100) == 100 && clock.advance(to: 50) == 100 && clock.time == 100)
        clock.schedule("B", at: 200)
        clock.schedule("A", at: 200)
        clock.schedule("C", at: 300)
        clock.schedule("B", at: 150)  // earlier: replaces
        clock.schedule("A", at: 400)  // later than its current: ignored
        #expect(clock.due == 150)
        #expect(clock.takeDue(at: 199) == ["B"])
        #expect(clock.takeDue(at: 199).isEmpty, "taken once")
        clock.forget("C")
        #expect(clock.takeDue(at: 1_000) == ["A"])
        #expect(clock.due == .max)
        clock.schedule("D", at: .max)
        #expect(clock.due == .max, "nothing due is not scheduled")
    }

    @Test("Clocks are kept per topic and partition, any partition number works, and they list in key order")
    func clocksByPartition() {
        var clocks = PartitionClocks()
        let keys = [
            PartitionKey(.heartbeats, 3), PartitionKey(.weighEvents, 7), PartitionKey(.weighEvents, 0),
            PartitionKey(.weighEvents, -1), PartitionKey(.heartbeats, 1_000_000), PartitionKey(.heartbeats, 0),
        ]
        for (i, key) in keys.enumerated() { clocks.update(key) { $0.advance(to: Int64(100 + i)) } }
        for (i, key) in keys.enumerated() { #expect(clocks[key]?.time == Int64(100 + i) && clocks.time(of: key) == Int64(100 + i), "\(key)") }
        #expect(clocks[PartitionKey(.weighEvents, 3)] == nil && clocks[PartitionKey(.heartbeats, 7)] == nil)
        #expect(clocks.keys == keys.sorted())
        clocks.ifPresent(PartitionKey(.weighEvents, 7)) { $0.schedule("S1", at: 500) }
        #expect(clocks[PartitionKey(.weighEvents, 7)]?.due == 500, "changed in place")
        clocks.ifPresent(PartitionKey(.weighEvents, 2)) { $0.schedule("S1", at: 500) }
        #expect(clocks[PartitionKey(.weighEvents, 2)] == nil, "writing through a missing clock creates none")
        let taken = clocks.take(PartitionKey(.heartbeats, 1_000_000))
        #expect(taken?.time == 104 && clocks[PartitionKey(.heartbeats, 1_000_000)] == nil)
        #expect(clocks.keys.count == keys.count - 1)
        clocks.put(taken!, at: PartitionKey(.heartbeats, 1_000_000))
        #expect(clocks.keys == keys.sorted(), "put back")
    }
}
