import CRdKafka

/// The librdkafka loaded at run time (which may differ from the headers built against: a newer one can be
/// loaded with `LD_LIBRARY_PATH`).
public enum Librdkafka {
    /// Its version string, such as `2.0.2`.
    public static var version: String { String(cString: rd_kafka_version_str()) }
}
