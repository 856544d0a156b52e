import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import Synchronization
import WeighStreamEngine

/// The processor's HTTP endpoint on Hummingbird (SwiftNIO): `/metrics` (the Prometheus registry the engine
/// records into), `/health/live`, `/health/ready`, `/sites` and `/sites/{site}` (answered by the engine).
///
/// Connections are served concurrently on NIO's event loops; an idle connection is closed after
/// `idleTimeout`. The engine's answers may wait on the brokers, so they are computed on a Dispatch queue,
/// never on Swift's cooperative pool.
public final class EndpointServer: Sendable {
    /// The port listened on (useful when 0 asked the kernel for a free one).
    public let port: Int
    /// Runs the application; shut down gracefully (open requests finish, connections close) by `close()`.
    private let group: ServiceGroup
    private let finished = DispatchSemaphore(value: 0)

    /// Where the servers' tasks run, and their shutdowns: not on the cooperative pool, whose threads may all
    /// be blocked by the callers waiting for a server to listen or to stop.
    private static let executor = QueueTaskExecutor(label: "weighstream.http")

    /// A swift-metrics factory recording into `registry`, with the engine's duration buckets.
    public static func metricsFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Engine.durationBuckets.map { .nanoseconds(Int64(($0 * 1e9).rounded())) }
        return factory
    }

    /// Listens on `host` (`127.0.0.1`, `::` for every IPv4 and IPv6 interface, ...) at `port`; returns once
    /// listening, throws when the address cannot be bound. It waits for the server's task: call it from a
    /// thread of your own (as `weighstream run` does from its main thread), not from Swift's cooperative pool.
    public init(
        engine: Engine, registry: PrometheusCollectorRegistry, host: String = "127.0.0.1", port: Int,
        idleTimeout: Duration = .seconds(30), logger: Logger
    ) throws(EngineError) {
        let router = Router()
        router.get("/metrics") { _, _ -> Response in
            let text = await Self.offload { () -> [UInt8] in
                engine.refreshMetrics()
                var buffer: [UInt8] = []
                registry.emit(into: &buffer)
                return buffer
            }
            return Self.response(EndpointReply(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: text))
        }
        for path in ["/health/live", "/health/ready", "/sites", "/sites/{site}"] {
            router.get(RouterPath(path)) { request, _ -> Response in
                let target = request.uri.path
                var parameters: [String: String] = [:]
                for (key, value) in request.uri.queryParameters { parameters[String(key)] = String(value) }
                let query = parameters
                return Self.response(await Self.offload { engine.reply(to: target, query: query) })
            }
        }
        let bound = Mutex<Result<Int, EngineError>?>(nil)
        let started = DispatchSemaphore(value: 0)
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: router,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(idleTimeout.components.seconds) * 1_000_000_000))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? port) }
                started.signal()
            },
            logger: quiet)
        let finished = self.finished
        // No signal handling here: the command's own handler stops the engine first.
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: quiet))
        self.group = group
        Task(executorPreference: Self.executor) {
            do {
                try await group.run()
            } catch {
                bound.withLock { $0 = $0 ?? .failure(EngineError(.invalidConfiguration, "http.bind / metrics_port: cannot listen on \(host) port \(port): \(error)")) }
                started.signal()
            }
            finished.signal()
        }
        _ = started.wait(timeout: .now() + 30)
        switch bound.withLock({ $0 }) {
        case .success(let actual):
            self.port = actual
        case .failure(let error):
            throw error
        case nil:
            Task(executorPreference: Self.executor) { await group.triggerGracefulShutdown() }
            throw EngineError(.invalidConfiguration, "http.bind / metrics_port: the endpoint on \(host) port \(port) did not start within 30 s")
        }
        logger.info("HTTP endpoint", metadata: ["bind": "\(host)", "port": "\(self.port)"])
    }

    /// Stops listening, lets open requests finish and closes the connections; waits up to 10 s for that.
    public func close() {
        let group = self.group
        Task(executorPreference: Self.executor) { await group.triggerGracefulShutdown() }
        _ = finished.wait(timeout: .now() + 10)
        finished.signal()
    }

    private static func offload<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }

    private static func response(_ reply: EndpointReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        for (name, value) in reply.headers.sorted(by: { $0.key < $1.key }) {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return Response(
            status: HTTPResponse.Status(code: reply.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: reply.body)))
    }
}
