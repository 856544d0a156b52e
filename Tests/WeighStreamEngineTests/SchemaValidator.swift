import Foundation

/// The subset of JSON Schema (2020-12) the docs/schemas files use: type (one or a list), const, enum,
/// required, properties, additionalProperties (false, or true to say so), items, maxItems, oneOf, minimum,
/// maximum, exclusiveMinimum, exclusiveMaximum, minLength, maxLength.
/// A keyword it does not know fails validation, so the schemas cannot silently outgrow it.
struct SchemaValidator {
    let schema: [String: Any]

    init(file: URL) throws {
        schema = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
    }

    func errors(_ value: Any) -> [String] { check(value, schema, path: "$") }

    private static let known: Set<String> = [
        "$schema", "$id", "title", "description", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "maxItems", "oneOf", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
        "minLength", "maxLength",
    ]

    private func check(_ value: Any, _ s: [String: Any], path: String) -> [String] {
        var errors: [String] = []
        for key in s.keys where !Self.known.contains(key) { errors.append("\(path): unsupported keyword \(key)") }
        if let types = s["type"] {
            let list = (types as? [String]) ?? [types as! String]
            if !list.contains(where: { Self.matches(value, $0) }) { errors.append("\(path): expected \(list), got \(value)") }
        }
        if let c = s["const"], !Self.equal(value, c) { errors.append("\(path): expected \(c)") }
        if let options = s["enum"] as? [Any], !options.contains(where: { Self.equal(value, $0) }) {
            errors.append("\(path): \(value) not in \(options)")
        }
        if let n = Self.number(value) {
            if let min = s["minimum"].flatMap(Self.number), n < min { errors.append("\(path): \(n) < \(min)") }
            if let max = s["maximum"].flatMap(Self.number), n > max { errors.append("\(path): \(n) > \(max)") }
            if let min = s["exclusiveMinimum"].flatMap(Self.number), n <= min { errors.append("\(path): \(n) <= \(min)") }
            if let max = s["exclusiveMaximum"].flatMap(Self.number), n >= max { errors.append("\(path): \(n) >= \(max)") }
        }
        if let text = value as? String {
            if let min = s["minLength"] as? Int, text.count < min { errors.append("\(path): shorter than \(min)") }
            if let max = s["maxLength"] as? Int, text.count > max { errors.append("\(path): longer than \(max)") }
        }
        if let object = value as? [String: Any] {
            for key in (s["required"] as? [String]) ?? [] where object[key] == nil { errors.append("\(path): missing \(key)") }
            let properties = (s["properties"] as? [String: [String: Any]]) ?? [:]
            for (key, child) in object {
                if let sub = properties[key] {
                    errors += check(child, sub, path: "\(path).\(key)")
                } else if let sub = s["additionalProperties"] as? [String: Any] {
                    errors += check(child, sub, path: "\(path).\(key)")
                } else if s["additionalProperties"] as? Bool == false {
                    errors.append("\(path): unexpected property \(key)")
                }
            }
        }
        if let array = value as? [Any], let max = s["maxItems"] as? Int, array.count > max { errors.append("\(path): more than \(max) items") }
        if let array = value as? [Any], let items = s["items"] as? [String: Any] {
            for (i, item) in array.enumerated() { errors += check(item, items, path: "\(path)[\(i)]") }
        }
        if let options = s["oneOf"] as? [[String: Any]] {
            let passing = options.filter { check(value, $0, path: path).isEmpty }.count
            if passing != 1 { errors.append("\(path): matches \(passing) of oneOf, not exactly 1") }
        }
        return errors
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer": return number(value).map { $0 == $0.rounded() } ?? false
        case "number": return number(value) != nil
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumbers of ObjC type `c`.
    private static func isBoolean(_ value: Any) -> Bool {
        (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
    }

    private static func number(_ value: Any) -> Double? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    private static func equal(_ a: Any, _ b: Any) -> Bool {
        if a is NSNull || b is NSNull { return a is NSNull && b is NSNull }
        if let x = a as? String, let y = b as? String { return x == y }
        if let x = number(a), let y = number(b) { return x == y }
        return false
    }
}
