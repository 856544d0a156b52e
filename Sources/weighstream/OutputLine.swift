import Foundation
import WeighStreamKafka

/// One output record as a line an inspector reads.
enum OutputLine {
    static func render(_ message: KafkaMessage, stream: TailCommand.Stream) -> String {
        if stream == .dlq {
            let reason = message.header("ws.error").flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) } ?? "?"
            let source = message.header("ws.source").flatMap { $0.value }.map { String(decoding: $0, as: UTF8.self) } ?? "?"
            return "\(source)  \(reason)  \(String(decoding: message.value.prefix(120), as: UTF8.self))"
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(message.value)) as? [String: Any] else {
            return String(decoding: message.value, as: UTF8.self)
        }
        func s(_ key: String) -> String { object[key].map { "\($0)" }.flatMap { $0 == "<null>" ? nil : $0 } ?? "-" }
        func time(_ key: String) -> String {
            (object[key] as? NSNumber).map { SimulateCommand.time($0.int64Value) } ?? "-"
        }
        if stream == .alarms {
            let details = (object["details"] as? [String: Any]).map { d in
                d.keys.sorted().map { "\($0)=\(d[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
            } ?? ""
            return "\(time("event_ts"))  \(s("severity").padding(toLength: 8, withPad: " ", startingAt: 0)) \(s("type").padding(toLength: 19, withPad: " ", startingAt: 0)) site \(s("site")) lane \(s("lane")) plate \(s("plate")) device \(s("device"))  \(details)  id \(s("alarm_id").prefix(12))"
        }
        switch s("kind") {
        case "device-health":
            return "\(time("window_start")) → \(time("window_end"))  device-health \(s("device")) score \(s("score")) availability \(s("availability")) status \(s("status"))"
        case "site-window":
            return "\(time("window_start")) → \(time("window_end"))  site-window \(s("site")) weighed \(s("weighed")) over_limit \(s("over_limit")) exits \(s("exits")) unweighed \(s("unweighed_exits")) released \(s("released_overloaded")) devices_online \(s("devices_online_pct"))%"
        default:
            return "\(time("window_start")) → \(time("window_end"))  lane-window \(s("site"))/\(s("lane")) weighed \(s("weighed")) over_limit \(s("over_limit")) gross_kg \(s("gross_kg")) max_excess_pct \(s("max_excess_pct"))"
        }
    }
}
