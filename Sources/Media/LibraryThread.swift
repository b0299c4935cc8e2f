import DICOM
import CIsoBurn
import Foundation

/// libisoburn, libisofs and libburn are not thread-safe and keep global state, so every call
/// into them runs on this one thread. It initializes the libraries once, routes their
/// messages into queues (never to stderr), and lives as long as the process.
/// `@unchecked Sendable`: `jobs` is touched only under `condition`; `thread` and `initError`
/// are set before the first job returns and never again.
final class LibraryThread: @unchecked Sendable {
    static let shared = LibraryThread()

    private let condition = NSCondition()
    private var jobs: [(run: () -> Void, done: DispatchSemaphore)] = []
    private var thread: Thread?
    private var initError: MediaError?

    private init() {
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "dicomfs-libisoburn"
        self.thread = thread
        thread.start()
        run { self.initError = Self.initializeLibraries() }
    }

    /// Runs `body` on the library thread and waits for it. `body` gets the token every
    /// library handle needs to be made (`AcquiredDrive`): the type system keeps handles on
    /// this thread, since the token cannot cross into another thread's closure.
    func run<T>(_ body: (LibraryAccess) throws -> T) throws -> T {
        if let initError { throw initError }
        return try run { Result { try body(LibraryAccess()) } }.get()
    }

    private func run<T>(_ body: () -> T) -> T {
        if Thread.current === thread { return body() }
        return withoutActuallyEscaping(body) { body in
            let box = Box<T>()
            let done = DispatchSemaphore(value: 0)
            let job = UnsafeJob { box.value = body() }
            condition.lock()
            jobs.append((job.run, done))
            condition.signal()
            condition.unlock()
            done.wait()
            return box.value!
        }
    }

    private func loop() {
        condition.lock()
        while true {
            while jobs.isEmpty { condition.wait() }
            // The caller's closure must be gone before the caller resumes (it is non-escaping).
            var job: (run: () -> Void, done: DispatchSemaphore)? = jobs.removeFirst()
            condition.unlock()
            job?.run()
            let done = job?.done
            job = nil
            done?.signal()
            condition.lock()
        }
    }

    /// A job's result: written by the library thread, read by the caller after `done` is
    /// signalled. The job's closure is the caller's non-escaping one, run while the caller waits.
    private final class Box<T>: @unchecked Sendable { var value: T? }
    private struct UnsafeJob: @unchecked Sendable { let run: () -> Void }

    private static func initializeLibraries() -> MediaError? {
        var message = [CChar](repeating: 0, count: 1024)
        guard isoburn_initialize(&message, 0) == 1 else {
            return MediaError.library("cannot initialize libisoburn: \(String(cBuffer: message))")
        }
        guard isoburn_is_compatible(isoburn_header_version_major, isoburn_header_version_minor, isoburn_header_version_micro, 0) == 1 else {
            return MediaError.library("the installed libisoburn is older than the one dicomfs was built with")
        }
        // Queue everything, print nothing: messages become our errors, not stray stderr lines.
        var all = Array("ALL".utf8CString), never = Array("NEVER".utf8CString), prefix = Array("dicomfs: ".utf8CString)
        _ = iso_set_msgs_severities(&all, &never, &prefix)
        _ = burn_msgs_set_severities(&all, &never, &prefix)
        return nil
    }
}

/// Proof of being on the library thread, handed out only by `LibraryThread.run`. Not
/// `Sendable` (explicitly), so it cannot be captured by work sent to another thread.
struct LibraryAccess {
    fileprivate init() {}
}

@available(*, unavailable, message: "libisoburn calls belong on the library thread")
extension LibraryAccess: Sendable {}

/// One message from a library queue.
struct LibraryMessage: CustomStringConvertible {
    var severity: String
    var text: String
    var description: String { "\(severity): \(text)" }

    /// Ranks from the libraries' severity names; FAILURE and above mean the operation failed.
    var rank: Int {
        ["DEBUG": 0, "UPDATE": 1, "NOTE": 2, "HINT": 3, "WARNING": 4, "SORRY": 5, "MISHAP": 6, "FAILURE": 7, "FATAL": 8, "ABORT": 9][severity] ?? 4
    }

    /// Empties both queues (libisofs, and libburn which also carries libisoburn's). Call on the
    /// library thread.
    static func drain() -> [LibraryMessage] {
        var out: [LibraryMessage] = []
        var minimum = Array("ALL".utf8CString)
        var text = [CChar](repeating: 0, count: Int(BURN_MSGS_MESSAGE_LEN) + 1)
        var severity = [CChar](repeating: 0, count: 81)
        var code: Int32 = 0, osErrno: Int32 = 0, imageID: Int32 = 0
        while burn_msgs_obtain(&minimum, &code, &text, &osErrno, &severity) == 1 {
            out.append(LibraryMessage(severity: String(cBuffer: severity), text: String(cBuffer: text)))
        }
        while iso_obtain_msgs(&minimum, &code, &imageID, &text, &severity) == 1 {
            out.append(LibraryMessage(severity: String(cBuffer: severity), text: String(cBuffer: text)))
        }
        // DICOMFS_LIBDEBUG=1 shows every library message, for diagnosing drive problems.
        if getenv("DICOMFS_LIBDEBUG") != nil { for m in out { print("lib: \(m)") } }
        return out
    }

    /// The messages worth showing with an error: SORRY and above, without the expected
    /// "no recognizable data" on blank targets.
    static func summary(_ messages: [LibraryMessage]) -> String {
        let relevant = messages.filter { $0.rank >= 5 && !$0.text.contains("contains no recognizable data") }
        return relevant.isEmpty ? "" : " (" + relevant.map(\.text).joined(separator: "; ") + ")"
    }
}
