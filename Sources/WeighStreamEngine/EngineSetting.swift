/// One documented setting: its key in the YAML file (dotted for nesting), its environment variable,
/// what it means, its default, and how it changes the configuration.
public struct EngineSetting: Sendable {
    public let key: String
    public let help: String
    public let defaultValue: String
    let apply: @Sendable (inout EngineConfiguration, String) throws(EngineError) -> Void

    /// `WEIGHSTREAM_` and the key in capitals with dots and dashes as underscores.
    public var environmentVariable: String {
        "WEIGHSTREAM_" + key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: Character(target), omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
