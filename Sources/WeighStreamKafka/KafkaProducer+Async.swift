import Dispatch

extension KafkaProducer {
    /// Runs `body`, which may call this producer's blocking methods, on a thread of its own: the way to use
    /// the producer from async code.
    public func perform<T: Sendable, E: Error>(
        _ body: @escaping @Sendable (KafkaProducer) throws(E) -> T
    ) async throws(E) -> T {
        try await KafkaBlockingCall.run(on: ioQueue) { () throws(E) -> T in try body(self) }
    }
}
