import Foundation
import Testing

/// Runs the built `dicomfs` binary as a user would.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

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

    static func run(_ arguments: [String], program: URL? = nil, stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = program ?? binary
        p.arguments = arguments
        p.currentDirectoryURL = repoRoot
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("dicomfs-cli-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        p.standardOutput = out
        p.standardError = errHandle
        if let stdin {
            let inPipe = Pipe()
            p.standardInput = inPipe
            try p.run()
            inPipe.fileHandleForWriting.write(Data(stdin.utf8))
            try inPipe.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try? errHandle.close()
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return Result(status: p.terminationStatus, stdout: String(decoding: data, as: UTF8.self), stderr: err)
    }

    static func python(_ script: String, _ arguments: [String] = [], stdin: String? = nil) throws -> Result {
        try run(["-c", script] + arguments, program: URL(fileURLWithPath: "/usr/bin/env").appendingPathComponent(""), stdin: stdin)
    }

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func requirePydicom() throws -> Bool {
        let r = try run(["python3", "-c", "import pydicom"], program: URL(fileURLWithPath: "/usr/bin/env"))
        if r.status == 0 { return true }
        if inCI { Issue.record("pydicom is required in CI; scripts/setup installs it") }
        return false
    }

    static func sample(_ name: String) -> String { repoRoot.appendingPathComponent("samples/\(name)").path }
}
