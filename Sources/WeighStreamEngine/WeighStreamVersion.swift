import Foundation

/// This release of WeighStream, as `weighstream --version` prints it and `weighstream_build_info` labels it.
public enum WeighStreamVersion {
    public static let version = "1.1.0"

    /// The git commit built: stamped by the Dockerfile into `WeighStreamCommit`, else read from the
    /// repository the binary was built in (a development build run where it was built), else `unknown`.
    public static let commit: String = WeighStreamCommit.sha != "unknown" ? WeighStreamCommit.sha : repositoryHead() ?? "unknown"

    private static func repositoryHead() -> String? {
        let git = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".git")
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        else { return nil }
        guard head.hasPrefix("ref: ") else { return String(head.prefix(12)) }
        let ref = String(head.dropFirst(5))
        if let sha = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
            return String(sha.trimmingCharacters(in: .whitespacesAndNewlines).prefix(12))
        }
        // A ref packed by git gc.
        let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        return packed.split(separator: "\n").first { $0.hasSuffix(" " + ref) }.map { String($0.prefix(12)) }
    }
}
