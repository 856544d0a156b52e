import Dispatch
import WeighStreamCore
import WeighStreamKafka

extension Engine {
    /// Brings outputs, state and offsets to one consistent point (poll thread only):
    /// 1. every shard processes what it was given, snapshots its changed sites to the state topic and, when
    ///    partitions are being released, drops their sites;
    /// 2. at-least-once: every output so far is acknowledged (failed ones re-sent), then offsets are
    ///    committed; exactly-once: the offsets join the open transaction, which is committed, and a new one
    ///    begins.
    /// A commit the coordinator refuses is logged and retried at the next point (nothing is lost: those
    /// records are re-read, and their alarms repeat with the same ids); a delivery or transaction failure
    /// throws, and the engine stops without committing past it.
    func commitPoint(release: Set<Int32>?) throws(EngineError) {
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
            try sink.settle()
            let redeliveries = sink.redeliveryCount
            engineStatistics.withLock { $0.redeliveries = redeliveries }
            guard !offsets.isEmpty else { return }
            do {
                try consumer.commit(offsets)
                noteCommitted(offsets)
            } catch {
                engineStatistics.withLock { $0.commitFailures += 1 }
                logger.warning("offset commit refused; retried at the next commit point", metadata: ["error": "\(error)"])
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
