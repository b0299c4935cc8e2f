import DICOM
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Printing for commands: text, JSON for scripts, and a progress bar on a terminal.
enum Output {
    static func text(_ s: String) { FileHandle.standardOutput(s) }

    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) {
            FileHandle.standardOutput(String(decoding: data, as: UTF8.self) + "\n")
        }
    }
}

/// A one-line progress bar on stderr, only when stderr is a terminal (quiet in pipes, logs
/// and CI): the phase by name ("scanning 4,864 of 4,898"), an ETA once the phase has run for
/// a few seconds, the rest of the line cleared each time (no stale characters), at most ten
/// redraws a second. `@unchecked Sendable`: every mutable field is touched only under `lock`.
final class ProgressBar: @unchecked Sendable {
    private let enabled = isatty(2) == 1
    private let lock = NSLock()
    private var shown = false
    private var phase = ""
    private var phaseStart = 0.0
    private var lastDraw = 0.0
    /// Bytes the current phase has read so far, for a rate beside the counts (0: none said).
    private var phaseBytes: Int64 = 0

    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    func update(_ stage: String, _ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let t = MonotonicClock.seconds()
        if stage != phase { phase = stage; phaseStart = t; lastDraw = 0; phaseBytes = 0 }
        guard t - lastDraw >= 0.1 || done >= total else { return }
        lastDraw = t
        let width = 24
        let filled = min(width, max(0, done) * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var text = "\r\(stage) \(Self.grouped(min(done, total))) of \(Self.grouped(total)) [\(bar)]"
        let elapsed = t - phaseStart
        if phaseBytes > 0, elapsed >= 0.5 { text += String(format: " %.1f MB/s", Double(phaseBytes) / elapsed / 1e6) }
        if elapsed >= 3, done > 0, done < total {
            let left = Int(elapsed / Double(done) * Double(total - done))
            text += String(format: " ETA %d:%02d", left / 60, left % 60)
        }
        FileHandle.standardErrorRaw(text + "\u{1B}[K")
        shown = true
    }

    /// The bytes the current phase has read so far (shown as a rate on the next update).
    func read(_ bytes: Int64) {
        lock.lock(); defer { lock.unlock() }
        phaseBytes = max(phaseBytes, bytes)
    }

    /// A write: percent, MB/s and time left.
    func transfer(_ stage: String, done: Int64, total: Int64, seconds: Double) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 30
        let filled = Int(min(Int64(width), done * Int64(width) / total))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
        let text = String(format: "\r%@ [%@] %3d%% %6.1f MB/s ETA %d:%02d\u{1B}[K", stage, bar, Int(done * 100 / total), rate / 1e6, eta / 60, eta % 60)
        FileHandle.standardErrorRaw(text)
        shown = true
    }

    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardErrorRaw("\r\u{1B}[K")
    }
}
