import DICOM
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The spool of a Storage SCP: each instance becomes a Part 10 file (the meta group made from
/// the association: Source AE Title, the negotiated transfer syntax, our Implementation Class
/// UID) at `CALLED_AE/STUDY_UID/SOP_INSTANCE_UID.dcm`, and is durable before the success
/// response, so an instance that was answered with success survives a crash.
///
/// Durable how: an instance of up to `SpooledInstance.keptBytes` is copied into the journal
/// (`SpoolJournal`) and that is synced; its file is written in the background and retired
/// by the next checkpoint. A larger one is written into `.incoming/`, synced, renamed into
/// place and the folder synced — its transfer outlasts the syncs by far.
public final class Spool: StorageSink, @unchecked Sendable {
    // `@unchecked Sendable`: `root` and the limits never change; the counter is under `lock`.
    public let root: String
    /// Refuse an instance larger than this (A700).
    public var maxInstanceBytes: Int = 4 << 30
    /// Refuse instances (A700) once the spool holds this many bytes; nil: no limit but the disk.
    public var maxSpoolBytes: Int64?
    let lock = NSLockLike()
    var counter = 0
    /// Bytes of the instances in the spool: counted once at start, then kept up to date as
    /// instances arrive and studies leave for jobs (`released`).
    var held: Int64 = 0
    let journal: SpoolJournal
    /// Serialises the journal's writes and its checkpoints.
    let journalLock = NSLockLike()
    /// Writes the journaled instances' files, in order.
    let filer = DispatchQueue(label: "dicomfs.spool.filer")
    /// Targets journaled whose file is not written yet (under `lock`).
    var pending: Set<String> = []
    /// Journaled instances waiting for the filer, and whether a filer run is scheduled (under
    /// `lock`). The filer runs every few milliseconds, not once an instance: waking a thread
    /// per instance costs the SCP a context switch on the path to its response.
    var toFile: [(target: String, bytes: [UInt8])] = []
    var filerScheduled = false
    /// Journaled instances whose file could not be written yet (disk full): retried before a
    /// checkpoint, which waits for them (under `lock`).
    var unfiled: [(target: String, bytes: [UInt8])] = []
    var lastAppend = 0.0
    /// Files the filer wrote since a checkpoint's `syncfs` began (nil: not counting).
    var filedSince: [String]?
    private var idleTimer: DispatchSourceTimer?

    /// Opens (or makes) the spool at `root`. Fragments a crash cut off are removed (they were
    /// never answered); instances journaled before a crash but not yet retired are written as
    /// files again. `journalBytes`: the journal's size, the most that waits for a checkpoint.
    /// `idleCheckpoints`: retire the journal half a second after the last store (tests turn
    /// it off to look at the journal itself).
    public init(root: String, journalBytes: Int = 32 << 20, idleCheckpoints: Bool = true) throws {
        self.root = root
        try Self.makeDirectories(root)
        try Self.makeDirectory(root + "/.incoming")
        for name in Self.list(root + "/.incoming") { _ = unlink(root + "/.incoming/" + name) }
        journal = try SpoolJournal(path: root + "/.journal", capacity: journalBytes)
        let records = journal.recover()
        for record in records { try restore(record) }
        if !records.isEmpty { Self.syncFileSystem(root) }
        try journal.reset()
        // The journal and .incoming are not instances.
        held = Self.list(root).filter { !$0.hasPrefix(".") }.reduce(Int64(0)) { $0 + Self.bytes(under: root + "/" + $1) }
        guard idleCheckpoints else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + 0.5, repeating: 0.5)
        timer.setEventHandler { [weak self] in self?.checkpointWhenIdle() }
        timer.resume()
        idleTimer = timer
    }

    deinit { idleTimer?.cancel() }

    /// Folders this spool made and that still exist (checked with one stat: a study folder
    /// moves away to a job).
    private var made: Set<String> = []
    func madeBefore(_ folder: String) -> Bool {
        lock.lock(); let known = made.contains(folder); lock.unlock()
        var st = stat()
        if known && stat(folder, &st) == 0 { return true }
        lock.lock(); made.insert(folder); lock.unlock()
        return false
    }

    /// Bytes of the instances the spool holds now.
    public var heldBytes: Int64 { lock.lock(); defer { lock.unlock() }; return held }

    /// A study left the spool (moved to a job): its bytes no longer count.
    public func released(_ bytes: Int64) {
        lock.lock(); held = max(0, held - bytes); lock.unlock()
    }

    /// Whether `more` bytes still fit under `maxSpoolBytes`.
    func fits(_ more: Int64) -> Bool {
        guard let max = maxSpoolBytes else { return true }
        lock.lock(); defer { lock.unlock() }
        return held + more <= max
    }

    /// Bytes of the regular files below `path` (links not followed).
    public static func bytes(under path: String) -> Int64 {
        var total: Int64 = 0
        for name in list(path) {
            var st = stat()
            guard lstat(path + "/" + name, &st) == 0 else { continue }
            if st.st_mode & S_IFMT == S_IFDIR { total += bytes(under: path + "/" + name) }
            else if st.st_mode & S_IFMT == S_IFREG { total += Int64(st.st_size) }
        }
        return total
    }

    public func begin(_ request: StoreRequest) throws -> IncomingInstance {
        guard UIDCheck.isSafe(request.sopInstanceUID) else { throw StoreFailure(Status.cannotUnderstand, "Affected SOP Instance UID \"\(request.sopInstanceUID)\" is not a valid UID") }
        guard UIDCheck.isSafe(request.sopClassUID) else { throw StoreFailure(Status.cannotUnderstand, "Affected SOP Class UID \"\(request.sopClassUID)\" is not a valid UID") }
        guard fits(1) else {
            throw StoreFailure(Status.outOfResources, "the spool is full: it holds \(heldBytes) bytes, its limit is \(maxSpoolBytes ?? 0)")
        }
        var meta = Part10Writer.meta(sopClassUID: request.sopClassUID, sopInstanceUID: request.sopInstanceUID,
                                     transferSyntax: TransferSyntax(uid: request.transferSyntaxUID))
        meta.set(.sourceApplicationEntityTitle, .AE, request.callingAE)
        let header = try Part10Writer.header(meta: meta)
        return SpooledInstance(spool: self, request: request, header: header)
    }

    /// A temporary file in `.incoming` for an instance too large to keep in memory.
    func temporary() throws -> (path: String, fd: Int32) {
        lock.lock(); counter += 1; let n = counter; lock.unlock()
        let temp = root + "/.incoming/\(getpid())-\(n).part"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StoreFailure(Status.outOfResources, "cannot create a file in the spool (\(systemErrorText()))") }
        return (temp, fd)
    }

    /// A received instance: a synced file in `.incoming`, or (small ones) bytes to journal.
    enum Received {
        case file(String)
        case bytes([UInt8])

        func header() -> DICOMFile? {
            switch self {
            case .file(let path): return try? DICOMFile.read(path: path, options: .headerOnly)
            case .bytes(let b): return try? DICOMFile.read(bytes: b, options: .headerOnly)
            }
        }
        func whole() -> DICOMFile? {
            switch self {
            case .file(let path): return try? DICOMFile.read(path: path)
            case .bytes(let b): return try? DICOMFile.read(bytes: b)
            }
        }
        func tail(from offset: Int) -> [UInt8]? {
            switch self {
            case .file(let path): return Spool.readTail(path, from: offset)
            case .bytes(let b): return offset <= b.count ? Array(b[offset...]) : nil
            }
        }
        func discard() { if case .file(let path) = self { _ = unlink(path) } }
    }

    /// Puts a finished instance in place: `CALLED_AE/STUDY/UID.dcm`; an identical earlier copy
    /// makes this one redundant (success), a different one is kept beside it (warning).
    func publish(_ received: Received, request: StoreRequest, dataSetOffset: Int) -> StoreOutcome {
        // Three values of the header, by the scan's fast path (from memory for small
        // instances, else from the file); the general reader for what it declines.
        let raw: RawHeader?
        switch received {
        case .bytes(let b): raw = RawHeader.read(source: MemoryByteSource(b))
        case .file(let path): raw = RawHeader.read(path: path)
        }
        let (studyValue, patient, inner) = Self.keys(raw, received)
        let study = studyValue.flatMap { UIDCheck.isSafe($0) ? $0 : nil }
        if let inner, !inner.isEmpty, inner != request.sopInstanceUID {
            received.discard()
            return StoreOutcome(status: Status.dataSetMismatch, comment: "the data set's SOP Instance UID \(inner) is not the command's \(request.sopInstanceUID)")
        }
        let ae = Self.folderName(request.calledAE)
        let folder = root + "/" + ae + "/" + (study ?? "UNKNOWN_STUDY")
        if case .file = received {
            do {
                // Folders made before are not made again (two mkdir calls an instance saved).
                if !madeBefore(folder) {
                    try Self.makeDirectory(root + "/" + ae)
                    try Self.makeDirectory(folder)
                }
            } catch {
                received.discard()
                return StoreOutcome(status: Status.outOfResources, comment: "cannot make \(folder): \(NetworkError.reason(error))")
            }
        }
        var target = folder + "/" + request.sopInstanceUID + ".dcm"
        var status = Status.success
        var comment: String?
        // An earlier copy still with the filer is written first, then compared as a file.
        lock.lock(); let queued = pending.contains(target); lock.unlock()
        if queued { fileAll() }
        lock.lock()
        if access(target, F_OK) == 0 {
            if Self.sameDataSet(received, target) {
                lock.unlock()
                received.discard()
                return StoreOutcome(status: Status.success, comment: nil, path: target, studyInstanceUID: study, patientID: patient)
            }
            var k = 1
            while access(folder + "/" + request.sopInstanceUID + ".\(k).dcm", F_OK) == 0 || pending.contains(folder + "/" + request.sopInstanceUID + ".\(k).dcm") { k += 1 }
            target = folder + "/" + request.sopInstanceUID + ".\(k).dcm"
            status = Status.coercion
            comment = "SOP Instance UID \(request.sopInstanceUID) was received before with different contents; this copy is kept beside it"
        }
        if case .bytes = received { pending.insert(target) }
        lock.unlock()
        switch received {
        case .bytes(let b):
            do { try journal(target, b) } catch {
                lock.lock(); pending.remove(target); lock.unlock()
                let f = error as? StoreFailure
                return StoreOutcome(status: f?.status ?? Status.outOfResources, comment: f?.comment ?? "cannot journal the instance")
            }
            lock.lock(); held += Int64(b.count); lock.unlock()
        case .file(let temp):
            guard rename(temp, target) == 0 else {
                let why = systemErrorText()
                _ = unlink(temp)
                return StoreOutcome(status: Status.outOfResources, comment: "cannot move the instance into the spool (\(why))")
            }
            // The new entry is made durable; the old name's removal from .incoming need not be
            // (a restart clears .incoming anyway).
            FileWriting.sync(folder, folder: true)
            var st = stat()
            if stat(target, &st) == 0 { lock.lock(); held += Int64(st.st_size); lock.unlock() }
        }
        return StoreOutcome(status: status, comment: comment, path: target, studyInstanceUID: study, patientID: patient)
    }

    /// Study Instance UID, Patient ID and SOP Instance UID of a received instance.
    private static func keys(_ raw: RawHeader?, _ received: Received) -> (study: String?, patient: String?, sop: String?) {
        if let raw {
            defer { raw.recycle() }
            return (raw.string(.studyInstanceUID), raw.string(.patientID), raw.string(.sopInstanceUID))
        }
        let ds = received.header()?.dataSet
        return (ds?.string(.studyInstanceUID), ds?.string(.patientID), ds?.string(.sopInstanceUID))
    }

    /// The called AE title as a folder name: A–Z 0–9 _ - kept, anything else _.
    public static func folderName(_ ae: String) -> String {
        let s = String(ae.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
        return s.isEmpty ? "_" : s
    }

    /// Whether a received instance and a spooled file hold the same data set: equal bytes
    /// after the meta group, or, when one came in another transfer syntax, equal once both are
    /// decoded and encoded again the same way.
    static func sameDataSet(_ a: Received, _ b: String) -> Bool {
        // Headers first (offsets and syntaxes); the bytes after the meta group compared as
        // they are when the syntaxes agree; decoded only when they do not.
        guard let x = a.header(), let y = try? DICOMFile.read(path: b, options: .headerOnly) else { return false }
        if x.transferSyntax.uid == y.transferSyntax.uid {
            guard let xa = a.tail(from: x.dataSetOffset), let yb = readTail(b, from: y.dataSetOffset) else { return false }
            return xa == yb
        }
        guard let xf = a.whole(), let yf = try? DICOMFile.read(path: b),
              let xe = try? DataSetEncoder(explicitVR: false).encode(xf.dataSet), let ye = try? DataSetEncoder(explicitVR: false).encode(yf.dataSet) else { return false }
        return xe == ye
    }

    static func readTail(_ path: String, from offset: Int) -> [UInt8]? {
        guard let source = try? FileByteSource(path: path) else { return nil }
        return (try? source.readBytes(at: offset, count: source.size - offset)) ?? nil
    }

    static func makeDirectories(_ path: String) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            try makeDirectory(prefix)
        }
    }

    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw StoreFailure(Status.outOfResources, "cannot create \(path) (\(systemErrorText()))") }
    }

    static func list(_ path: String) -> [String] {
        guard let d = opendir(path) else { return [] }
        defer { closedir(d) }
        var out: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { out.append(name) }
        }
        return out.sorted()
    }
}
