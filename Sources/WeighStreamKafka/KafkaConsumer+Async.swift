import Dispatch

extension KafkaConsumer {
    /// Runs `body`, which may call this consumer's blocking methods, on a thread of its own: the way to use
    /// the consumer from async code. Calls are serialised on one queue per consumer, as `poll` requires.
    public func perform<T: Sendable, E: Error>(
        _ body: @escaping @Sendable (KafkaConsumer) throws(E) -> T
    ) async throws(E) -> T {
        try await KafkaBlockingCall.run(on: ioQueue) { () throws(E) -> T in try body(self) }
    }
}
