// libFuzzer entry points for dicomfs's readers of untrusted input, built only by Fuzz/run.sh
// (DICOMFS_FUZZ=1 swift build --sanitize fuzzer --sanitize address): libFuzzer's own main
// runs; DICOMFS_FUZZ_TARGET names the target (part10, dicomdir, iso, mime, zip, pdu).
#if canImport(Glibc)
import Glibc
#endif

/// Set once in LLVMFuzzerInitialize, before any input, read by every call after it.
nonisolated(unsafe) var selectedTarget: ([UInt8]) -> Void = fuzzPart10

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let targets: [String: ([UInt8]) -> Void] = [
        "part10": fuzzPart10, "dicomdir": fuzzDICOMDIR, "iso": fuzzISO, "mime": fuzzMIME, "zip": fuzzZIP, "pdu": fuzzPDU,
    ]
    let name = getenv("DICOMFS_FUZZ_TARGET").map { String(cString: $0) } ?? "part10"
    guard let target = targets[name] else {
        print("DICOMFS_FUZZ_TARGET=\(name): targets are \(targets.keys.sorted().joined(separator: ", "))")
        exit(2)
    }
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedTarget(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
