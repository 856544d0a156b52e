import Dispatch
import WeighStreamCore
import WeighStreamKafka

extension Engine {
    /// Brings outputs, state and offsets to one consistent point (poll thread only):
    /// 1. every shard processes what it was given, snapshots its changed sites to the state topic and, when
    ///    partitions are being released, drops their sites;
    /// 2. at-least-once: once every output up to the barrier is acknowledged (failed ones re-sent), the
    ///    offsets are committed; with `wait` (revoke, shutdown) this call waits for that, otherwise the poll
    ///    loop keeps going and `completeCommits` commits when the acknowledgements are in;
    ///    exactly-once: the offsets join the open transaction, which is committed, and a new one begins.
    /// A commit the coordinator refuses is logged and retried at the next point (nothing is lost: those
    /// records are re-read, and their alarms repeat with the same ids); a delivery or transaction failure
    /// throws, and the engine stops without committing past it.
    func commitPoint(release: Set<Int32>?, wait: Bool = true) throws(EngineError) {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            engineStatistics.withLock { $0.commitSeconds.observe(seconds: seconds) }
        }
        barrier(snapshot: true, release: release)
        try checkShards()
        let offsets = nextOffsets
            .filter { assigned.contains($0.key) && committedOffsets[$0.key] != $0.value }
            .map { TopicPartitionOffset($0.key, offset: $0.value) }
            .sorted { $0.topicPartition < $1.topicPartition }
        switch configuration.guarantee {
        case .atLeastOnce:
            // The steady state does not wait: the offsets are committed by `completeCommits` once the
            // broker has acknowledged every output sent before the barrier. Revokes and shutdown wait.
            pendingCommits.append(PendingCommit(offsets: offsets, watermark: sink.lastIssuedID))
            if wait {
                try sink.settle()
                try completeCommits(sync: true)
            } else {
                try completeCommits(sync: false)
            }
        case .exactlyOnce:
            let producer = sink.producer
            do {
                if !offsets.isEmpty { try producer.sendOffsetsToTransaction(offsets, consumer: consumer) }
                try producer.commitTransaction()
                transactionOpen = false
                sink.forgetPending()
                noteCommitted(offsets)
            } catch {
                if error.transactionRequiresAbort { try? producer.abortTransaction() }
                transactionOpen = false
                throw EngineError(.transaction, "transaction commit failed; its outputs are aborted", underlying: error)
            }
            if !leaving && !stopRequested.load(ordering: .acquiring) {
                do {
                    try producer.beginTransaction()
                    transactionOpen = true
                } catch {
                    throw EngineError(.transaction, "cannot begin the next transaction", underlying: error)
                }
            }
        }
    }

    /// Commits the offsets of the latest commit point whose outputs are all acknowledged (at-least-once),
    /// re-sending failed outputs first. Called by the poll loop every turn; cheap when nothing is pending.
    /// Without `sync` the commit request is sent and the loop goes on; its result shows at the next one.
    func completeCommits(sync: Bool = false) throws(EngineError) {
        guard !pendingCommits.isEmpty else { return }
        try sink.resendFailures()
        let redeliveries = sink.redeliveryCount
        engineStatistics.withLock { $0.redeliveries = redeliveries }
        guard let ready = pendingCommits.lastIndex(where: { sink.acknowledged(upTo: $0.watermark) }) else { return }
        var merged: [TopicPartition: Int64] = [:]
        for commit in pendingCommits[...ready] {
            for o in commit.offsets where assigned.contains(o.topicPartition) { merged[o.topicPartition] = o.offset }
        }
        pendingCommits.removeFirst(ready + 1)
        let offsets = merged.map { TopicPartitionOffset($0.key, offset: $0.value) }.sorted { $0.topicPartition < $1.topicPartition }
        guard !offsets.isEmpty else { return }
        do {
            try consumer.commit(offsets, sync: sync)
            noteCommitted(offsets)
        } catch {
            engineStatistics.withLock { $0.commitFailures += 1 }
            logger.warning("offset commit refused; retried at the next commit point", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until every shard has processed everything queued before this call.
    func barrier(snapshot: Bool, release: Set<Int32>?) {
        let done = DispatchGroup()
        for shard in shards {
            done.enter()
            shard.submit(.barrier(snapshot: snapshot, release: release, done: done))
        }
        done.wait()
    }

    private func noteCommitted(_ offsets: [TopicPartitionOffset]) {
        for o in offsets { committedOffsets[o.topicPartition] = o.offset }
        engineStatistics.withLock {
            $0.commits += 1
            $0.lastCommitMs = Shard.nowMs()
        }
    }
}
