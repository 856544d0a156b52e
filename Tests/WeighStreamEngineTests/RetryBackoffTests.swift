import Testing
@testable import WeighStreamEngine

@Suite("Re-send backoff")
struct RetryBackoffTests {
    @Test("a refused output waits 0.1 s after its first failure, twice as long after each next one, and never more than 3.2 s")
    func delaysDoubleUpToACap() {
        let seconds = (1...8).map { Double(RetryBackoff.delayNs(afterAttempt: $0)) / 1e9 }
        #expect(seconds == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 3.2, 3.2])
        #expect(RetryBackoff.delayNs(afterAttempt: 0) == RetryBackoff.delayNs(afterAttempt: 1), "an attempt count below one is the first")
    }
}
