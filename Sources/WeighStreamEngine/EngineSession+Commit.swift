import Dispatch
import WeighStreamCore
import WeighStreamKafka

extension EngineSession {
    /// Brings outputs, state and offsets to one consistent point (poll thread only).
    ///
    /// At-least-once: every shard processes what it was given and encodes its changed sites (all of them
    /// after a lost snapshot), and, when partitions are being released, drops their sites. The snapshots are
    /// sent only once every output sent before the barrier is acknowledged, and the offsets are committed
    /// only once the snapshots are acknowledged: so a stored snapshot never covers a record whose alarm could
    /// still be lost, and never is older than the committed offsets. With `wait` (revoke, shutdown) this call
    /// waits for all of that; otherwise the poll loop goes on at once, without waiting even for the shards
    /// to reach the barrier (encoding a busy county's changed sites took up to 33 ms per point, during which
    /// no record was dispatched), and `completeCommits` carries the point through. Offsets are those of the
    /// records dispatched before the barrier, and each shard handles its queue in order, so the snapshots
    /// it encodes at the barrier cover exactly those records.
    /// Exactly-once: snapshots, outputs and offsets go into the open transaction, which is committed, and a
    /// new one begins.
    /// A commit the coordinator refuses is counted and retried at the next point (nothing is lost: those
    /// records are re-read, and their alarms repeat with the same ids); a delivery or transaction failure
    /// throws, and the engine stops without committing past it.
    func commitPoint(release: Set<Int32>?, wait: Bool = true) throws(EngineError) {
        let started = DispatchTime.now().uptimeNanoseconds
        defer {
            let took = DispatchTime.now().uptimeNanoseconds - started
            engine.engineStatistics.withLock { $0.commitSeconds.observe(seconds: Double(took) / 1e9) }
            engine.metrics.commit.recordNanoseconds(Int64(took))
        }
        let offsets = { () -> [TopicPartitionOffset] in
            self.nextOffsets
                .filter { self.assigned.contains($0.key) && self.committedOffsets[$0.key] != $0.value }
                .map { TopicPartitionOffset($0.key, offset: $0.value) }
                .sorted { $0.topicPartition < $1.topicPartition }
        }
        switch configuration.guarantee {
        case .atLeastOnce:
            let collector = SnapshotCollector { [engine] n in engine.engineStatistics.withLock { $0.fencedSnapshots += n } }
            let full = repairSeq != nil && !repairStarted
            let passed = submitBarrier(snapshot: SnapshotRequest(full: full, collector: collector), release: release)
            if full { repairStarted = true; repairSeq = nextCommitSeq }
            pendingCommits.append(PendingCommit(
                seq: nextCommitSeq, offsets: offsets(), barrier: passed, barrierQueuedMs: Shard.nowMs(), collector: collector))
            nextCommitSeq += 1
            guard wait else { return try completeCommits() }
            passed.wait()
            try checkShards()
            // Outputs acknowledged, then snapshots sent, then acknowledged, then offsets committed.
            // A few rounds: a full producer queue or a refused snapshot (snapshotted afresh) takes more than one.
            for _ in 0..<20 where !pendingCommits.isEmpty {
                try sink.settle()
                // The last commit before leaving has no next point to retry at: its refusal is an error.
                try completeCommits(final: release == nil, blocking: true)
            }
            if !pendingCommits.isEmpty {
                throw EngineError(.delivery, "state snapshots were not delivered; offsets not committed past them")
            }
        case .exactlyOnce:
            barrier(snapshot: SnapshotRequest(full: false, collector: nil), release: release)
            try checkShards()
            let offsets = fencingOffsets()
            let producer = sink.producer
            do {
                // Always, even with nothing new read: the offsets carry the group generation, and the
                // coordinator refuses them from a member the group has moved on from, which aborts whatever
                // that zombie wrote in this transaction (its snapshots included).
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
            if !leaving && !engine.stopRequested.load(ordering: .acquiring) {
                do {
                    try producer.beginTransaction()
                    transactionOpen = true
                } catch {
                    throw EngineError(.transaction, "cannot begin the next transaction", underlying: error)
                }
            }
        }
    }

    /// Carries pending commit points forward (at-least-once; poll thread): re-sends failed outputs, sends the
    /// snapshots of each point whose outputs are all acknowledged (in order), and commits the offsets of the
    /// latest point whose snapshots are acknowledged. A lost snapshot holds every commit back until a later
    /// point with a full snapshot is acknowledged. Called by the poll loop every turn; cheap when nothing is
    /// pending.
    ///
    /// The poll loop's commits are asynchronous (`blocking` false): a synchronous one held the poll thread for
    /// the coordinator's round trip, which on the broker serving this member's fetches waits behind a pending
    /// fetch, and no record was dispatched meanwhile: a stall once per commit interval, the latency tail's
    /// share that was WeighStream's own. Their answers are taken in here on a later turn; a refused one is
    /// retried at the next commit point, as before. A revoke or shutdown commits synchronously: it must know
    /// the commit landed before it lets the partitions go.
    func completeCommits(final: Bool = false, blocking: Bool = false) throws(EngineError) {
        absorbCommitResults()
        defer {
            let waiting = pendingCommits.first { $0.barrier != nil }?.barrierQueuedMs ?? 0
            engine.barrierQueuedMs.store(waiting, ordering: .relaxed)
        }
        guard !pendingCommits.isEmpty else { return }
        if mayHaveLeftGroup {
            fencePendingCommits(partitions: nil)
            return
        }
        try sink.resendFailures()
        let lost = sink.takeLostSnapshots()
        if lost > 0 {
            logger.error("state snapshots not delivered; every site is snapshotted again before offsets are committed",
                         metadata: ["snapshots": "\(lost)"])
            engine.engineStatistics.withLock { $0.lostSnapshots += lost }
            repairSeq = nextCommitSeq
            repairStarted = false
        }
        let redeliveries = sink.redeliveryCount, produceErrors = sink.produceErrors
        engine.engineStatistics.withLock {
            $0.redeliveries = redeliveries
            $0.produceErrors = produceErrors
        }
        for i in pendingCommits.indices where pendingCommits[i].snapshotWatermark == nil {
            guard takeBarrier(of: &pendingCommits[i]) else { break }
            guard sink.acknowledged(upTo: pendingCommits[i].outputWatermark) else { break }
            // Asked again right before writing: a member the group moved on from must not overwrite what the
            // new owner stored.
            if mayHaveLeftGroup {
                fencePendingCommits(partitions: nil)
                return
            }
            do {
                try sink.offer(&pendingCommits[i].snapshots)
            } catch {
                throw EngineError(.delivery, "could not hand state snapshots to the producer", underlying: error)
            }
            guard pendingCommits[i].snapshots.isEmpty else { break }  // the queue is full: next turn
            pendingCommits[i].snapshotWatermark = sink.lastIssuedID
        }
        guard let ready = pendingCommits.lastIndex(where: { commit in
            commit.snapshotWatermark.map { sink.acknowledged(upTo: $0) } == true && repairSeq.map { commit.seq >= $0 && repairStarted } ?? true
        }) else { return }
        if let seq = repairSeq, pendingCommits[ready].seq >= seq { repairSeq = nil }
        var merged: [TopicPartition: Int64] = [:]
        for commit in pendingCommits[...ready] {
            for o in commit.offsets where assigned.contains(o.topicPartition) { merged[o.topicPartition] = o.offset }
        }
        var retired = pendingCommits[...ready].flatMap(\.retired)
        pendingCommits.removeFirst(ready + 1)
        // Only a part no stored head names any more: a lost tombstone leaves a part the next restore removes.
        try? sink.send(&retired)
        let offsets = merged.map { TopicPartitionOffset($0.key, offset: $0.value) }.sorted { $0.topicPartition < $1.topicPartition }
        guard !offsets.isEmpty else { return }
        do {
            if blocking {
                try consumer.commit(announced(offsets), sync: true)
                noteCommitted(offsets)
            } else {
                // Counted as committed only when the coordinator's answer says so (`absorbCommitResults`).
                try consumer.commitAsync(announced(offsets))
            }
        } catch {
            engine.engineStatistics.withLock { $0.commitFailures += 1 }
            if final { throw EngineError(.kafka, "the final offset commit was refused", underlying: error) }
            logger.warning("offset commit refused; retried at the next commit point", metadata: ["error": "\(error)"])
        }
    }

    /// Waits until every shard has processed everything queued before this call.
    func barrier(snapshot: SnapshotRequest?, release: Set<Int32>?) {
        submitBarrier(snapshot: snapshot, release: release).wait()
    }

    /// Queues a barrier behind everything already given to the shards; the group is left once every shard
    /// has passed it.
    @discardableResult
    func submitBarrier(snapshot: SnapshotRequest?, release: Set<Int32>?) -> DispatchGroup {
        let done = DispatchGroup()
        for shard in shards {
            done.enter()
            shard.submit(.barrier(snapshot: snapshot, release: release, done: done))
        }
        return done
    }

    /// Whether every shard has passed the point's barrier (with `wait`, after waiting for it). The first time
    /// it has, the point takes its snapshots and notes the output watermark: every output of a record before
    /// the barrier was issued by then, so the last issued id covers them (and perhaps a few later ones,
    /// which only makes the point wait a little longer).
    func takeBarrier(of commit: inout PendingCommit, wait: Bool = false) -> Bool {
        guard let barrier = commit.barrier else { return true }
        if wait { barrier.wait() } else if barrier.wait(timeout: .now()) != .success { return false }
        let gathered = commit.collector?.take() ?? (snapshots: [], retired: [])
        commit.snapshots = gathered.snapshots
        commit.retired = gathered.retired
        commit.outputWatermark = sink.lastIssuedID
        commit.barrier = nil
        commit.collector = nil
        return true
    }

    /// Whether a commit point's barrier is still on its way through the shards: the next point waits for it
    /// (a shard behind its input would otherwise collect barriers, each encoding a few sites).
    var barrierPending: Bool { pendingCommits.last?.barrier != nil }

    /// The group has taken these partitions away (all, when nil) while their commit points were pending:
    /// their snapshots are dropped unsent, since the new owner may already have stored newer ones, and their
    /// offsets are not committed. The new owner re-reads from the last commit.
    func fencePendingCommits(partitions: Set<Int32>?) {
        var fenced = 0
        for i in pendingCommits.indices {
            if partitions != nil {
                // Snapshots still being encoded would escape the filter below: wait for them (a revoke,
                // where waiting for the shards is what it does anyway).
                _ = takeBarrier(of: &pendingCommits[i], wait: true)
            } else if let collector = pendingCommits[i].collector {
                // All fenced, and the shards may be stuck (that is how a member falls out of the group):
                // what they still encode for this point is dropped and counted as it arrives.
                fenced += collector.fence()
            }
            let before = pendingCommits[i].snapshots.count
            pendingCommits[i].snapshots.removeAll { partitions?.contains($0.partition ?? -1) ?? true }
            pendingCommits[i].retired.removeAll { partitions?.contains($0.partition ?? -1) ?? true }
            pendingCommits[i].offsets.removeAll { partitions?.contains($0.topicPartition.partition) ?? true }
            fenced += before - pendingCommits[i].snapshots.count
        }
        if partitions == nil {
            pendingCommits.removeAll()
            // The changes those snapshots held are stored by no one if this member does keep its partitions:
            // offsets wait for a point that snapshots every site.
            repairSeq = nextCommitSeq
            repairStarted = false
        }
        guard fenced > 0 else { return }
        logger.warning("partitions taken away by the group: their pending snapshots are not written", metadata: [
            "snapshots": "\(fenced)", "partitions": "\(partitions.map { "\($0.sorted())" } ?? "all")",
        ])
        engine.engineStatistics.withLock { $0.fencedSnapshots += fenced }
    }

    /// Exactly-once: the offsets to send with the transaction, one per assigned partition whose position is
    /// known, so that every transaction is checked against the group's generation.
    private func fencingOffsets() -> [TopicPartitionOffset] {
        announced(assigned.compactMap { tp in (nextOffsets[tp] ?? committedOffsets[tp]).map { TopicPartitionOffset(tp, offset: $0) } }
            .sorted { $0.topicPartition < $1.topicPartition })
    }

    /// Offsets carrying this instance's address in their metadata (`SiteOwner`): a read by site on another
    /// member learns from the group's commits which instance holds a partition.
    func announced(_ offsets: [TopicPartitionOffset]) -> [TopicPartitionOffset] {
        let metadata = engine.selfAsOwner.metadata
        return offsets.map { o in TopicPartitionOffset(o.topicPartition, offset: o.offset, metadata: metadata) }
    }

    /// Waits, at most `timeoutMs`, until every shard has handled what it was given; false on timeout.
    func quiesce(timeoutMs: Int) -> Bool {
        submitBarrier(snapshot: nil, release: nil).wait(timeout: .now() + .milliseconds(timeoutMs)) == .success
    }

    /// The coordinator's answers to the poll loop's asynchronous commits. Only partitions still assigned are
    /// noted (a revoke forgets its partitions' commits), and a committed offset never moves back: an older
    /// answer arriving after a newer synchronous commit changes nothing.
    private func absorbCommitResults() {
        for result in consumer.takeCommitResults() {
            if let error = result.error {
                engine.engineStatistics.withLock { $0.commitFailures += 1 }
                logger.warning("offset commit refused; retried at the next commit point", metadata: ["error": "\(error)"])
            } else {
                let kept = result.offsets.filter { assigned.contains($0.topicPartition) }
                if !kept.isEmpty { noteCommitted(kept) }
            }
        }
    }

    private func noteCommitted(_ offsets: [TopicPartitionOffset]) {
        for o in offsets { committedOffsets[o.topicPartition] = max(committedOffsets[o.topicPartition] ?? .min, o.offset) }
        engine.engineStatistics.withLock {
            $0.commits += 1
            $0.lastCommitMs = Shard.nowMs()
        }
    }
}
