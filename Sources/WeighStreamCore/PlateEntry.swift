/// What a site remembers of one plate number: the latest weigh of each plate colour seen with it, and the
/// latest exit of each colour.
///
/// Contract 1.1: a plate is the pair (`plate`, `plate_color`) where both records carry a colour, else `plate`
/// alone; `sameVehicle` is that rule. Keeping a plate's colours side by side under its number lets an exit
/// without colour find the weigh of any colour, and an exit with one skip the weigh of another.
public struct PlateEntry: Sendable, Hashable {
    public var weighs: [PlateState] = []
    public var exits: [ExitMark] = []

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
    mutating func remember(_ weigh: PlateState) {
        if let i = weighs.firstIndex(where: { $0.color == weigh.color }) {
            if weigh.ts >= weighs[i].ts { weighs[i] = weigh }
        } else {
            weighs.append(weigh)
            // Colours are few; a producer inventing them must not grow one plate without bound.
            if weighs.count > 8, let oldest = weighs.indices.min(by: { weighs[$0].ts < weighs[$1].ts }) { weighs.remove(at: oldest) }
        }
    }

    /// Remembers an exit of a colour, replacing an older one of the same colour.
    mutating func remember(exit mark: ExitMark) {
        if let i = exits.firstIndex(where: { $0.color == mark.color }) {
            if mark.ts >= exits[i].ts { exits[i] = mark }
        } else {
            exits.append(mark)
            if exits.count > 8, let oldest = exits.indices.min(by: { exits[$0].ts < exits[$1].ts }) { exits.remove(at: oldest) }
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
