#if canImport(Glibc)
import Glibc
#endif

/// Phase timings on stderr when DICOMFS_TIMINGS is set: where a long run spends its time.
struct PhaseTimer {
    private let enabled = getenv("DICOMFS_TIMINGS") != nil
    private var last = PhaseTimer.now()

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let t = Self.now()
        let line = "timing: \(phase) \(Int((t - last) * 1000)) ms\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        last = t
    }
}
