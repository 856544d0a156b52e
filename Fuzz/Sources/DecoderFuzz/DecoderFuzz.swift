import WeighStreamCore

/// libFuzzer's entry point: any bytes, as a `weigh-events` value and as a heartbeat. The decoder must never
/// trap; whatever it accepts must survive encode then decode unchanged.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    if let record = try? InputDecoder.decodeEvent(bytes) {
        let again = try? InputDecoder.decodeEvent(InputEncoder.encode(record))
        precondition(again == record, "weigh-event round trip changed the record")
    }
    if let heartbeat = try? InputDecoder.decodeHeartbeat(bytes) {
        let again = try? InputDecoder.decodeHeartbeat(InputEncoder.encode(.heartbeat(heartbeat)))
        precondition(again == heartbeat, "heartbeat round trip changed the record")
    }
    return 0
}

/// libFuzzer's driver (from `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; hand control to libFuzzer.
@_cdecl("DecoderFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzz(data, size) }
}
