import Foundation
import Logging

/// Sets up swift-log once per process: text (swift-log's stream handler) or JSON lines, at a level.
enum LoggingSetup {
    static func bootstrap(level: String, format: String) {
        let parsed = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == "json" ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = parsed
            return handler
        }
    }
}
