import Dispatch
import Foundation
import Logging
import Synchronization

/// SIGINT and SIGTERM: the first asks for a graceful stop, a second one exits at once.
final class SignalHandling {
    private let sources: [any DispatchSourceSignal]

    init(onFirst: @escaping @Sendable () -> Void, logger: Logger) {
        let queue = DispatchQueue(label: "weighstream.signals")
        let seen = Mutex(0)
        sources = [SIGINT, SIGTERM].map { signo in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: queue)
            source.setEventHandler {
                let count = seen.withLock { n in
                    n += 1
                    return n
                }
                if count == 1 {
                    logger.notice("stopping: draining shards, delivering outputs, committing (signal again to exit at once)")
                    onFirst()
                } else {
                    logger.warning("second signal: exiting without commit")
                    exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    deinit { sources.forEach { $0.cancel() } }
}
