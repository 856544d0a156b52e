import Dispatch

extension KafkaProducer {
    /// Runs `body`, which may call this producer's blocking methods, on a thread of its own: the way to use
    /// the producer from async code.
    public func perform<T: Sendable>(_ body: @escaping @Sendable (KafkaProducer) throws(KafkaError) -> T) async throws(KafkaError) -> T {
        try await KafkaBlockingCall.run(on: ioQueue) { () throws(KafkaError) -> T in try body(self) }
    }
}
