import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 server for Prometheus and orchestrators: `GET /metrics`, `/health/live` (200 while
/// the poll loop turns within `liveness_timeout_ms`, else 503) and `/health/ready` (200 once partitions are assigned and state restored, else 503).
///
/// One thread accepts and answers each short request in turn: scrapes and probes are a few per second,
/// which does not justify an HTTP stack as a dependency.
public final class MetricsServer: Sendable {
    private let socket: Int32
    /// The port listened on (useful when 0 asked the kernel for a free one).
    public let port: Int
    private let closed = Atomic<Bool>(false)

    /// Listens on all interfaces at `port`; throws when the port cannot be bound.
    public init(port: Int, engine: Engine, logger: Logger) throws(EngineError) {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw EngineError(.invalidConfiguration, "metrics_port: cannot open a socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr = in_addr(s_addr: INADDR_ANY)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            Glibc.close(fd)
            throw EngineError(.invalidConfiguration, "metrics_port: cannot listen on port \(port) (in use?)")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        self.port = Int(UInt16(bigEndian: actual.sin_port))
        let thread = Thread { [self] in serve(engine: engine, logger: logger) }
        thread.name = "weighstream-metrics"
        thread.start()
        logger.info("metrics and health endpoints", metadata: ["port": "\(self.port)"])
    }

    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        Glibc.close(socket)
    }

    deinit { close() }

    private func serve(engine: Engine, logger: Logger) {
        while !closed.load(ordering: .acquiring) {
            let client = accept(socket, nil, nil)
            if client < 0 { if closed.load(ordering: .acquiring) { return } else { continue } }
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var buffer = [UInt8](repeating: 0, count: 4_096)
            let n = read(client, &buffer, buffer.count)
            let request = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
            let target = request.split(separator: " ").dropFirst().first.map(String.init) ?? "/"
            let components = URLComponents(string: target)
            let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }) { $1 }
            let reply = engine.reply(to: components?.percentEncodedPath ?? target, query: query)
            let extra = reply.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)\r\n" }.joined()
            let head = "HTTP/1.1 \(reply.status) \(Self.reason(reply.status))\r\nContent-Type: \(reply.contentType)\r\n"
                + extra + "Content-Length: \(reply.body.count)\r\nConnection: close\r\n\r\n"
            let bytes = Array(head.utf8) + reply.body
            var sent = 0
            while sent < bytes.count {
                let w = bytes[sent...].withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                if w <= 0 { break }
                sent += w
            }
            Glibc.close(client)
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 307: "Temporary Redirect"
        case 400: "Bad Request"
        case 404: "Not Found"
        default: "Service Unavailable"
        }
    }
}
