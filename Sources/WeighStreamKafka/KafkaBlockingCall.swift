import Dispatch

/// Runs a blocking librdkafka call on a Dispatch queue instead of Swift concurrency's cooperative pool,
/// whose few threads must never wait on the network.
enum KafkaBlockingCall {
    static func run<T: Sendable, E: Error>(
        on queue: DispatchQueue, _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(E) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
