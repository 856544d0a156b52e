import WeighStreamCore
import WeighStreamKafka

extension EngineSession {
    /// Splits a batch by shard (partition number modulo shard count) and hands each shard its chunk.
    /// Per record this only reads the partition, compares a topic pointer and an offset; offsets and arrival
    /// times are noted once per run of records from one partition.
    ///
    /// A record below its partition's next expected offset was processed already in this assignment and is
    /// skipped: librdkafka can deliver records again without a rebalance (in any version a fetch the broker
    /// answers with OFFSET_OUT_OF_RANGE, which starts the partition again at `auto.offset.reset`; before
    /// 2.1.1 a fetch answered during an offset validation, as after a leader change; before 2.4.0 the resume
    /// of a partition that was not paused, which this engine does not do). Each site's stored
    /// input position already keeps them from being applied twice, but they were decoded, run through the
    /// processor and counted as input again, a whole partition's worth after a reset to the earliest
    /// offset; here they cost one compare and are counted as delivered again. A new assignment starts
    /// without an expectation: it reads from the committed offset its restored state matches.
    func dispatch(_ batch: KafkaMessageBatch, now: Int64) {
        let count = shards.count
        var perShard = [[ShardEntry]](repeating: [], count: count)
        for s in 0..<count { perShard[s].reserveCapacity(batch.count / count + 16) }
        var topicPointer: UnsafePointer<CChar>?
        var topic: InputTopic?
        var topicName = ""
        var runPartition: Int32 = -1
        var runTopic: InputTopic = .weighEvents
        var runName = ""
        var runOffset: Int64 = -1
        var runExpected: Int64 = -1
        var redelivered = 0
        func closeRun() {
            guard runPartition >= 0, runOffset >= 0 else { return }
            nextOffsets[TopicPartition(runName, runPartition)] = runOffset + 1
            let key = PartitionKey(runTopic, runPartition)
            lastRecordWall[key] = now
            advancedWall[key] = now
        }
        for i in batch.indices {
            let view = batch[i]
            let pointer = view.topicNameCString
            if pointer != topicPointer {
                topicPointer = pointer
                topicName = String(cString: pointer)
                topic = configuration.topics.inputTopic(named: topicName)
            }
            guard let topic else { continue }
            let partition = view.partition
            if partition != runPartition || topic != runTopic {
                closeRun()
                runPartition = partition
                runTopic = topic
                runName = topicName
                runOffset = -1
                runExpected = nextOffsets[TopicPartition(topicName, partition)] ?? -1
            }
            let offset = view.offset
            guard offset >= runExpected else {
                redelivered += 1
                continue
            }
            runOffset = offset
            runExpected = offset + 1
            perShard[Int(partition) % count].append(ShardEntry(index: Int32(i), topic: topic))
        }
        closeRun()
        if redelivered > 0 {
            let total = engine.engineStatistics.withLock { $0.redeliveredInput += redelivered; return $0.redeliveredInput }
            if now - lastRedeliveryLog >= 10_000 {
                lastRedeliveryLog = now
                logger.warning("skipping records the Kafka client delivered again at offsets already processed", metadata: ["total": "\(total)"])
            }
        }
        for s in 0..<count where !perShard[s].isEmpty {
            shards[s].submit(.records(ShardChunk(batch: batch, entries: perShard[s])))
        }
    }

    /// Whether the poll thread should hold off taking records: some shard that is not paused is above its
    /// high water. A shard that stays there for `pauseAfterMs` has the partitions feeding it paused, so
    /// that the other shards' partitions flow again.
    func saturated(now: Int64) -> Bool {
        var holding = false
        for shard in shards where !pausedShards.contains(shard.index) {
            guard shard.queued.load(ordering: .relaxed) > configuration.shardHighWater else {
                saturatedSince.removeValue(forKey: shard.index)
                continue
            }
            let since = saturatedSince[shard.index] ?? now
            saturatedSince[shard.index] = since
            if now - since >= Int64(configuration.pauseAfterMs) {
                pause(shard)
            } else {
                holding = true
            }
        }
        return holding
    }

    private func feeding(_ shard: Shard) -> [TopicPartition] {
        assigned.filter { Int($0.partition) % shards.count == shard.index }.sorted()
    }

    private func pause(_ shard: Shard) {
        let partitions = feeding(shard)
        do {
            try consumer.pause(partitions)
            pausedShards.insert(shard.index)
            saturatedSince.removeValue(forKey: shard.index)
            engine.engineStatistics.withLock { $0.pauses += 1; $0.pausedPartitions += partitions.count }
            logger.debug("paused", metadata: ["shard": "\(shard.index)", "partitions": "\(partitions.count)"])
        } catch {
            logger.warning("pause failed", metadata: ["error": "\(error)"])
        }
    }

    /// Resumes the partitions of paused shards that are back below their low water. librdkafka's own fetch
    /// queue is bounded separately (`queued.max.messages.kbytes`), so memory stays bounded whatever the
    /// input rate.
    func applyBackPressure() {
        for shard in shards where pausedShards.contains(shard.index) {
            guard shard.queued.load(ordering: .relaxed) < configuration.shardLowWater else { continue }
            let partitions = feeding(shard)
            do {
                try consumer.resume(partitions)
                pausedShards.remove(shard.index)
                engine.engineStatistics.withLock { $0.resumes += 1; $0.pausedPartitions = max(0, $0.pausedPartitions - partitions.count) }
            } catch {
                logger.warning("resume failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Event time of a partition silent for the idle timeout moves with the wall clock, so that offline
    /// alarms fire even when a whole topic falls silent. Checked a few times a second, not per poll.
    func idleTick(now: Int64) {
        guard now - lastIdleCheck >= 200 else { return }
        lastIdleCheck = now
        let timeout = Int64(configuration.idleTimeoutMs)
        for (key, last) in lastRecordWall where now - last >= timeout {
            let delta = now - (advancedWall[key] ?? last)
            guard delta >= min(1_000, timeout) else { continue }
            advancedWall[key] = now
            shards[Int(key.partition) % shards.count].submit(.advance(key, by: delta))
        }
    }

}
