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

/// A one-line progress bar on stderr, only when stderr is a terminal.
final class ProgressBar: @unchecked Sendable {
    private let enabled = isatty(2) == 1
    private let lock = NSLock()
    private var shown = false

    func update(_ stage: String, _ done: Int, _ total: Int) {
        guard enabled, total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardErrorRaw("\r\(stage) [\(bar)] \(done)/\(total)")
        shown = true
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
        let text = String(format: "\r%@ [%@] %3d%% %6.1f MB/s ETA %d:%02d", stage, bar, Int(done * 100 / total), rate / 1e6, eta / 60, eta % 60)
        FileHandle.standardErrorRaw(text)
        shown = true
    }

    func finish() {
        guard enabled, shown else { return }
        FileHandle.standardErrorRaw("\r\u{1B}[K")
    }
}
