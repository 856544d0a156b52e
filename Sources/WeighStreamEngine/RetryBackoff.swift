/// How long a refused output waits before it is sent again: 0.1 s after the first failure, doubling up to
/// 3.2 s, so that a broker refusing for a few seconds meets a few spaced attempts rather than all of them
/// within milliseconds.
enum RetryBackoff {
    static let firstNs: UInt64 = 100_000_000
    static let doublings = 5

    static func delayNs(afterAttempt attempt: Int) -> UInt64 {
        firstNs << UInt64(min(max(attempt, 1) - 1, doublings))
    }
}
