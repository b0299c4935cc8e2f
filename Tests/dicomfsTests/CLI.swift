import Foundation
import Samples
import Testing
import TestSupport

/// Runs the built `dicomfs` binary as a user would.
enum CLI {
    static let repoRoot = External.repoRoot

    static var binary: URL {
        // The test bundle sits next to the products it was built with.
        var dir = Bundle.main.bundleURL
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("dicomfs")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repoRoot.appendingPathComponent(".build/debug/dicomfs")
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
        let r = try External.run(binary.path, arguments, stdin: stdin.map { Data($0.utf8) })
        return Result(status: r.status, stdout: String(decoding: r.stdout, as: UTF8.self), stderr: r.stderr)
    }

    static func sample(_ name: String) -> String { repoRoot.appendingPathComponent("samples/\(name)").path }

    /// A fresh folder `dir` holding `dir/src` with the bundled samples.
    static func sampleSource() throws -> (dir: String, source: String) {
        let dir = try External.tempDirectory().path
        let source = dir + "/src"
        try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
        for s in try SampleFactory.all() { try Data(s.bytes).write(to: URL(fileURLWithPath: source + "/" + s.fileName)) }
        return (dir, source)
    }
}
