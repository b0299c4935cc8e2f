import Foundation
import Samples
import Testing
import TestSupport

/// `dicomfs serve` as a child process on loopback, with a port the kernel picked (read back
/// from its log), stopped by SIGTERM — or, whatever happens, by its own hidden --stop-after.
final class ServeProcess {
    let dir: String
    let spool: String
    let out: String
    let log: String
    let process = Process()
    private(set) var port = 0

    init(_ extra: [String] = [], idle: Double = 2, lifetime: Double = 120) throws {
        dir = try External.tempDirectory().path
        spool = dir + "/spool"
        out = dir + "/out"
        log = dir + "/serve.log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "0", "--spool", spool, "--out", out, "--idle", String(idle),
                             "--log-level", "debug", "--stop-after", String(lifetime)] + extra
        process.standardError = FileHandle(forWritingAtPath: log)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The log says where it listens; at most 30 s.
        for _ in 0..<300 {
            if let text = try? String(contentsOfFile: log, encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.contains("listening") }),
               let range = line.range(of: "port=") {
                port = Int(line[range.upperBound...].prefix { $0.isNumber }) ?? 0
                if port > 0 { return }
            }
            if !process.isRunning { break }
            usleep(100_000)
        }
        throw ServeError("serve did not start: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
    }

    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// SIGTERM, then wait (at most 30 s).
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for _ in 0..<300 where process.isRunning { usleep(100_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Every file under a folder, relative paths, sorted.
    static func files(_ root: String) -> [String] {
        var out: [String] = []
        let e = FileManager.default.enumerator(atPath: root)
        while let p = e?.nextObject() as? String {
            var d: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + p, isDirectory: &d), !d.boolValue { out.append(p) }
        }
        return out.sorted()
    }

    /// A generated corpus (File-ID names, no extras) of patients × studies × series × images
    /// square images of `size` pixels under `dir`: the files' full paths, sorted.
    static func corpus(_ dir: String, patients: Int, studies: Int, series: Int, images: Int, size: Int) throws -> [String] {
        var g = CorpusGenerator()
        g.patients = patients; g.studiesPerPatient = studies; g.seriesPerStudy = series; g.imagesPerSeries = images
        g.rows = size; g.columns = size; g.naming = .ids; g.extras = false
        return try g.write(to: dir).map { $0.hasPrefix("/") ? $0 : dir + "/" + $0 }.sorted()
    }

    /// Waits until `condition` holds (polling, at most `seconds`).
    static func wait(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(100_000)
        }
        return condition()
    }
}

/// SIGTERM, up to `grace` seconds, then SIGKILL (DCMTK's storescp ignores SIGTERM).
func stopProcess(_ p: Process, grace: Double = 5) {
    guard p.isRunning else { return }
    kill(p.processIdentifier, SIGTERM)
    _ = ServeProcess.wait(grace) { !p.isRunning }
    if p.isRunning { kill(p.processIdentifier, SIGKILL) }
    p.waitUntilExit()
}

struct ServeError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
