import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// Phase timings on stderr when DICOMFS_TIMINGS is set: where a long run spends its time.
struct PhaseTimer {
    private let enabled = getenv("DICOMFS_TIMINGS") != nil
    private var last = MonotonicClock.seconds()

    /// Resident set size now, from /proc/self/statm (0 where there is none).
    static func residentMB() -> Int {
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 128) }
        guard n > 0 else { return 0 }
        let fields = buffer[..<n].split(separator: 0x20)
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
    }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let t = MonotonicClock.seconds()
        let line = "timing: \(phase) \(Int((t - last) * 1000)) ms, resident \(Self.residentMB()) MB\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        last = t
    }
}
