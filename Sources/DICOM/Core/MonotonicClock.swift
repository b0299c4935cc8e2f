#if canImport(Glibc)
import Glibc
#endif

/// Seconds on the monotonic clock, for intervals (phase timings, progress rates, idle
/// timers): wall-clock changes never make them negative.
public enum MonotonicClock {
    public static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
