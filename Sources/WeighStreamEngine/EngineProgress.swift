/// How far a running engine has come, read without the process sample and counter copies `statistics`
/// takes: cheap enough to poll every few milliseconds.
public struct EngineProgress: Sendable, Hashable {
    /// Input records the shards have processed in this run (as `EngineStatistics.recordsInTotal`).
    public var recordsIn: Int
    /// Records handed to the shards and not yet processed.
    public var queuedRecords: Int
}
