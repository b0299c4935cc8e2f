import DICOM
import Foundation

/// What `request status` reports (N-GET of PS3.4 S.3.2.4), kept in JOB/STATE.json and
/// replaced atomically (temporary file, fsync, rename) at every transition.
public struct JobState: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case IDLE, PENDING, CREATING, DONE, FAILURE }

    /// Execution Status Info (2100,0030): the defined terms of PS3.3 C.17.3 dicomfs uses, as
    /// work goes on (QUEUED, BUILDING, MASTERING, BURNING, NORMAL) or as the failure.
    public enum Info: String, Codable, Sendable {
        case QUEUED, BUILDING, MASTERING, BURNING, NORMAL
        case NO_INSTANCE, SET_OVERSIZED, INST_OVERSIZED, INST_AP_CONFLICT, DUPL_REF_INST
        case MCD_FAILURE, CANCELED, INTERRUPTED, INVALID_REQUEST
    }

    public struct FailedInstance: Codable, Sendable, Equatable {
        public var sopClassUID: String
        public var sopInstanceUID: String
        /// PS3.4 failure reason: 0112H no such instance, 0119H class/instance conflict,
        /// 0122H the instance cannot go on the requested profile (transfer syntax).
        public var failureReason: UInt16
        public var detail: String
    }

    public struct Volume: Codable, Sendable, Equatable {
        public var number: Int
        public var fileSetID: String
        public var fileSetUID: String
        public var image: String
        public var instances: [String]
        public var bytes: Int64
        public var burned: Int
        /// The printable labels (VOLnnn.pdf, .png, .svg).
        public var labels: [String] = []
    }

    public var status: Status = .IDLE
    public var info: Info = .QUEUED
    public var detail: String?
    public var piecesCreated = 0
    public var failed: [FailedInstance] = []
    public var volumes: [Volume] = []
    /// What the job did beyond the request's letter, e.g. images compressed losslessly to
    /// fit the medium (nil in jobs written before it was kept).
    public var notes: [String]?
    /// The process running the job, so a later start can tell a crash from a run in progress.
    public var pid: Int32?
    public var updated = ""

    static let fileName = "STATE.json"

    static func read(_ job: String) throws -> JobState {
        guard let data = FileManager.default.contents(atPath: job + "/" + fileName) else {
            throw RequestError("\(job): not a request job (no \(fileName))")
        }
        do { return try JSONDecoder().decode(JobState.self, from: data) } catch { throw RequestError("\(job)/\(fileName): unreadable (not the JSON a job state is)") }
    }

    func write(_ job: String) throws {
        var copy = self
        copy.updated = ISO8601DateFormatter().string(from: Date())
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(copy), to: job + "/" + Self.fileName)
    }
}

/// Temporary file, fsync, rename: a reader sees the old or the new file, never a part.
func writeAtomically(_ data: Data, to path: String) throws {
    let temp = path + ".tmp-\(getpid())"
    guard FileManager.default.createFile(atPath: temp, contents: data), let h = FileHandle(forWritingAtPath: temp) else {
        throw RequestError("cannot write \(temp)")
    }
    try h.synchronize()
    try h.close()
    guard rename(temp, path) == 0 else {
        unlink(temp)
        throw RequestError("cannot replace \(path): \(systemErrorText())")
    }
}

/// Whether a process is alive (a job's runner after a crash is not).
func processAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
