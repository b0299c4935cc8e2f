import DICOM
import FileSet
import Foundation
import Imaging
import Media
import WebContent

/// A media creation job: a folder holding the request (REQUEST.json, with the store it
/// draws from), its state (STATE.json) and, once run, its volumes (VOL001.iso, …). The
/// operations follow PS3.4 Annex S: create (N-CREATE), run (N-ACTION Initiate), status
/// (N-GET), cancel (N-ACTION Cancel).
public enum Job {
    struct Stored: Codable { var store: String; var request: MediaRequest }

    public struct RunOptions: Sendable {
        public var copies: Int?
        public var priority: MediaRequest.Priority?
        public var capacity: Int64?
        public var drives: [String] = []
        /// Leave out every instance that cannot go on its volume as it is (a missing Type 1
        /// key, a UID shared with different contents): each is listed as failed (0110H,
        /// processing failure) with why, and the rest is put on media.
        public var skipInvalid = false
        /// Instances in a syntax their profile refuses are rewritten losslessly in one it
        /// allows (`Transcoder.targetSyntax`; PS3.4 Annex S allows lossless changes to fit a
        /// profile) instead of failing with 0122H.
        public var transcode = false
        /// With `transcode`, for a request whose Allow Lossy Compression is YES: images are
        /// compressed lossily at this quality where the volume's profile has a lossy syntax
        /// (`TranscodeStage`; each a new instance).
        public var lossyQuality = 90
        /// A PNG drawn at the top of every label (the station's or hospital's logo).
        public var labelLogo: String?
        public init() {}
    }

    /// N-CREATE: validates the request's syntax and writes the job, IDLE.
    public static func create(_ request: MediaRequest, store: String, job: String) throws {
        let problems = request.problems()
        guard problems.isEmpty else { throw RequestError("the request is not valid:\n  " + problems.joined(separator: "\n  ")) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: store, isDirectory: &isDir), isDir.boolValue else { throw RequestError("store \(store): not a folder") }
        guard mkdir(job, 0o755) == 0 else { throw RequestError("\(job): cannot create the job folder (\(systemErrorText()))") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(Stored(store: absolute(store), request: request)), to: job + "/REQUEST.json")
        try JobState().write(job)
    }

    /// The SOP Instance UIDs a job's request references.
    public static func references(_ job: String) throws -> [String] {
        try read(job).request.references.map(\.sopInstanceUID)
    }

    /// N-GET. A job whose runner died is reported (and recorded) as FAILURE, INTERRUPTED.
    public static func status(_ job: String) throws -> JobState {
        var state = try JobState.read(job)
        if state.status == .PENDING || state.status == .CREATING, let pid = state.pid, !processAlive(pid) {
            state.status = .FAILURE
            state.info = .INTERRUPTED
            state.detail = "the run (process \(pid)) ended before the job was done"
            try state.write(job)
        }
        return state
    }

    /// N-ACTION Cancel: an IDLE or PENDING job becomes FAILURE, CANCELED; a finished one is
    /// refused (C201), one being created too (C202).
    public static func cancel(_ job: String) throws -> JobState {
        var state = try status(job)
        switch state.status {
        case .DONE, .FAILURE: throw RequestError("the media creation request is already completed (\(state.status.rawValue))", code: "C201")
        case .CREATING: throw RequestError("the media creation request is in progress and cannot be interrupted", code: "C202")
        case .IDLE, .PENDING:
            state.status = .FAILURE
            state.info = .CANCELED
            state.detail = "canceled before media creation started"
            try state.write(job)
            return state
        }
    }

    /// What an Initiate would find, without running it: the instances that cannot go on media
    /// (missing 0112H, wrong class 0119H, refused by their profile 0122H) and the bytes of the
    /// rest. The Media Creation Management SCP answers an N-ACTION from it (PS3.4 S.3.2.2.3
    /// lets the response reflect such a check) before it schedules the run.
    public struct Readiness: Sendable {
        public var failed: [JobState.FailedInstance]
        public var bytes: Int64
        /// The Execution Status Info the failures give the job (NO_INSTANCE when one is missing).
        public var info: JobState.Info
    }

    public static func readiness(_ job: String, options: RunOptions = RunOptions()) throws -> Readiness {
        let stored = try read(job)
        let check = try Runner.check(stored.request, store: stored.store, options: options)
        return Readiness(failed: check.failed, bytes: check.bytes, info: check.info)
    }

    /// Records an Initiate refused on its check: FAILURE with the instances that failed, as
    /// a run would have left it (an N-GET then reports them).
    public static func refuse(_ job: String, readiness: Readiness) throws {
        var state = try status(job)
        guard state.status == .IDLE else { return }
        state.status = .FAILURE
        state.info = readiness.info
        state.failed = readiness.failed
        state.detail = "\(readiness.failed.count) instances cannot be put on media"
        try state.write(job)
    }

    /// Runs a job that ended in FAILURE (CANCELED included) again, from the start: its
    /// images, labels and state are removed, the request kept. Any other job is refused.
    public static func retry(_ job: String, options: RunOptions = RunOptions(), progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> JobState {
        let state = try status(job)
        guard state.status == .FAILURE else {
            throw RequestError("only a job that ended in FAILURE (CANCELED included) is retried; this one is \(state.status.rawValue) (\(state.info.rawValue))")
        }
        _ = try read(job)   // the request must still be there
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: job)) ?? [] where name.hasPrefix("VOL") || name.hasPrefix(".VOL") || name.hasPrefix(".fit-") {
            try? fm.removeItem(atPath: job + "/" + name)
        }
        try JobState().write(job)
        return try run(job, options: options, progress: progress)
    }

    static func read(_ job: String) throws -> Stored {
        guard let data = FileManager.default.contents(atPath: job + "/REQUEST.json"),
              let stored = try? JSONDecoder().decode(Stored.self, from: data) else { throw RequestError("\(job)/REQUEST.json: unreadable") }
        return stored
    }

    /// N-ACTION Initiate: finds the instances, builds the volumes, masters them, burns them
    /// when drives are given. A job initiated before is refused (A510).
    public static func run(_ job: String, options: RunOptions = RunOptions(), progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> JobState {
        var state = try status(job)
        guard state.status == .IDLE else {
            throw RequestError("an Initiate Media Creation action has already been received for this job (it is \(state.status.rawValue), \(state.info.rawValue))", code: "A510")
        }
        let stored = try read(job)
        var request = stored.request
        if let c = options.copies { request.copies = c }
        if let p = options.priority { request.priority = p }
        state.status = .PENDING
        state.info = .QUEUED
        state.pid = getpid()
        try state.write(job)
        do {
            try Runner(job: job, store: stored.store, request: request, options: options, progress: progress).run(&state)
        } catch let failure as RunFailure {
            state.status = .FAILURE
            state.info = failure.info
            state.detail = failure.detail
        } catch {
            state.status = .FAILURE
            state.info = .MCD_FAILURE
            state.detail = userText(error)
        }
        state.pid = nil
        try state.write(job)
        return state
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

struct RunFailure: Error {
    var info: JobState.Info
    var detail: String
}
