import CConfined
import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// The spool's write-ahead journal: a file written full of zeros once, into which each small
/// received instance is copied and synced before the success response.
///
/// Why: a sender waits for the response before it sends the next instance, so whatever the
/// disk costs per instance is the station's throughput with one sender. Syncing a new file,
/// then the folder its name went into, costs two commits of the file system's own journal
/// (measured here: 0.4–1 ms an instance on ext4 on a virtual disk, more than everything else
/// the SCP does). Overwriting blocks that are already allocated and syncing their data is one
/// device flush with no metadata (about 0.15 ms). The instance's own file is then written in
/// the background, and a checkpoint (one `syncfs` for all of them) retires the journal, which
/// starts again from its beginning. After a crash, the records written since the last
/// checkpoint are made into files again before the SCP opens.
///
/// A record: 32 bytes of header ("DFSJ", version, sequence number, path length, data length,
/// CRC-32C of everything after the CRC field), the target path relative to the spool, the
/// bytes of the Part 10 file; records follow each other 8-byte aligned. A checkpoint zeroes
/// the first header and numbers the next round from a random point; recovery reads records
/// while each is whole and numbered one more than the one before, so the rest of an earlier
/// round is never read as new.
final class SpoolJournal {
    static let headerSize = 32
    static let magic: [UInt8] = Array("DFSJ".utf8)
    /// Paths longer than this are not journaled (the SCP's own paths are far shorter).
    static let maxPath = 4096

    let path: String
    let capacity: Int
    private let fd: Int32
    /// Where the next record goes, and its number.
    private(set) var offset = 0
    private var nextSeq: UInt64 = 1

    struct Record: Equatable {
        var seq: UInt64
        var target: String
        var bytes: [UInt8]
    }

    /// Opens the journal at `path`, making it (`capacity` bytes of zeros, synced) when it does
    /// not exist or has another size. `records` are those a crash left behind.
    init(path: String, capacity: Int) throws {
        self.path = path
        self.capacity = capacity
        var st = stat()
        if stat(path, &st) != 0 || Int(st.st_size) != capacity {
            try Self.make(path, capacity: capacity)
        }
        fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw StoreFailure(Status.outOfResources, "cannot open the spool journal \(path) (\(systemErrorText()))") }
        // One server per spool: a second one would write into the same journal.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw StoreFailure(Status.outOfResources, "the spool \(path.dropLast("/.journal".count)) is in use by another dicomfs serve")
        }
    }

    deinit { close(fd) }

    /// Writes the zeros through a temporary file and a rename: a journal is whole or absent.
    private static func make(_ path: String, capacity: Int) throws {
        let temp = path + ".new"
        _ = unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw StoreFailure(Status.outOfResources, "cannot create the spool journal \(temp) (\(systemErrorText()))") }
        defer { close(fd) }
        let zeros = [UInt8](repeating: 0, count: FileWriting.piece)
        var done = 0
        while done < capacity {
            let count = min(zeros.count, capacity - done)
            let failed = zeros.withUnsafeBytes { FileWriting.writeAll(fd, UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            guard failed == 0 else { _ = unlink(temp); throw StoreFailure(Status.outOfResources, "cannot write the spool journal (\(systemErrorText(failed)))") }
            done += count
        }
        guard fsync(fd) == 0, rename(temp, path) == 0 else {
            _ = unlink(temp)
            throw StoreFailure(Status.outOfResources, "cannot make the spool journal \(path) (\(systemErrorText()))")
        }
        FileWriting.sync(folderOf(path), folder: true)
    }

    /// Bytes a record of this size takes, header and alignment included.
    static func size(pathBytes: Int, dataBytes: Int) -> Int {
        (headerSize + pathBytes + dataBytes + 7) & ~7
    }

    /// Whether a record of `dataBytes` bytes, with a path of `pathBytes`, can be journaled at all.
    func accepts(pathBytes: Int, dataBytes: Int) -> Bool {
        pathBytes <= Self.maxPath && Self.size(pathBytes: pathBytes, dataBytes: dataBytes) <= capacity
    }

    /// Whether the record still fits before the end.
    func fits(target: String, bytes: Int) -> Bool {
        offset + Self.size(pathBytes: target.utf8.count, dataBytes: bytes) <= capacity
    }

    /// Writes a record at the end (not synced: `sync` does that). The caller serialises calls.
    func write(target: String, bytes: [UInt8]) throws -> UInt64 {
        let pathBytes = Array(target.utf8)
        let total = Self.size(pathBytes: pathBytes.count, dataBytes: bytes.count)
        guard offset + total <= capacity else { throw StoreFailure(Status.outOfResources, "the spool journal is full") }
        let seq = nextSeq
        var header = [UInt8](repeating: 0, count: Self.headerSize)
        header.replaceSubrange(0..<4, with: Self.magic)
        put(&header, 4, UInt32(1))
        put(&header, 8, seq)
        put(&header, 16, UInt32(pathBytes.count))
        put(&header, 20, UInt32(bytes.count))
        var crc = CRC32C.update(0, header[8..<24])
        crc = CRC32C.update(crc, pathBytes[...])
        crc = CRC32C.update(crc, bytes[...])
        put(&header, 24, crc)
        try writeRecord(header, pathBytes, bytes, at: offset)
        offset += total
        nextSeq += 1
        return seq
    }

    /// Makes every record written so far durable: their data only, the file's blocks exist.
    func sync() throws {
        guard fdatasync(fd) == 0 else { throw StoreFailure(Status.outOfResources, "cannot sync the spool journal (\(systemErrorText()))") }
    }

    /// Retires every record: the first header is zeroed and synced; the next record goes first.
    func reset() throws {
        try writeRecord([UInt8](repeating: 0, count: Self.headerSize), [], [], at: 0)
        try sync()
        offset = 0
        // A new round numbers its records from a random point: records of an earlier round
        // that the new one has not overwritten yet can never continue its chain.
        nextSeq = UInt64.random(in: 1 ... UInt64.max >> 1)
    }

    /// The records a crash left: from the start, while each is whole and numbered in order.
    func recover() -> [Record] {
        var out: [Record] = []
        var at = 0
        var expected: UInt64?
        while at + Self.headerSize <= capacity {
            guard let header = read(at, Self.headerSize), Array(header[0..<4]) == Self.magic, get32(header, 4) == 1 else { break }
            let seq = get64(header, 8)
            let pathCount = Int(get32(header, 16)), dataCount = Int(get32(header, 20))
            // Lengths are checked against what is left of the file before anything is read.
            guard pathCount <= Self.maxPath, dataCount <= capacity,
                  at + Self.size(pathBytes: pathCount, dataBytes: dataCount) <= capacity,
                  expected == nil || seq == expected,
                  let pathBytes = read(at + Self.headerSize, pathCount),
                  let bytes = read(at + Self.headerSize + pathCount, dataCount) else { break }
            var crc = CRC32C.update(0, header[8..<24])
            crc = CRC32C.update(crc, pathBytes[...])
            crc = CRC32C.update(crc, bytes[...])
            guard crc == get32(header, 24), let target = String(validating: pathBytes, as: UTF8.self) else { break }
            out.append(Record(seq: seq, target: target, bytes: bytes))
            expected = seq &+ 1
            at += Self.size(pathBytes: pathCount, dataBytes: dataCount)
        }
        if let last = out.last { nextSeq = last.seq &+ 1 }
        return out
    }

    private func read(_ at: Int, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { b in b.baseAddress.map { pread(fd, $0 + done, count - done, off_t(at + done)) } ?? -1 }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            done += n
        }
        return buffer
    }

    /// One pwritev for the three parts (one system call an instance); a short write goes on
    /// part by part.
    private func writeRecord(_ a: [UInt8], _ b: [UInt8], _ c: [UInt8], at start: Int) throws {
        let total = a.count + b.count + c.count
        let n = a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in c.withUnsafeBytes { pc -> Int in
            var iov = [iovec(iov_base: UnsafeMutableRawPointer(mutating: pa.baseAddress), iov_len: pa.count),
                       iovec(iov_base: UnsafeMutableRawPointer(mutating: pb.baseAddress), iov_len: pb.count),
                       iovec(iov_base: UnsafeMutableRawPointer(mutating: pc.baseAddress), iov_len: pc.count)]
            return pwritev(fd, &iov, 3, off_t(start))
        } } }
        if n == total { return }
        var at = start
        for part in [a, b, c] where !part.isEmpty {
            var done = 0
            while done < part.count {
                let w = part.withUnsafeBytes { p in p.baseAddress.map { pwrite(fd, $0 + done, p.count - done, off_t(at + done)) } ?? -1 }
                if w < 0 && errno == EINTR { continue }
                guard w > 0 else {
                    let full = errno == ENOSPC || errno == EDQUOT
                    throw StoreFailure(Status.outOfResources, full ? "the spool is full" : "cannot write the spool journal (\(systemErrorText()))")
                }
                done += w
            }
            at += part.count
        }
    }

    private func put<T: FixedWidthInteger>(_ b: inout [UInt8], _ at: Int, _ v: T) {
        withUnsafeBytes(of: v.littleEndian) { for (i, x) in $0.enumerated() { b[at + i] = x } }
    }
    private func get32(_ b: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(b[at + $1]) << (8 * $1) }
    }
    private func get64(_ b: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(b[at + $1]) << (8 * $1) }
    }
}

/// CRC-32C (Castagnoli), the check of a journal record: a torn write is a record that fails it.
enum CRC32C {
    static func update(_ crc: UInt32, _ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { dicomfs_crc32c(crc, $0.baseAddress, UInt($0.count)) }
    }
}
