import CRdKafka
import Foundation

/// The names of the topics a delivery thread reports on, kept per librdkafka topic handle: a report's topic
/// was a new `String` per produced record (names of over 15 bytes are allocated). The delivery thread's own:
/// not shared.
struct TopicNames {
    private var known: [(handle: OpaquePointer, name: String)] = []
    /// Beyond this many topics names are made anew each time (a producer writes to a handful).
    private static let limit = 32

    mutating func name(of handle: OpaquePointer) -> String {
        let cName = rd_kafka_topic_name(handle)!
        // The name is compared too, not only the handle: a handle librdkafka freed could come back as another
        // topic's.
        if let i = known.firstIndex(where: { $0.handle == handle }) {
            if known[i].name.withCString({ strcmp($0, cName) == 0 }) { return known[i].name }
            known.remove(at: i)
        }
        let name = String(cString: cName)
        if known.count < Self.limit { known.append((handle, name)) }
        return name
    }
}
