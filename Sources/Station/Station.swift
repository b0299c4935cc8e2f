import DICOM
import Dispatch
import FileSet
import Foundation
import Logging
import Network
import Requests

/// How a station turns a received study into media: the request it makes for it and how the
/// job runs. One recipe per called AE title.
public struct Recipe: Sendable {
    public var profile: ApplicationProfile = .stdGenCD
    /// IHE PDI web content (Include Non-DICOM Objects FOR_PATIENT).
    public var web = false
    /// The offline viewer (Include Display Application YES).
    public var viewer = false
    public var copies = 1
    public var drives: [String] = []
    public var capacity: Int64?
    public var labelText: String?
    /// FULL or COMPACT (`request create --label-style`), and a PNG logo on every label.
    public var labelStyle: LabelStyle?
    public var labelLogo: String?
    /// Group by study (default) or by patient: a disc per study, or per patient.
    public var perPatient = false
    /// Leave out instances the staging refuses instead of failing the job.
    public var skipInvalid = true
    /// Rewrite instances the profile refuses as Explicit VR Little Endian.
    public var transcode = true
    /// The quality (1–100) of lossy compression, made only for a Media Creation request whose
    /// Allow Lossy Compression is YES, where the volume's profile has a lossy syntax.
    public var lossyQuality = Job.RunOptions().lossyQuality
    /// Where this recipe's jobs and images go (default: the station's OUT).
    public var out: String?
    public init() {}

    /// How a job of this recipe runs: the one place a recipe becomes run options, for the
    /// jobs of idle studies and for Media Creation requests alike.
    var runOptions: Job.RunOptions {
        var run = Job.RunOptions()
        run.drives = drives
        run.capacity = capacity
        run.skipInvalid = skipInvalid
        run.transcode = transcode
        run.lossyQuality = lossyQuality
        run.labelLogo = labelLogo
        return run
    }
}

/// The disc station behind `dicomfs serve`: a Storage SCP whose received studies become
/// media creation jobs once nothing has arrived for `idle` seconds. Instances are spooled
/// under SPOOL/AE/STUDY/; a study that went idle is moved whole to OUT/JOB.store and a job
/// (PS3.4 Annex S, the Requests engine) made and run in OUT/JOB. A late instance of a study
/// already taken starts a new one. After a restart the spool's studies wait their idle time
/// again and jobs made but not run are run.
public final class Station: @unchecked Sendable {
    // `@unchecked Sendable`: `waiting` is touched under `lock` only; jobs run one at a time on
    // `jobs`; everything else is set in `init`.
    public struct Options: Sendable {
        public var spool: String
        public var out: String
        public var idleSeconds: Double = 60
        public var recipes: [String: Recipe] = [:]
        /// Receive only: make no jobs.
        public var makeJobs = true
        /// Free space kept on OUT's file system: a job that would leave less waits (an idle
        /// study stays in the spool and is tried again), a Media Creation request is answered
        /// 0213H (resource limitation).
        public var minFreeBytes: Int64 = 0
        public init(spool: String, out: String) { self.spool = spool; self.out = out }
    }

    public let options: Options
    public let spool: Spool
    private let logger: Logger
    private let lock = NSLock()
    private var waiting: [String: Double] = [:]   // "AE/STUDY" → last arrival (monotonic seconds)
    private var patientOf: [String: String] = [:]   // "AE/STUDY" → Patient ID, for recipes grouping by patient
    private let jobs = DispatchQueue(label: "dicomfs.station.jobs")
    private var timer: DispatchSourceTimer?
    private var jobCount = 0
    /// Jobs made and their outcome, for the status file.
    private var finished: [JobSummary] = []

    public struct JobSummary: Codable, Sendable {
        public var job: String
        public var status: String
        public var info: String
        public var instances: Int
        public var images: [String]
    }

    public init(options: Options, logger: Logger) throws {
        self.options = options
        self.logger = logger
        spool = try Spool(root: options.spool)
        try FileManager.default.createDirectory(atPath: options.out, withIntermediateDirectories: true)
    }

    /// Starts the idle clock: studies already in the spool (from before a restart) wait again.
    public func start() {
        for ae in Self.folders(options.spool) where !ae.hasPrefix(".") {
            for study in Self.folders(options.spool + "/" + ae) { touch(ae + "/" + study) }
        }
        if options.makeJobs { resumeJobs() }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        let period = max(0.2, min(5, options.idleSeconds / 4))
        t.schedule(deadline: .now() + period, repeating: period)
        t.setEventHandler { [weak self] in self?.tick() }
        t.resume()
        timer = t
    }

    /// Stops the clock; a job running finishes first.
    public func stop() {
        timer?.cancel()
        jobs.sync {}
        spool.checkpoint()
    }

    /// Called for every instance stored with success.
    func stored(_ outcome: StoreOutcome, request: StoreRequest) {
        guard let path = outcome.path else { return }
        let folder = (path as NSString).deletingLastPathComponent
        let key = String(folder.dropFirst(options.spool.count + 1))
        lock.lock(); if patientOf[key] == nil { patientOf[key] = outcome.patientID ?? "" }; lock.unlock()
        touch(key)
    }

    /// The recipe of a called AE title (as spool folder name: the title with unsafe characters as _).
    private func recipe(_ ae: String) -> Recipe {
        options.recipes[ae] ?? options.recipes.first { $0.key != "*" && Spool.folderName($0.key) == ae }?.value ?? options.recipes["*"] ?? Recipe()
    }

    /// The Patient ID of a spooled study: as received, or (after a restart) from one of its files.
    private func patient(_ key: String) -> String {
        lock.lock(); let known = patientOf[key]; lock.unlock()
        if let known { return known }
        let folder = options.spool + "/" + key
        let id = Self.files(folder).lazy.compactMap { try? DICOMFile.read(path: folder + "/" + $0, options: .headerOnly) }
            .first?.dataSet.string(.patientID) ?? ""
        lock.lock(); patientOf[key] = id; lock.unlock()
        return id
    }

    private func touch(_ key: String) {
        lock.lock(); waiting[key] = MonotonicClock.seconds(); lock.unlock()
    }

    private func tick() {
        let now = MonotonicClock.seconds()
        lock.lock()
        let idle = Set(waiting.filter { now - $0.value >= options.idleSeconds }.map(\.key))
        let all = Array(waiting.keys)
        lock.unlock()
        guard options.makeJobs, !idle.isEmpty else {
            if !options.makeJobs { lock.lock(); for k in idle { waiting[k] = nil }; lock.unlock() }
            return
        }
        // Groups: one study, or for recipes per patient every spooled study of the patient
        // (sent to the same AE title), made only once all of them have gone idle.
        var groups: [[String]] = []
        var taken: Set<String> = []
        for key in idle.sorted() where !taken.contains(key) {
            let ae = String(key.prefix { $0 != "/" })
            guard recipe(ae).perPatient else { groups.append([key]); taken.insert(key); continue }
            let id = patient(key)
            let same = all.filter { $0.hasPrefix(ae + "/") && patient($0) == id }.sorted()
            guard same.allSatisfy(idle.contains) else { continue }
            groups.append(same)
            taken.formUnion(same)
        }
        lock.lock()
        for k in taken { waiting[k] = nil }
        lock.unlock()
        for keys in groups { jobs.async { self.makeJob(keys) } }
    }

    /// The study folder SPOOL/AE/STUDY (or, per patient, every study folder of the group)
    /// becomes OUT/JOB.store and the job OUT/JOB.
    private func makeJob(_ keys: [String]) {
        guard let first = keys.first else { return }
        let ae = String(first.prefix { $0 != "/" })
        let recipe = recipe(ae)
        let base = recipe.out ?? options.out
        // Every instance of the study a file and synced, so none comes back from the journal.
        spool.checkpoint()
        let bytes = keys.reduce(Int64(0)) { $0 + Spool.bytes(under: options.spool + "/" + $1) }
        if let short = DiskSpace.shortfall(at: base, need: DiskSpace.jobNeed(bytes), keep: options.minFreeBytes) {
            logger.warning("not enough space in \(base) for the job of \(keys.joined(separator: ", ")): \(short) bytes short; it waits in the spool")
            for k in keys { touch(k) }
            return
        }
        jobCount += 1
        let name = "\(Self.stamp())-\(ae)-\(jobCount)"
        let job = base + "/" + name
        let store = job + ".store"
        do {
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
            if keys.count == 1 {
                try Self.move(options.spool + "/" + first, to: store)
            } else {
                try FileManager.default.createDirectory(atPath: store, withIntermediateDirectories: false)
                for k in keys { try Self.move(options.spool + "/" + k, to: store + "/" + String(k.drop { $0 != "/" }.dropFirst())) }
            }
        } catch {
            // (What was moved stays in the store; the rest waits in the spool and is tried again.)
            logger.error("cannot move the received studies to \(store); they wait in the spool")
            for k in keys { touch(k) }
            return
        }
        spool.released(bytes)
        lock.lock(); for k in keys { patientOf[k] = nil }; lock.unlock()
        run(job: job, store: store, ae: ae, study: keys.map { String($0.drop { $0 != "/" }.dropFirst()) }.joined(separator: ","))
    }

    /// Moved whole: an instance arriving now goes to a new folder of the same study, and so
    /// to a later job (rename is atomic within the file system); across file systems copied
    /// and removed (not atomic; late instances land in a new folder all the same).
    static func move(_ from: String, to: String) throws {
        if rename(from, to) != 0 { try FileManager.default.moveItem(atPath: from, toPath: to) }
    }

    private func run(job: String, store: String, ae: String, study: String) {
        let recipe = recipe(ae)
        var request = MediaRequest()
        request.fileSetID = nil
        request.labelText = recipe.labelText
        request.labelStyle = recipe.labelStyle?.rawValue
        request.labelFromInstances = true
        request.includeNonDICOM = recipe.web || recipe.viewer ? "FOR_PATIENT" : "NO"
        request.includeDisplayApplication = recipe.viewer
        request.copies = recipe.copies
        for file in Self.allFiles(store) {
            // The meta group the spool wrote names the instance: read by the scan's fast path.
            let path = store + "/" + file
            if let raw = RawHeader.read(path: path), let uid = raw.metaString(.mediaStorageSOPInstanceUID) {
                request.references.append(MediaRequest.Reference(sopClassUID: raw.metaString(.mediaStorageSOPClassUID) ?? "", sopInstanceUID: uid,
                                                                 profile: recipe.profile.name))
                raw.recycle()
            } else if let f = try? DICOMFile.read(path: path, options: .headerOnly), let uid = f.sopInstanceUID {
                request.references.append(MediaRequest.Reference(sopClassUID: f.sopClassUID ?? "", sopInstanceUID: uid, profile: recipe.profile.name))
            }
        }
        // The same instance sent twice with different contents was kept twice; one goes.
        var seen: Set<String> = []
        request.references = request.references.filter { seen.insert($0.sopInstanceUID).inserted }
        do {
            if !FileManager.default.fileExists(atPath: job) {
                try Job.create(request, store: store, job: job)
            }
            let run = recipe.runOptions
            logger.info("job started", metadata: ["job": "\(job)", "study": "\(study)", "instances": "\(request.references.count)"])
            let state = try Job.run(job, options: run)
            logger.info("job ended", metadata: ["job": "\(job)", "status": "\(state.status.rawValue)", "info": "\(state.info.rawValue)",
                                                "volumes": "\(state.volumes.map(\.image).joined(separator: ","))"])
            record(JobSummary(job: job, status: state.status.rawValue, info: state.info.rawValue, instances: request.references.count,
                              images: state.volumes.map { job + "/" + $0.image }))
        } catch {
            logger.error("job failed: \(userText(error))", metadata: ["job": "\(job)"])
            record(JobSummary(job: job, status: "FAILURE", info: "MCD_FAILURE", instances: request.references.count, images: []))
        }
    }

    /// Jobs made but not run before a restart are run; an interrupted one is made again from
    /// its store.
    private func resumeJobs() {
        let outs = Set([options.out] + options.recipes.values.compactMap(\.out))
        for out in outs.sorted() { resumeJobs(in: out) }
    }

    private func resumeJobs(in out: String) {
        for name in Self.folders(out) where !name.hasSuffix(".store") {
            let job = out + "/" + name
            let store = job + ".store"
            guard FileManager.default.fileExists(atPath: store), let state = try? Job.status(job) else { continue }
            let parts = name.split(separator: "-")
            let ae = parts.count >= 3 ? String(parts[2]) : "*"
            if state.status == .IDLE {
                jobs.async { self.run(job: job, store: store, ae: ae, study: "") }
            } else if state.info == .INTERRUPTED {
                jobs.async {
                    self.jobCount += 1
                    let again = out + "/" + Self.stamp() + "-" + ae + "-\(self.jobCount)"
                    guard rename(store, again + ".store") == 0 else { return }
                    self.run(job: again, store: again + ".store", ae: ae, study: "")
                }
            }
        }
    }

    private func record(_ s: JobSummary) {
        lock.lock(); finished.append(s); lock.unlock()
    }

    /// Studies waiting for their idle time, and the jobs made so far.
    public func status() -> (waiting: [String], jobs: [JobSummary]) {
        lock.lock(); defer { lock.unlock() }
        return (waiting.keys.sorted(), finished)
    }

    /// Waits until no study is waiting and no job is running (tests and `--exit-when-idle`).
    public func drain() {
        while true {
            lock.lock(); let empty = waiting.isEmpty; lock.unlock()
            jobs.sync {}
            if empty { return }
            usleep(100_000)
        }
    }

    static func stamp() -> String {
        let f = DateFormatter()
        f.dateFormat = "yyyyMMdd-HHmmss"
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date())
    }

    static func folders(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter {
            var d: ObjCBool = false
            return FileManager.default.fileExists(atPath: path + "/" + $0, isDirectory: &d) && d.boolValue
        }.sorted()
    }

    /// Files below `path`, relative, in order (a per-patient job's store has a folder per study).
    static func allFiles(_ path: String) -> [String] {
        files(path).flatMap { name -> [String] in
            var d: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &d) else { return [] }
            return d.boolValue ? allFiles(path + "/" + name).map { name + "/" + $0 } : [name]
        }
    }

    static func files(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }
}

/// The station's storage: the spool, telling the station of each instance stored.
public struct StationStorage: StorageSink {
    let station: Station

    public init(_ station: Station) { self.station = station }

    public func begin(_ request: StoreRequest) throws -> IncomingInstance {
        Notifying(inner: try station.spool.begin(request), station: station, request: request)
    }

    public func filed() { station.spool.filed() }

    final class Notifying: IncomingInstance {
        let inner: IncomingInstance
        let station: Station
        let request: StoreRequest
        init(inner: IncomingInstance, station: Station, request: StoreRequest) {
            self.inner = inner
            self.station = station
            self.request = request
        }
        func append(_ fragment: [UInt8]) throws { try inner.append(fragment) }
        func finish() -> StoreOutcome {
            let outcome = inner.finish()
            if outcome.path != nil { station.stored(outcome, request: request) }
            return outcome
        }
        func abandon() { inner.abandon() }
    }
}

/// Free space on a file system, for the checks before a job is made.
public enum DiskSpace {
    /// Bytes available to us on the file system holding `path`; nil when it cannot be asked.
    public static func available(at path: String) -> Int64? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    /// Room a job over `bytes` of instances takes in OUT: its image (the instances, the
    /// DICOMDIR and any web content, an eighth more at most for the pages) and a margin.
    public static func jobNeed(_ bytes: Int64) -> Int64 { bytes + bytes / 8 + (16 << 20) }

    /// How many bytes short `path` is of holding `need` while keeping `keep` free; nil: enough
    /// (or the file system cannot be asked, and the write itself will tell).
    public static func shortfall(at path: String, need: Int64, keep: Int64) -> Int64? {
        guard let free = available(at: path) else { return nil }
        let short = need + keep - free
        return short > 0 ? short : nil
    }
}
