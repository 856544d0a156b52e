import ArgumentParser
import Foundation
import Logging
import WeighStreamCore
import WeighStreamEngine

/// `weighstream status`: the 24-hour inspection wall from the compacted `site-status` table. Reads the topic
/// to its end; needs the brokers, not a running processor.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Print every site's supervision status from the site-status table, worst first.")

    @OptionGroup var kafka: KafkaOptions
    @Argument(help: "Only these site ids (default: every site in the table).") var sites: [String] = []
    @Option(help: "Only sites with this status: online, degraded or offline.") var only: String?
    @Flag(help: "Print the table's records as JSON, one per line, worst first.") var json = false
    @Flag(help: "Read again every --interval seconds and reprint, until interrupted.") var watch = false
    @Option(help: "Seconds between reads with --watch.") var interval: Double = 5

    func validate() throws {
        if let only, SiteStatusLevel(name: only) == nil { throw ValidationError("--only must be online, degraded or offline, not \(only)") }
        if interval <= 0 { throw ValidationError("--interval must be positive") }
    }

    func run() throws {
        let engine = try kafka.configuration()
        var logger = Logger(label: "weighstream.status")
        logger.logLevel = .error
        let table = try SiteStatusTable(client: engine.client, topic: engine.topics.siteStatus, logger: logger)
        let stop = DispatchSemaphore(value: 0)
        let signals = SignalHandling(onFirst: { stop.signal() }, logger: logger)
        repeat {
            try table.read()
            let wanted = Set(sites)
            let rows = SiteStatusTable.ranked(table.sites.values).filter { s in
                (wanted.isEmpty || wanted.contains(s.site)) && (only.map { s.status.name == $0 } ?? true)
            }
            if watch && !json { print("\u{1B}[2J\u{1B}[H", terminator: "") }
            if json {
                for row in rows { print(String(decoding: OutputEncoder.encode(row), as: UTF8.self)) }
            } else {
                print(Self.render(rows, unreadable: table.unreadable))
            }
            if !wanted.isEmpty && rows.isEmpty && !watch && only == nil {
                throw ValidationError("no site-status record for \(sites.joined(separator: ", ")) in \(engine.topics.siteStatus)")
            }
        } while watch && stop.wait(timeout: .now() + interval) != .success
        withExtendedLifetime(signals) {}
    }

    /// The wall as text: one line per site.
    static func render(_ rows: [SiteStatus], unreadable: Int = 0) -> String {
        let widths = [12, 8, 19, 9, -7, -5, -8, -9]
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { cell, w in
                let room = String(repeating: " ", count: max(0, abs(w) - cell.count))
                return w < 0 ? room + cell : cell + room
            }.joined(separator: " ") + "  " + cells[8]
        }
        var lines = [line(["SITE", "STATUS", "SINCE (UTC+8)", "DEVICES", "WEIGHED", "OVER", "RELEASED", "UNWEIGHED", "OPEN ALARMS"])]
        for s in rows {
            let online = s.devices.count { $0.link == .online }
            let open = s.openAlarms.map { a in a.device.map { "\(a.type.name)(\($0))" } ?? a.type.name }.joined(separator: " ")
            lines.append(line([
                s.site, s.status.name, localTime(s.sinceTs), "\(online)/\(s.devices.count)", "\(s.today.weighed)",
                "\(s.today.overLimit)", "\(s.today.releasedOverloaded)", "\(s.today.unweighedExits)", open.isEmpty ? "-" : open,
            ]))
        }
        lines.append("\(rows.count) sites: \(rows.count { $0.status == .offline }) offline, \(rows.count { $0.status == .degraded }) degraded"
            + (unreadable > 0 ? "; \(unreadable) unreadable records skipped" : ""))
        return lines.joined(separator: "\n")
    }

    private static func localTime(_ ms: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
