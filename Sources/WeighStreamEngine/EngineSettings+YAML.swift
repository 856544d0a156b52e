import Yams

extension EngineSettings {
    /// Flattens a YAML settings file into dotted keys: nested maps join with `.`, lists become
    /// comma-separated values. Raw librdkafka properties keep their own dots (`kafka: {sasl.password: x}`
    /// becomes `kafka.sasl.password`).
    public static func fromYAML(_ text: String, file: String = "config") throws(EngineError) -> [String: String] {
        let node: Any?
        do {
            node = try Yams.load(yaml: text)
        } catch {
            throw EngineError(.invalidConfiguration, "\(file): not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
        }
        guard let node else { return [:] }
        guard let root = node as? [String: Any] else {
            throw EngineError(.invalidConfiguration, "\(file): expected a map of settings at the top level")
        }
        var out: [String: String] = [:]
        try flatten(root, prefix: "", into: &out, file: file)
        return out
    }

    private static func flatten(_ map: [String: Any], prefix: String, into out: inout [String: String], file: String) throws(EngineError) {
        for (key, value) in map {
            let path = prefix + key
            switch value {
            case let nested as [String: Any]:
                try flatten(nested, prefix: path + ".", into: &out, file: file)
            case let list as [Any]:
                out[path] = try list.map { item throws(EngineError) in try scalar(item, path, file) }.joined(separator: ",")
            default:
                out[path] = try scalar(value, path, file)
            }
        }
    }

    private static func scalar(_ value: Any, _ path: String, _ file: String) throws(EngineError) -> String {
        switch value {
        case let s as String: return s
        case let b as Bool: return String(b)
        case let i as Int: return String(i)
        case let d as Double: return String(d)
        default: throw EngineError(.invalidConfiguration, "\(file): \(path): expected a plain value")
        }
    }
}
