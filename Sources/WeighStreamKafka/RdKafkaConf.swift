import CRdKafka
import Logging

/// Builds librdkafka configuration objects. An `rd_kafka_conf_t` is consumed by `rd_kafka_new` on success
/// and must be destroyed by us on every failure path; this type keeps both paths in one place.
enum RdKafkaConf {
    /// A new `rd_kafka_conf_t` with every property set, or the first property librdkafka rejects,
    /// named, with librdkafka's own message.
    static func make(_ properties: [String: String]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .clientCreation, message: "rd_kafka_conf_new returned NULL")
        }
        var errstr = RdKafkaErrorText()
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
            let result = errstr.call { rd_kafka_conf_set(conf, name, value, $0, $1) }
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(code: .invalidConfiguration, message: "invalid setting '\(name)': \(errstr.text)")
            }
        }
        return conf
    }

    /// Creates the client handle; librdkafka owns `conf` from here on when it succeeds.
    static func newClient(type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        var errstr = RdKafkaErrorText()
        guard let rk = errstr.call({ rd_kafka_new(type, conf, $0, $1) }) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(code: .clientCreation, message: "cannot create client: \(errstr.text)")
        }
        return rk
    }

    /// Routes librdkafka's log lines (emitted on its own threads) to the client's `Logger`.
    static func installLogger(on conf: OpaquePointer) {
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, buffer in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let context = Unmanaged<KafkaClientContext>.fromOpaque(opaque).takeUnretainedValue()
            let text = buffer.map { String(cString: $0) } ?? ""
            let fac = facility.map { String(cString: $0) } ?? ""
            context.logger.log(level: Logger.Level(syslog: level), "\(fac): \(text)")
        }
    }
}

extension Logger.Level {
    /// librdkafka logs with syslog levels (0 emergency ... 7 debug).
    init(syslog level: Int32) {
        switch level {
        case ...2: self = .critical
        case 3: self = .error
        case 4: self = .warning
        case 5: self = .notice
        case 6: self = .info
        default: self = .debug
        }
    }
}
