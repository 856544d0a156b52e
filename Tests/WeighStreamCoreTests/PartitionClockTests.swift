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
}
