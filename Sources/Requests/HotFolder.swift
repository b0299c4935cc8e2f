import DICOM
import Foundation

/// A hot folder (how disc publishers are driven): request files dropped into INBOX are run
/// one at a time, higher priority first and oldest first within a priority, each as a job
/// folder under OUT named after the request; its state is copied next to the request as
/// NAME.status.json. The job folder is created (mkdir, atomic) before anything else, so a
/// request is never processed twice, even across a SIGKILL: a job found half done on the
/// next start is marked FAILURE (INTERRUPTED), not run again.
public struct HotFolder {
    public var inbox: String
    public var store: String
    public var out: String
    public var runOptions = Job.RunOptions()

    public init(inbox: String, store: String, out: String) {
        self.inbox = inbox
        self.store = store
        self.out = out
    }

    /// Processes what the inbox holds now; returns the requests it handled.
    @discardableResult
    public func processOnce(log: (String) -> Void = { _ in }) throws -> [String] {
        let fm = FileManager.default
        try fm.createDirectory(atPath: out, withIntermediateDirectories: true)
        let names = (try? fm.contentsOfDirectory(atPath: inbox)) ?? []
        var pending: [(name: String, rank: Int, date: Date)] = []
        for name in names where !name.hasSuffix(".status.json") && !name.hasPrefix(".") && (name.hasSuffix(".dcm") || name.hasSuffix(".json")) {
            let path = inbox + "/" + name
            let date = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date.distantPast
            let priority = (try? MediaRequest.read(path: path).priority) ?? .MED
            pending.append((name, priority.rank, date))
        }
        pending.sort { ($0.rank, $0.date, $0.name) < ($1.rank, $1.date, $1.name) }
        var handled: [String] = []
        for p in pending {
            let stem = String(p.name[..<(p.name.lastIndex(of: ".") ?? p.name.endIndex)])
            let job = out + "/" + stem
            let statusFile = inbox + "/" + stem + ".status.json"
            if fm.fileExists(atPath: job) {
                // Claimed before: report, and settle a run that died, but never run it again.
                var state: JobState
                if let s = try? Job.status(job) { state = s } else {
                    state = JobState()
                    state.status = .FAILURE
                    state.info = .INTERRUPTED
                    state.detail = "the job folder was claimed but never written (killed at its start)"
                    try? state.write(job)
                }
                try? publish(state, to: statusFile)
                continue
            }
            log("running \(p.name)")
            let state: JobState
            do {
                let request = try MediaRequest.read(path: inbox + "/" + p.name)
                try Job.create(request, store: store, job: job)
                state = try Job.run(job, options: runOptions)
            } catch {
                var failed = (try? JobState.read(job)) ?? JobState()
                failed.status = .FAILURE
                failed.info = failed.info == .QUEUED ? .INVALID_REQUEST : failed.info
                failed.detail = userText(error)
                if !fm.fileExists(atPath: job) { try? fm.createDirectory(atPath: job, withIntermediateDirectories: true) }
                try? failed.write(job)
                state = failed
            }
            try publish(state, to: statusFile)
            log("\(p.name): \(state.status.rawValue) \(state.info.rawValue)")
            handled.append(p.name)
        }
        return handled
    }

    /// Runs forever, looking at the inbox every `interval` seconds.
    public func watch(interval: Double = 5, log: (String) -> Void = { _ in }) throws -> Never {
        while true {
            try processOnce(log: log)
            Thread.sleep(forTimeInterval: interval)
        }
    }

    private func publish(_ state: JobState, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeAtomically(try encoder.encode(state), to: path)
    }
}
