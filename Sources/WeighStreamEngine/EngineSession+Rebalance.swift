import Dispatch
import WeighStreamCore
import WeighStreamKafka

/// The engine's half of a rebalance, called by librdkafka inside `poll` (or `close`) on the poll thread,
/// before it applies the change.
extension EngineSession: KafkaRebalanceListener {
    /// Restores the state of the assigned partitions before their first record is fetched.
    public func partitionsAssigned(_ partitions: [TopicPartition], consumer: KafkaConsumer) {
        let callbackStarted = DispatchTime.now().uptimeNanoseconds
        defer {
            noteRebalance(started: callbackStarted, assigned: partitions.count, revoked: 0)
            // librdkafka counts time inside poll (this restore included) as polling: only the time after
            // poll returns counts towards max.poll.interval.ms.
            lastPollReturnMs = Shard.nowMs()
        }
        assigned.formUnion(partitions)
        let numbers = Set(partitions.map(\.partition)).sorted()
        do {
            let started = DispatchTime.now().uptimeNanoseconds
            let outcome = try restorer.read(partitions: numbers) { [engine] in
                engine.pollLoopTurnMs.store(Shard.nowMs(), ordering: .relaxed)
            }
            let sites = outcome.sites
            engine.engineStatistics.withLock {
                $0.restoreRecords += outcome.records
                $0.restoreBytes += outcome.bytes
                $0.unreadableSnapshots += outcome.unreadable
                $0.restoreSeconds.observe(seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            }
            engine.metrics.restore.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - started))
            var perShard = [[SiteState]](repeating: [], count: shards.count)
            for site in sites { perShard[Int(Shard.home(of: site)) % shards.count].append(site) }
            let done = DispatchGroup()
            for (index, list) in perShard.enumerated() where !list.isEmpty {
                done.enter()
                shards[index].submit(.restore(list, parts: outcome.parts, done))
            }
            done.wait()
            if !outcome.orphanParts.isEmpty {
                var tombstones = outcome.orphanParts.map {
                    KafkaProducerMessage(topic: configuration.topics.state, partition: $0.partition, key: $0.key, value: nil)
                }
                try? sink.send(&tombstones)
            }
        } catch {
            listenerError = listenerError ?? error
        }
        announceOwnership(of: partitions, consumer: consumer)
        let now = Shard.nowMs()
        for tp in partitions {
            guard let topic = configuration.topics.inputTopic(named: tp.topic) else { continue }
            let key = PartitionKey(topic, tp.partition)
            lastRecordWall[key] = now
            advancedWall[key] = now
        }
        let count = assigned.count
        engine.engineStatistics.withLock {
            $0.assignedPartitions = count
            $0.ready = true
            $0.rebalanceSinceMs = 0
        }
    }

    /// Drains, snapshots and commits before the partitions are released, then drops their sites. When the
    /// partitions are already lost (or the engine is abandoning), nothing is committed: the new owner
    /// re-reads from the last commit.
    public func partitionsRevoked(_ partitions: [TopicPartition], lost: Bool, consumer: KafkaConsumer) {
        let callbackStarted = DispatchTime.now().uptimeNanoseconds
        defer { noteRebalance(started: callbackStarted, assigned: 0, revoked: partitions.count) }
        let numbers = Set(partitions.map(\.partition))
        let lost = lost || mayHaveLeftGroup
        if !engine.abandonRequested.load(ordering: .acquiring) {
            if lost || leaving {
                fencePendingCommits(partitions: numbers)
                barrier(snapshot: nil, release: numbers)
            } else {
                do {
                    try commitPoint(release: numbers)
                } catch {
                    listenerError = listenerError ?? error
                }
            }
        }
        assigned.subtract(partitions)
        let held = Set(assigned.filter { $0.topic == configuration.topics.weighEvents }.map(\.partition))
        engine.ownership.withLock { $0.held = held }
        for tp in partitions {
            nextOffsets.removeValue(forKey: tp)
            committedOffsets.removeValue(forKey: tp)
            if let topic = configuration.topics.inputTopic(named: tp.topic) {
                lastRecordWall.removeValue(forKey: PartitionKey(topic, tp.partition))
                advancedWall.removeValue(forKey: PartitionKey(topic, tp.partition))
            }
        }
        pausedShards.removeAll()
        saturatedSince.removeAll()
        let count = assigned.count
        engine.engineStatistics.withLock {
            $0.assignedPartitions = count
            $0.pausedPartitions = 0
            // Ready stays as it was: an eager rebalance revokes everything and assigns again moments later. The
            // gap is a metric; only one longer than rebalance_unready_after_ms makes the member unready.
            $0.rebalanceSinceMs = Shard.nowMs()
        }
    }

    /// Commits the newly assigned weigh-events partitions' committed offsets again, now with this instance's
    /// address in their metadata, so that reads by site on other members find the new owner at once rather
    /// than at its first commit (which waits for a record on that partition). Exactly-once transactions
    /// carry it in every commit anyway. A refusal only delays that; it is logged, nothing more.
    private func announceOwnership(of partitions: [TopicPartition], consumer: KafkaConsumer) {
        let inputs = partitions.filter { $0.topic == configuration.topics.weighEvents }
        let held = Set(assigned.filter { $0.topic == configuration.topics.weighEvents }.map(\.partition))
        engine.ownership.withLock { $0.held = held }
        guard configuration.guarantee == .atLeastOnce, !inputs.isEmpty else { return }
        do {
            let committed = try consumer.committed(inputs, timeoutMs: 5_000).filter { $0.offset >= 0 }
            if !committed.isEmpty { try consumer.commit(announced(committed), sync: true) }
        } catch {
            logger.warning("could not announce this instance as the partitions' owner", metadata: ["error": "\(error)"])
        }
    }

    private func noteRebalance(started: UInt64, assigned: Int, revoked: Int) {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        engine.metrics.rebalance.recordSeconds(seconds)
        engine.engineStatistics.withLock {
            $0.rebalances += 1
            $0.partitionsAssignedTotal += assigned
            $0.partitionsRevokedTotal += revoked
            $0.rebalanceSeconds.observe(seconds: seconds)
        }
    }
}
