/// One answer of the engine's HTTP endpoint, whatever server carries it.
public struct EndpointReply: Sendable, Hashable {
    public var status: Int
    public var contentType: String
    /// Extra headers (`Location` of a redirect, `X-WeighStream-Partition`).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, contentType: String = "text/plain; charset=utf-8", headers: [String: String] = [:], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }

    public init(status: Int, text: String) {
        self.init(status: status, body: Array(text.utf8))
    }

    static func json(_ status: Int, headers: [String: String] = [:], _ bytes: [UInt8]) -> EndpointReply {
        EndpointReply(status: status, contentType: "application/json", headers: headers, body: bytes)
    }
}
