import Foundation

/// This process's resident memory, CPU time and open file descriptors, read from /proc (Linux), for the
/// standard `process_*` families. Zeros where /proc is not there.
struct ProcessSample: Sendable, Hashable {
    var residentBytes = 0
    var cpuSeconds = 0.0
    var openFileDescriptors = 0

    static func now() -> ProcessSample {
        var sample = ProcessSample()
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) {
            sample.residentBytes = (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        // utime and stime, fields 14 and 15 of /proc/self/stat, in clock ticks; the command name (field 2)
        // is in parentheses and may hold spaces, so count from after it.
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) {
                sample.cpuSeconds = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        sample.openFileDescriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return sample
    }
}
