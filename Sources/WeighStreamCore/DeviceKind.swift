/// The devices of a source site that send heartbeats.
public enum DeviceKind: UInt8, Sendable, Hashable, CaseIterable {
    /// A weighbridge controller / lane terminal.
    case scale
    /// A plate camera (weigh lane or gate).
    case camera
    /// The LED display that shows each weighing result.
    case display
    /// The site gateway that uploads to the platform.
    case gateway

    public var name: String {
        switch self {
        case .scale: "scale"
        case .camera: "camera"
        case .display: "display"
        case .gateway: "gateway"
        }
    }
}
