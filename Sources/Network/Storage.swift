import CConfined
import DICOM
import Dispatch
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
    /// Returns once every instance answered so far is a file in its folder (called before an
    /// association's release is answered).
    func filed()
}

/// One instance being received: fragments appended as they arrive, then made durable.
public protocol IncomingInstance: AnyObject {
    func append(_ fragment: [UInt8]) throws
    /// Syncs and publishes the file; the outcome is what the SCP answers. Called once.
    func finish() -> StoreOutcome
    /// The association ended before the last fragment: nothing of it may remain.
    func abandon()
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
    let dataSetOffset: Int
    /// The file, once the instance outgrew memory.
    private var temp: String?
    private var fd: Int32 = -1
    private var bytes = 0
    private var failure: StoreFailure?
    /// Everything received, while it stays under `keptBytes`: such an instance is journaled
    /// from memory; a larger one goes to a temporary file.
    private var kept: [UInt8]?
    static let keptBytes = 1 << 20

    init(spool: Spool, request: StoreRequest, header: [UInt8]) {
        self.spool = spool
        self.request = request
        self.dataSetOffset = header.count
        kept = header
    }

    deinit { abandon() }

    private func write(_ b: [UInt8]) throws {
        if kept != nil {
            if (kept?.count ?? 0) + b.count <= Self.keptBytes { kept?.append(contentsOf: b); return }
            let (path, descriptor) = try spool.temporary()
            temp = path
            fd = descriptor
            let held = kept ?? []
            kept = nil
            try write(held)
        }
        try Spool.writeAll(fd, b)
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
        if let failure {
            abandon()
            return StoreOutcome(status: failure.status, comment: failure.comment)
        }
        if let memory = kept {
            if spool.journals(memory.count) {
                kept = nil
                return spool.publish(.bytes(memory), request: request, dataSetOffset: dataSetOffset)
            }
            // Larger than a small journal can take: a file of its own, like a large instance.
            do {
                let (path, descriptor) = try spool.temporary()
                temp = path
                fd = descriptor
                kept = nil
                try write(memory)
            } catch let f as StoreFailure {
                abandon()
                return StoreOutcome(status: f.status, comment: f.comment)
            } catch {
                abandon()
                return StoreOutcome(status: Status.outOfResources, comment: "cannot write to the spool")
            }
        }
        guard let temp else { return StoreOutcome(status: Status.processingFailure, comment: "nothing was received") }
        // fdatasync: the data and the size are what a reader needs after a crash.
        guard fdatasync(fd) == 0 else {
            let why = systemErrorText()
            abandon()
            return StoreOutcome(status: Status.outOfResources, comment: "cannot sync the instance to disk (\(why))")
        }
        close(fd)
        fd = -1
        self.temp = nil
        return spool.publish(.file(temp), request: request, dataSetOffset: dataSetOffset)
    }

    func abandon() {
        kept = nil
        if fd >= 0 { close(fd); fd = -1 }
        if let temp { _ = unlink(temp); self.temp = nil }
    }
}

/// UIDs that are safe as file names and valid (PS3.5 §9.1 syntax).
enum UIDCheck {
    static func isSafe(_ uid: String) -> Bool { UIDRegistry.isValid(uid) }
}

/// A pthread mutex (Foundation is kept out of this module).
final class NSLockLike: @unchecked Sendable {
    // `@unchecked Sendable`: a mutex is what makes sharing safe.
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func lock() { pthread_mutex_lock(&m) }
    func unlock() { pthread_mutex_unlock(&m) }
}
