#if canImport(Glibc)
import Glibc
#endif

/// Writing whole buffers to a file descriptor and syncing files and folders: one place for
/// every writer of files (FileSet's commits, the network spool), so the piece size below is
/// decided once.
public enum FileWriting {
    /// The most one `write` call is given. Very large single writes into the page cache took
    /// the slow path on Linux 6.18 / ext4: a 20 MB file written new and synced (a diagnostic
    /// loop, not a benchmark: 8 rounds taking turns, medians) took 146 ms in one call, 115 ms
    /// in 4 MiB calls, 5 ms in 1 MiB calls, 7 ms in 64 KiB calls.
    public static let piece = 1 << 20

    /// Writes all of `bytes` at the descriptor's position, interrupted calls retried. Returns
    /// 0, or the errno of the call that failed (ENOSPC for a call that wrote nothing).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var done = 0
        while done < bytes.count {
            let n = write(fd, base + done, min(piece, bytes.count - done))
            if n < 0 { if errno == EINTR { continue }; return errno }
            if n == 0 { return ENOSPC }
            done += n
        }
        return 0
    }

    /// fsync of a file (never opened through a link) or, with `folder`, a folder. A failure is not reported: callers sync again later (a checkpoint) or have
    /// already made the data durable and only make its name so.
    public static func sync(_ path: String, folder: Bool = false) {
        let fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : O_NOFOLLOW)) }
        if fd >= 0 { _ = fsync(fd); close(fd) }
    }
}
