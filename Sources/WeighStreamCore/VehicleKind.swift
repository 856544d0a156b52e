/// The vehicle classes of the contract's `vehicle` field.
public enum VehicleKind: UInt8, Sendable, Hashable, CaseIterable {
    /// A rigid goods vehicle.
    case truck
    /// A tractor with trailer(s) (汽车列车).
    case combination

    public var name: String {
        switch self {
        case .truck: "truck"
        case .combination: "combination"
        }
    }
}
