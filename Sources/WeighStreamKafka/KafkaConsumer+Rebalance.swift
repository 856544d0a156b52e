import CRdKafka

extension KafkaConsumer {
    /// Runs inside `poll` or `close` on the caller's thread. The listener sees the change before librdkafka
    /// applies it: a revoke is reported while the partitions are still ours to commit, an assignment before
    /// the first fetch.
    func handleRebalance(err: rd_kafka_resp_err_t, partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) {
        let moving = TopicPartitionList.partitions(partitions)
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        switch err {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            logger.info("partitions assigned", metadata: ["partitions": "\(moving.sorted())", "cooperative": "\(cooperative)"])
            context.rebalanceListener?.partitionsAssigned(moving, consumer: self)
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) {
                    logger.error("incremental assign failed", metadata: ["error": "\(KafkaError.consuming(error))"])
                }
            } else {
                let e = rd_kafka_assign(rk, partitions)
                if e != RD_KAFKA_RESP_ERR_NO_ERROR { logger.error("assign failed", metadata: ["error": "\(KafkaError.from(e))"]) }
            }
            context.assignment.withLock { set in
                if !cooperative { set.removeAll() }
                set.formUnion(moving)
            }
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            let lost = rd_kafka_assignment_lost(rk) != 0
            logger.info("partitions revoked", metadata: ["partitions": "\(moving.sorted())", "lost": "\(lost)"])
            context.rebalanceListener?.partitionsRevoked(moving, lost: lost, consumer: self)
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    logger.error("incremental unassign failed", metadata: ["error": "\(KafkaError.consuming(error))"])
                }
            } else {
                rd_kafka_assign(rk, nil)
            }
            context.assignment.withLock { set in
                if cooperative { set.subtract(moving) } else { set.removeAll() }
            }
        default:
            logger.error("rebalance error", metadata: ["error": "\(KafkaError.from(err))"])
            rd_kafka_assign(rk, nil)
            context.assignment.withLock { $0.removeAll() }
        }
        context.assignmentGeneration.add(1, ordering: .releasing)
    }
}
