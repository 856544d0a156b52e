import Dispatch

/// Runs a blocking librdkafka call on a Dispatch queue instead of Swift concurrency's cooperative pool,
/// whose few threads must never wait on the network.
enum KafkaBlockingCall {
    static func run<T: Sendable>(
        on queue: DispatchQueue, _ body: @escaping @Sendable () throws(KafkaError) -> T
    ) async throws(KafkaError) -> T {
        let result: Result<T, KafkaError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(KafkaError) {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
