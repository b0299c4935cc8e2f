import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// What a Storage SCP is asked to store: from the C-STORE-RQ and the association.
public struct StoreRequest: Sendable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var transferSyntaxUID: String
    public var callingAE: String
    public var calledAE: String
}

/// How a store ended: the C-STORE-RSP status, an Error Comment, and where the file is.
public struct StoreOutcome: Sendable {
    public var status: UInt16
    public var comment: String?
    /// The stored file (nil on failure).
    public var path: String?
    public var studyInstanceUID: String?
    public var patientID: String?
}

/// Where received instances go. `begin` is called on the association's I/O queue, and so is
/// everything on the returned instance, in order.
public protocol StorageSink: Sendable {
    func begin(_ request: StoreRequest) throws -> IncomingInstance
}

/// One instance being received: fragments appended as they arrive, then made durable.
public protocol IncomingInstance: AnyObject {
    func append(_ fragment: [UInt8]) throws
    /// Syncs and publishes the file; the outcome is what the SCP answers. Called once.
    func finish() -> StoreOutcome
    /// The association ended before the last fragment: nothing of it may remain.
    func abandon()
}

/// The spool of a Storage SCP: each instance is written as a Part 10 file (the meta group
/// made from the association: Source AE Title, the negotiated transfer syntax, our
/// Implementation Class UID) into `.incoming/`, synced, then renamed to
/// `CALLED_AE/STUDY_UID/SOP_INSTANCE_UID.dcm` and the folder synced — all before the success
/// response, so an instance that was answered with success survives a crash.
public final class Spool: StorageSink, @unchecked Sendable {
    // `@unchecked Sendable`: `root` and the limits never change; the counter is under `lock`.
    public let root: String
    /// Refuse an instance larger than this (A700).
    public var maxInstanceBytes: Int = 4 << 30
    /// Refuse instances (A700) once the spool holds this many bytes; nil: no limit but the disk.
    public var maxSpoolBytes: Int64?
    private let lock = NSLockLike()
    private var counter = 0
    /// Bytes of the instances in the spool: counted once at start, then kept up to date as
    /// instances arrive and studies leave for jobs (`released`).
    private var held: Int64 = 0

    public init(root: String) throws {
        self.root = root
        try Self.makeDirectories(root)
        try Self.makeDirectory(root + "/.incoming")
        // Fragments of instances a crash cut off were never answered with success.
        for name in Self.list(root + "/.incoming") { _ = unlink(root + "/.incoming/" + name) }
        held = Self.bytes(under: root)
    }

    /// Folders this spool made and that still exist (checked with one stat: a study folder
    /// moves away to a job).
    private var made: Set<String> = []
    private func madeBefore(_ folder: String) -> Bool {
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
        lock.lock(); counter += 1; let n = counter; lock.unlock()
        let temp = root + "/.incoming/\(getpid())-\(n).part"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw StoreFailure(Status.outOfResources, "cannot create a file in the spool (\(errnoText()))") }
        let incoming = SpooledInstance(spool: self, request: request, temp: temp, fd: fd, dataSetOffset: header.count)
        try incoming.write(header)
        return incoming
    }

    /// Moves a finished file into place: `CALLED_AE/STUDY/UID.dcm`; an identical earlier copy
    /// makes this one redundant (success), a different one is kept beside it (warning).
    fileprivate func publish(_ temp: String, request: StoreRequest, dataSetOffset: Int, bytes: [UInt8]?) -> StoreOutcome {
        // Three values of the header, by the scan's fast path (from the bytes still in memory
        // for small instances, else from the file); the general reader for what it declines.
        let (studyValue, patient, inner) = Self.keys(bytes.flatMap { RawHeader.read(source: MemoryByteSource($0)) } ?? RawHeader.read(path: temp), temp: temp)
        let study = studyValue.flatMap { UIDCheck.isSafe($0) ? $0 : nil }
        if let inner, !inner.isEmpty, inner != request.sopInstanceUID {
            _ = unlink(temp)
            return StoreOutcome(status: Status.dataSetMismatch, comment: "the data set's SOP Instance UID \(inner) is not the command's \(request.sopInstanceUID)")
        }
        let ae = Self.folderName(request.calledAE)
        let folder = root + "/" + ae + "/" + (study ?? "UNKNOWN_STUDY")
        do {
            // Folders made before are not made again (two mkdir calls an instance saved).
            if !madeBefore(folder) {
                try Self.makeDirectory(root + "/" + ae)
                try Self.makeDirectory(folder)
            }
        } catch {
            _ = unlink(temp)
            return StoreOutcome(status: Status.outOfResources, comment: "cannot make \(folder): \(NetworkError.reason(error))")
        }
        var target = folder + "/" + request.sopInstanceUID + ".dcm"
        var status = Status.success
        var comment: String?
        if access(target, F_OK) == 0 {
            if Self.sameDataSet(temp, target, from: dataSetOffset) {
                _ = unlink(temp)
                return StoreOutcome(status: Status.success, comment: nil, path: target, studyInstanceUID: study, patientID: patient)
            }
            var k = 1
            while access(folder + "/" + request.sopInstanceUID + ".\(k).dcm", F_OK) == 0 { k += 1 }
            target = folder + "/" + request.sopInstanceUID + ".\(k).dcm"
            status = Status.coercion
            comment = "SOP Instance UID \(request.sopInstanceUID) was received before with different contents; this copy is kept beside it"
        }
        guard rename(temp, target) == 0 else {
            let why = errnoText()
            _ = unlink(temp)
            return StoreOutcome(status: Status.outOfResources, comment: "cannot move the instance into the spool (\(why))")
        }
        // The new entry is made durable; the old name's removal from .incoming need not be
        // (a restart clears .incoming anyway).
        Self.syncDirectory(folder)
        var st = stat()
        if stat(target, &st) == 0 { lock.lock(); held += Int64(st.st_size); lock.unlock() }
        return StoreOutcome(status: status, comment: comment, path: target, studyInstanceUID: study, patientID: patient)
    }

    /// Study Instance UID, Patient ID and SOP Instance UID of a received file.
    private static func keys(_ raw: RawHeader?, temp: String) -> (study: String?, patient: String?, sop: String?) {
        if let raw {
            defer { raw.recycle() }
            return (raw.string(.studyInstanceUID), raw.string(.patientID), raw.string(.sopInstanceUID))
        }
        let ds = (try? DICOMFile.read(path: temp, options: .headerOnly))?.dataSet
        return (ds?.string(.studyInstanceUID), ds?.string(.patientID), ds?.string(.sopInstanceUID))
    }

    /// The called AE title as a folder name: A–Z 0–9 _ - kept, anything else _.
    public static func folderName(_ ae: String) -> String {
        let s = String(ae.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "_" })
        return s.isEmpty ? "_" : s
    }

    /// Whether two received files hold the same data set: equal bytes after the meta group,
    /// or, when one came in another transfer syntax, equal once both are decoded and encoded
    /// again the same way.
    static func sameDataSet(_ a: String, _ b: String, from offset: Int) -> Bool {
        // Headers first (offsets and syntaxes); the bytes after the meta group compared as
        // they are when the syntaxes agree; decoded only when they do not.
        guard let x = try? DICOMFile.read(path: a, options: .headerOnly), let y = try? DICOMFile.read(path: b, options: .headerOnly) else { return false }
        if x.transferSyntax.uid == y.transferSyntax.uid {
            guard let xa = readTail(a, from: x.dataSetOffset), let yb = readTail(b, from: y.dataSetOffset) else { return false }
            return xa == yb
        }
        guard let xf = try? DICOMFile.read(path: a), let yf = try? DICOMFile.read(path: b),
              let xe = try? DataSetEncoder(explicitVR: false).encode(xf.dataSet), let ye = try? DataSetEncoder(explicitVR: false).encode(yf.dataSet) else { return false }
        return xe == ye
    }

    private static func readTail(_ path: String, from offset: Int) -> [UInt8]? {
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
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw StoreFailure(Status.outOfResources, "cannot create \(path) (\(errnoText()))") }
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = fsync(fd); close(fd) }
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

/// A store refused before or while receiving: the status and comment to answer with.
public struct StoreFailure: DescribedError, Sendable {
    public var description: String { comment }
    public var status: UInt16
    public var comment: String
    public init(_ status: UInt16, _ comment: String) { self.status = status; self.comment = comment }
}

final class SpooledInstance: IncomingInstance {
    let spool: Spool
    let request: StoreRequest
    let temp: String
    let dataSetOffset: Int
    private var fd: Int32
    private var bytes = 0
    private var failure: StoreFailure?
    /// Everything written, while it stays under `keptBytes`: the header is then read from
    /// memory at publication instead of from the file.
    private var kept: [UInt8]? = []
    static let keptBytes = 1 << 20

    init(spool: Spool, request: StoreRequest, temp: String, fd: Int32, dataSetOffset: Int) {
        self.spool = spool
        self.request = request
        self.temp = temp
        self.fd = fd
        self.dataSetOffset = dataSetOffset
    }

    deinit { if fd >= 0 { close(fd); _ = unlink(temp) } }

    func write(_ b: [UInt8]) throws {
        if kept != nil {
            if (kept?.count ?? 0) + b.count <= Self.keptBytes { kept?.append(contentsOf: b) } else { kept = nil }
        }
        var done = 0
        while done < b.count {
            let n = b.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let out = errno == ENOSPC || errno == EDQUOT
                throw StoreFailure(Status.outOfResources, out ? "the spool is full" : "cannot write to the spool (\(errnoText()))")
            }
            done += n
        }
    }

    func append(_ fragment: [UInt8]) throws {
        if failure != nil { return }   // the rest of a refused instance is read and dropped
        bytes += fragment.count
        if bytes > spool.maxInstanceBytes {
            failure = StoreFailure(Status.outOfResources, "the instance is larger than the \(spool.maxInstanceBytes) bytes allowed")
            return
        }
        if !spool.fits(Int64(bytes)) {
            failure = StoreFailure(Status.outOfResources, "the spool is full: this instance would take it past its limit of \(spool.maxSpoolBytes ?? 0) bytes")
            return
        }
        do { try write(fragment) } catch let f as StoreFailure { failure = f }
    }

    func finish() -> StoreOutcome {
        defer { fd = -1 }
        if let failure {
            close(fd); _ = unlink(temp)
            return StoreOutcome(status: failure.status, comment: failure.comment)
        }
        // fdatasync: the data and the size are what a reader needs after a crash.
        guard fdatasync(fd) == 0 else {
            let why = errnoText()
            close(fd); _ = unlink(temp)
            return StoreOutcome(status: Status.outOfResources, comment: "cannot sync the instance to disk (\(why))")
        }
        close(fd)
        let memory = kept
        kept = nil
        return spool.publish(temp, request: request, dataSetOffset: dataSetOffset, bytes: memory)
    }

    func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        _ = unlink(temp)
    }
}

/// UIDs that are safe as file names and valid (PS3.5 §9.1 syntax).
enum UIDCheck {
    static func isSafe(_ uid: String) -> Bool { UIDRegistry.isValid(uid) }
}

func errnoText() -> String { String(cString: strerror(errno)) }

/// A pthread mutex (Foundation is kept out of this module).
final class NSLockLike: @unchecked Sendable {
    // `@unchecked Sendable`: a mutex is what makes sharing safe.
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func lock() { pthread_mutex_lock(&m) }
    func unlock() { pthread_mutex_unlock(&m) }
}
