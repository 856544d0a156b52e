/// A partition's event time (the largest `ts` seen on it, or advanced by the idle timeout), the sites whose
/// timers it drives, and the earliest time any of them has something due.
struct PartitionClock: Sendable {
    var time: Int64 = .min
    var due: Int64 = .max
    var sites: Set<String> = []
}
