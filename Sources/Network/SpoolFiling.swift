import CConfined
import DICOM
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// How the spool makes small instances durable and then files: the journal (`SpoolJournal`)
/// written and synced before the answer, the files written by the filer a little later,
/// checkpoints that retire the journal, and the replay of what a crash left.
extension Spool {
    /// A record a crash left: the file is written (unless an identical one is there) and synced
    /// with the rest by the caller.
    func restore(_ record: SpoolJournal.Record) throws {
        let parts = record.target.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") }) else {
            throw StoreFailure(Status.processingFailure, "the spool journal names \"\(record.target)\", which is not a spool path")
        }
        let target = root + "/" + record.target
        if let existing = Self.readTail(target, from: 0), existing == record.bytes { return }
        try Self.makeDirectory(root + "/" + parts[0])
        try Self.makeDirectory(root + "/" + parts[0] + "/" + parts[1])
        try writeFile(target, record.bytes)
    }

    /// Every journaled instance is a file, synced, and the journal starts again. Called before
    /// a study leaves the spool (so no record of it can come back after a crash) and at the end.
    public func checkpoint() {
        // The flushing happens before the lock (one syncfs, however much else the file system
        // holds: a job mastering an image, say), so stores wait only for the files written
        // meanwhile, each synced on its own.
        fileAll()
        lock.lock(); filedSince = []; lock.unlock()
        Self.syncFileSystem(root)
        journalLock.lock(); defer { journalLock.unlock() }
        checkpointLocked(late: true)
    }

    /// The checkpoint itself; `journalLock` held. `late`: only the files written since the
    /// last `syncfs` need syncing (else one `syncfs` does it all). False when files could not
    /// be written.
    @discardableResult
    func checkpointLocked(late: Bool = false) -> Bool {
        guard journal.offset > 0 else { return true }
        fileAll()
        filer.sync { self.retryUnfiled() }
        lock.lock(); let stuck = !unfiled.isEmpty; let written = filedSince; filedSince = nil; lock.unlock()
        guard !stuck else { return false }
        if late, let written, written.count <= 256 {
            var folders: Set<String> = []
            for path in written {
                FileWriting.sync(path)
                let folder = folderOf(path)
                folders.insert(folder)
                folders.insert(folderOf(folder))
            }
            for folder in folders { FileWriting.sync(folder, folder: true) }
        } else {
            Self.syncFileSystem(root)
        }
        return (try? journal.reset()) != nil
    }

    func checkpointWhenIdle() {
        journalLock.lock()
        let idle = journal.offset > 0 && MonotonicClock.seconds() - lastAppend >= 0.5
        journalLock.unlock()
        if idle { checkpoint() }
    }

    public func filed() { fileAll() }

    /// Writes every journaled instance's file now.
    func fileAll() { filer.sync { self.fileWaiting() } }

    func fileWaiting() {
        lock.lock(); let items = toFile; toFile = []; filerScheduled = false; lock.unlock()
        for item in items { file(item.target, item.bytes) }
    }

    /// Whether an instance of `count` bytes goes through the journal (with a path of the
    /// longest kind: AE title, study UID, SOP Instance UID and a suffix).
    func journals(_ count: Int) -> Bool {
        journal.accepts(pathBytes: 16 + 64 + 64 + 16, dataBytes: count)
    }

    /// Journals a small instance, syncs the journal and hands the file to the filer.
    func journal(_ target: String, _ bytes: [UInt8]) throws {
        let relative = String(target.dropFirst(root.count + 1))
        guard journal.accepts(pathBytes: relative.utf8.count, dataBytes: bytes.count) else {
            throw StoreFailure(Status.outOfResources, "the instance does not fit in the spool journal")
        }
        journalLock.lock()
        if !journal.fits(target: relative, bytes: bytes.count) { checkpointLocked() }
        guard journal.fits(target: relative, bytes: bytes.count) else {
            journalLock.unlock()
            throw StoreFailure(Status.outOfResources, "the spool journal is full and its instances cannot be written out (is the disk full?)")
        }
        do { _ = try journal.write(target: relative, bytes: bytes) } catch { journalLock.unlock(); throw error }
        lastAppend = MonotonicClock.seconds()
        // Queued before the journal lock is let go, so that a checkpoint (which files
        // everything queued) covers it; the filer runs a little later, after the sync (a file
        // made while the journal syncs slows both: measured 0.3–1 ms instead of 0.15 ms).
        lock.lock(); toFile.append((target, bytes)); let waiting = toFile.count; let schedule = !filerScheduled; filerScheduled = true; lock.unlock()
        journalLock.unlock()
        try journal.sync()
        if schedule {
            filer.asyncAfter(deadline: .now() + (waiting >= 64 ? 0 : 0.01)) { [weak self] in self?.fileWaiting() }
        }
    }

    /// Writes a journaled instance's file in place (not synced: the checkpoint does that). No
    /// temporary name: nothing reads a spooled file before the checkpoint that follows this
    /// write, and a crash in the middle leaves a file the journal's replay writes again.
    func file(_ target: String, _ bytes: [UInt8]) {
        do {
            let flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW
            var fd = open(target, flags, 0o644)
            if fd < 0 && errno == ENOENT {
                let folder = folderOf(target)
                try Self.makeDirectory(folderOf(folder))
                try Self.makeDirectory(folder)
                fd = open(target, flags, 0o644)
            }
            guard fd >= 0 else { throw StoreFailure(Status.outOfResources, "cannot create \(target) (\(systemErrorText()))") }
            defer { close(fd) }
            try Self.writeAll(fd, bytes)
            lock.lock(); pending.remove(target); filedSince?.append(target); lock.unlock()
        } catch {
            lock.lock(); unfiled.append((target, bytes)); lock.unlock()
        }
    }

    /// Writes all of `bytes` at the descriptor's position; a full disk is "the spool is full".
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        let failed = bytes.withUnsafeBytes { FileWriting.writeAll(fd, $0) }
        guard failed == 0 else {
            let full = failed == ENOSPC || failed == EDQUOT
            throw StoreFailure(Status.outOfResources, full ? "the spool is full" : "cannot write to the spool (\(systemErrorText(failed)))")
        }
    }

    func retryUnfiled() {
        lock.lock(); let again = unfiled; unfiled = []; lock.unlock()
        for (target, bytes) in again { file(target, bytes) }
    }

    /// A file written whole and synced under a temporary name in `.incoming`, renamed into place.
    func writeFile(_ target: String, _ bytes: [UInt8]) throws {
        let (temp, fd) = try temporary()
        do { try Self.writeAll(fd, bytes) } catch { close(fd); _ = unlink(temp); throw error }
        _ = fdatasync(fd)
        close(fd)
        guard rename(temp, target) == 0 else { _ = unlink(temp); throw StoreFailure(Status.outOfResources, "cannot move an instance into the spool (\(systemErrorText()))") }
    }

    static func syncFileSystem(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { _ = dicomfs_syncfs(fd); close(fd) }
    }
}

/// The folder part of a "/"-separated path ("" for a bare name).
func folderOf(_ path: String) -> String { String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
