/// Why an input record was rejected, naming the field. Its `description` is the dead-letter reason.
public struct DecodeError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable {
        /// Not well-formed JSON (or not UTF-8) at or after this field.
        case invalidJSON(String)
        /// Over the 64 KiB limit.
        case tooLarge(Int)
        case missing
        case wrongType(expected: String)
        case unknownVersion(String)
        /// A value no real truck or device produces.
        case impossibleValue(String)
        /// An enumerated field with a value outside its set.
        case unknownValue(String, allowed: [String])
        /// (1.1) The site is not on the published list of source units (`sites.allow`).
        case unknownSite
        /// (1.1) The record would take its site past `max_lanes_per_site` / `max_devices_per_site`.
        case tooManyLanes(Int)
        case tooManyDevices(Int)
    }

    /// The JSON field at fault, or `record` for the record as a whole.
    public var field: String
    public var reason: Reason

    public init(field: String, reason: Reason) {
        self.field = field
        self.reason = reason
    }

    /// Every `code`, for metrics that show each reason from the start.
    public static let codes = [
        "invalid_json", "too_large", "missing_field", "wrong_type", "unknown_version", "impossible_value", "unknown_value",
        "unknown_site", "too_many_lanes", "too_many_devices",
    ]

    /// A short, bounded class of the error, for metrics labels: never a value from the record.
    public var code: String {
        switch reason {
        case .invalidJSON: "invalid_json"
        case .tooLarge: "too_large"
        case .missing: "missing_field"
        case .wrongType: "wrong_type"
        case .unknownVersion: "unknown_version"
        case .impossibleValue: "impossible_value"
        case .unknownValue: "unknown_value"
        case .unknownSite: "unknown_site"
        case .tooManyLanes: "too_many_lanes"
        case .tooManyDevices: "too_many_devices"
        }
    }

    public var description: String {
        switch reason {
        case .invalidJSON(let detail): "\(field): invalid JSON: \(detail)"
        case .tooLarge(let size): "\(field): \(size) bytes is over the 65536-byte limit"
        case .missing: "\(field): required field is missing"
        case .wrongType(let expected): "\(field): wrong type, expected \(expected)"
        case .unknownVersion(let v): "\(field): unknown version \(v), expected 1"
        case .impossibleValue(let detail): "\(field): impossible value: \(detail)"
        case .unknownValue(let value, let allowed):
            "\(field): unknown value \"\(value)\", expected one of \(allowed.joined(separator: ", "))"
        case .unknownSite: "\(field): unknown_site: not on the list of source units (sites.allow)"
        case .tooManyLanes(let max): "\(field): too_many_lanes: the site already has \(max) lanes (max_lanes_per_site)"
        case .tooManyDevices(let max): "\(field): too_many_devices: the site already has \(max) devices (max_devices_per_site)"
        }
    }
}
