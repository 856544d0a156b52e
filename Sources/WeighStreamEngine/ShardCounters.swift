import WeighStreamCore

/// A shard's counters, published under a lock once per chunk (never per record).
struct ShardCounters: Sendable {
    var recordsIn: [InputTopic: Int] = [:]
    var alarms: [AlarmType: Int] = [:]
    var aggregates: [String: Int] = [:]
    var deadLetters: [String: Int] = [:]
    var rekeyed = 0
    var duplicates = 0
    var late = 0
    var partialRecords = 0
    var evictedPlates = 0
    var forgottenDevices = 0
    var statusRecords = 0
    var snapshotsWritten = 0
    var splitSnapshots = 0
    var truncatedLetters = 0
    var sitesRestored = 0
    /// Per input partition, the event time its records have brought it to (idle advances left out).
    var recordEventTimes: [PartitionKey: Int64] = [:]
    var chunkSeconds = LatencyHistogram()

    func add(to statistics: inout EngineStatistics) {
        statistics.recordsIn.merge(recordsIn, uniquingKeysWith: +)
        statistics.alarms.merge(alarms, uniquingKeysWith: +)
        statistics.aggregates.merge(aggregates, uniquingKeysWith: +)
        statistics.deadLetters.merge(deadLetters, uniquingKeysWith: +)
        statistics.rekeyed += rekeyed
        statistics.duplicates += duplicates
        statistics.late += late
        statistics.partialRecords += partialRecords
        statistics.evictedPlates += evictedPlates
        statistics.forgottenDevices += forgottenDevices
        statistics.statusRecords += statusRecords
        statistics.snapshotsWritten += snapshotsWritten
        statistics.splitSnapshots += splitSnapshots
        statistics.truncatedLetters += truncatedLetters
        statistics.sitesRestored += sitesRestored
        statistics.recordEventTimes.merge(recordEventTimes) { max($0, $1) }
        statistics.chunkSeconds.merge(chunkSeconds)
    }
}
