import Foundation
import Testing

/// Finds and runs the independent tools the interop tests compare against. In CI (CI=true)
/// a missing tool is a failure; on a developer machine the test is skipped with a note.
public enum External {
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Runs a program and returns its exit status, stdout and stderr.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: Data, stderr: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [program] + arguments
        // stdout through a pipe, stderr through a file: neither can fill up and block the child.
        let out = Pipe()
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("dicomfs-test-\(UUID().uuidString).err")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { try? FileManager.default.removeItem(at: errURL) }
        p.standardOutput = out
        p.standardError = errHandle
        if let stdin {
            let inPipe = Pipe()
            p.standardInput = inPipe
            try p.run()
            inPipe.fileHandleForWriting.write(stdin)
            try inPipe.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        try? errHandle.close()
        let errData = (try? Data(contentsOf: errURL)) ?? Data()
        return (p.terminationStatus, outData, String(decoding: errData, as: UTF8.self))
    }

    /// Returns true when the tool is there; otherwise fails in CI or records a skip note.
    public static func require(_ program: String, because why: String) -> Bool {
        if (try? run("which", [program]))?.status == 0 { return true }
        if inCI { Issue.record("\(program) is required in CI (\(why)); scripts/setup installs it") }
        return false
    }

    /// Whether every one of these programs is on PATH (for `.enabled(if:)`: a test whose tool
    /// is missing shows as skipped, never as passed; `scripts/test` fails on skips under CI).
    public static func has(_ programs: String...) -> Bool {
        programs.allSatisfy { (try? run("which", [$0]))?.status == 0 }
    }

    /// A DCMTK network tool by its Debian path: pynetdicom installs scripts of the same names
    /// (echoscu, storescu, storescp …) that come first on PATH wherever pip puts them.
    public static func dcmtk(_ name: String) -> String { "/usr/bin/" + name }

    public static func hasDCMTK(_ names: String...) -> Bool {
        names.allSatisfy { FileManager.default.isExecutableFile(atPath: dcmtk($0)) }
    }

    public static func hasPythonModule(_ name: String) -> Bool { (try? run("python3", ["-c", "import " + name]))?.status == 0 }

    public static var hasPython: Bool { (try? run("python3", ["-c", "import zipfile"]))?.status == 0 }

    public static var hasPydicom: Bool { (try? run("python3", ["-c", "import pydicom, data_store"]))?.status == 0 }

    /// A fresh empty folder under the system temporary directory.
    public static func tempDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dicomfs-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs a Python snippet with arguments; stdout is returned as text.
    public static func python(_ script: String, _ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        let r = try run("python3", ["-c", script] + arguments, stdin: stdin)
        return (r.status, String(decoding: r.stdout, as: UTF8.self), r.stderr)
    }

    public static func requirePydicom() -> Bool {
        if hasPydicom { return true }
        if inCI { Issue.record("pydicom 3.0.2 and pydicom-data are required in CI; scripts/setup installs them") }
        return false
    }
}
