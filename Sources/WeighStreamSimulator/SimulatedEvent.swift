import WeighStreamCore

/// Something that happens at a moment of simulated time.
struct SimulatedEvent: Sendable {
    enum Kind: Sendable {
        case heartbeat(site: Int, device: Int)
        case arrival(site: Int, lane: Int)
        /// A truck's weigh; `over` is its excess plan.
        case weigh(Trip, reweigh: Bool)
        case exit(Trip)
        /// The moment an alarm that depends on time passing becomes due (counted, not emitted).
        case expect(AlarmTypeCount)
        /// A cut-off gateway reconnects and uploads what it buffered.
        case upload(site: Int)
    }

    var ts: Int64
    var order: UInt64
    var kind: Kind
}

/// A truck's trip through a site.
struct Trip: Sendable {
    enum Plan: Sendable { case normal, released, fastReweigh, unload, unweighed }
    var site: Int
    var lane: Int
    var plate: String
    var axles: Int
    var vehicle: WeighStreamCore.VehicleKind
    var grossKg: Int
    var limitKg: Int
    var tareKg: Int
    /// The licence's rated load: not always the limit minus the tare.
    var ratedLoadKg: Int
    var singleDriveAxle: Bool
    var plan: Plan
    var number: Int
}

/// A predicted alarm type and how many.
struct AlarmTypeCount: Sendable {
    var type: UInt8
    var count: Int
}
