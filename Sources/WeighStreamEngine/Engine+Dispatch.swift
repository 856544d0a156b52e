import WeighStreamCore
import WeighStreamKafka

extension Engine {
    /// Splits a batch by shard (partition number modulo shard count) and hands each shard its chunk.
    /// Per record this only reads the partition and compares a topic pointer; offsets and arrival times are
    /// noted once per run of records from one partition.
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
        func closeRun() {
            guard runPartition >= 0 else { return }
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
                topic = topicName == configuration.topics.weighEvents ? .weighEvents
                    : topicName == configuration.topics.heartbeats ? .heartbeats : nil
            }
            guard let topic else { continue }
            let partition = view.partition
            if partition != runPartition || topic != runTopic {
                closeRun()
                runPartition = partition
                runTopic = topic
                runName = topicName
            }
            runOffset = view.offset
            perShard[Int(partition) % count].append(ShardEntry(index: Int32(i), topic: topic))
        }
        closeRun()
        for s in 0..<count where !perShard[s].isEmpty {
            shards[s].submit(.records(ShardChunk(batch: batch, entries: perShard[s])))
        }
    }

    /// Pauses the partitions feeding a shard that has more than the high water of records queued, and
    /// resumes them once it is below the low water. librdkafka's own fetch queue is bounded separately
    /// (`queued.max.messages.kbytes`), so memory stays bounded whatever the input rate.
    func applyBackPressure() {
        let count = shards.count
        for shard in shards {
            let depth = shard.queued.load(ordering: .relaxed)
            let feeding = assigned.filter { Int($0.partition) % count == shard.index }.sorted()
            if !pausedShards.contains(shard.index), depth > configuration.shardHighWater {
                do {
                    try consumer.pause(feeding)
                    pausedShards.insert(shard.index)
                    engineStatistics.withLock { $0.pauses += 1; $0.pausedPartitions += feeding.count }
                    logger.debug("paused", metadata: ["shard": "\(shard.index)", "queued": "\(depth)"])
                } catch {
                    logger.warning("pause failed", metadata: ["error": "\(error)"])
                }
            } else if pausedShards.contains(shard.index), depth < configuration.shardLowWater {
                do {
                    try consumer.resume(feeding)
                    pausedShards.remove(shard.index)
                    engineStatistics.withLock { $0.resumes += 1; $0.pausedPartitions = max(0, $0.pausedPartitions - feeding.count) }
                } catch {
                    logger.warning("resume failed", metadata: ["error": "\(error)"])
                }
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
