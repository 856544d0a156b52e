/// A JSON number as read: exact when it is an integer that fits `Int64`, else a `Double`.

enum JSONNumber: Sendable {
    case integer(Int64)
    case decimal(Double)

    /// The value as an integer when it has no fractional part (`52340.0` counts, `52340.5` does not).
    
    var exactInteger: Int64? {
        switch self {
        case .integer(let v): return v
        case .decimal(let d):
            guard abs(d) < 9.0e15, Double(Int64(d)) == d else { return nil }
            return Int64(d)
        }
    }

    /// The value rounded to the nearest integer (half away from zero).
    
    var roundedInteger: Int64? {
        switch self {
        case .integer(let v): return v
        case .decimal(let d):
            guard d.isFinite, abs(d) < 9.0e15 else { return nil }
            return d.nearestInteger
        }
    }

    
    var double: Double {
        switch self {
        case .integer(let v): Double(v)
        case .decimal(let d): d
        }
    }
}
