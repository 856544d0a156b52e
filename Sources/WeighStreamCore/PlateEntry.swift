/// What a site remembers of one plate number: the latest weigh of each plate colour seen with it, and the
/// latest exit of each colour.
///
/// Contract 1.1: a plate is the pair (`plate`, `plate_color`) where both records carry a colour, else `plate`
/// alone; `sameVehicle` is that rule. Keeping a plate's colours side by side under its number lets an exit
/// without colour find the weigh of any colour, and an exit with one skip the weigh of another.
public struct PlateEntry: Sendable, Hashable {
    /// Lists that hold their first element in place: most plates are weighed once and leave once.
    public var weighs: InlineList<PlateState> = []
    public var exits: InlineList<ExitMark> = []

    public init() {}

    /// Whether records with these colours are of one vehicle.
    @inline(__always)
    public static func sameVehicle(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }

    /// The latest weigh of the vehicle with colour `color` (consumed or not).
    func latestWeigh(color: String?) -> PlateState? {
        var best: PlateState?
        for w in weighs where Self.sameVehicle(w.color, color) && w.ts >= (best?.ts ?? .min) { best = w }
        return best
    }

    /// Remembers a weigh: it replaces the one of the same colour unless that one is newer.
    mutating func remember(_ weigh: PlateState) { Self.keepLatest(weigh, in: &weighs, color: { $0.color }, ts: { $0.ts }) }

    /// Remembers an exit of a colour, replacing an older one of the same colour.
    mutating func remember(exit mark: ExitMark) { Self.keepLatest(mark, in: &exits, color: { $0.color }, ts: { $0.ts }) }

    /// One entry per colour, the latest; colours are few, and a producer inventing them must not grow one
    /// plate without bound (at most 8, the oldest dropped). Closures rather than key paths: a key path is
    /// looked up at run time on every call (profile: a `swift_getKeyPath` per weigh).
    @inline(__always)
    private static func keepLatest<T>(_ item: T, in list: inout InlineList<T>, color: (T) -> String?, ts: (T) -> Int64) {
        if let i = list.firstIndex(where: { color($0) == color(item) }) {
            if ts(item) >= ts(list[i]) { list[i] = item }
            return
        }
        list.append(item)
        if list.count > 8, let oldest = list.indices.min(by: { ts(list[$0]) < ts(list[$1]) }) {
            list.remove(at: oldest)
        }
    }

    /// The newest time anything of this plate happened: the order in which plates are evicted.
    var newestTs: Int64 {
        var t = Int64.min
        for w in weighs { t = max(t, w.ts) }
        for e in exits { t = max(t, e.ts) }
        return t
    }

    /// Forgets weighs older than `weighCutoff` and exits older than `exitCutoff`; true when nothing is left.
    mutating func expire(weighsBefore weighCutoff: Int64, exitsBefore exitCutoff: Int64) -> Bool {
        weighs.removeAll { $0.ts < weighCutoff }
        exits.removeAll { $0.ts < exitCutoff }
        return weighs.isEmpty && exits.isEmpty
    }
}
