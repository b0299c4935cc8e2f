#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Random-access bytes the reader pulls from on demand, so a header-only scan never touches
/// what it does not need. Every source knows its size: lengths are checked before reading.
public protocol ByteSource: AnyObject {
    var size: Int { get }
    /// Reads up to `buffer.count` bytes at `offset`; returns how many were read (0 at the end).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
    /// Whether `read` may be called from several threads at once (large sequences are then
    /// parsed in parallel).
    var supportsConcurrentReads: Bool { get }
}

extension ByteSource {
    public var supportsConcurrentReads: Bool { false }

    /// Exactly `count` bytes at `offset` (reading again after a short read), or nil when the
    /// source ends first; the count is checked against the size before anything is allocated.
    public func readBytes(at offset: Int, count: Int) throws -> [UInt8]? {
        guard offset >= 0, count >= 0, offset <= size, count <= size - offset else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = try bytes.withUnsafeMutableBytes { try read(into: UnsafeMutableRawBufferPointer(rebasing: $0[done...]), at: offset + done) }
            guard n > 0 else { return nil }
            done += n
        }
        return bytes
    }
}

/// A regular file read with `pread`, no Foundation on the hot path.
public final class FileByteSource: ByteSource {
    public let path: String
    public let size: Int
    private let fd: Int32

    /// Opens without blocking (a FIFO or device planted where a file should be is refused by
    /// the type check below, never waited on).
    public convenience init(path: String) throws {
        let fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else {
            throw DICOMError(.io, "cannot open: \(systemErrorText())", file: SystemPath.display(path))
        }
        try self.init(descriptor: fd, path: path)
    }

    /// Takes ownership of an open descriptor (closed on error and in deinit); `path` names it
    /// in messages. Refuses anything but a regular file.
    public init(descriptor fd: Int32, path: String) throws {
        let path = SystemPath.display(path)
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let message = systemErrorText()
            close(fd)
            throw DICOMError(.io, "cannot stat: \(message)", file: path)
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFREG else {
            close(fd)
            let what = type == S_IFDIR ? "a directory" : "not a regular file"
            throw DICOMError(.io, "is \(what), expected a DICOM file", file: path)
        }
        self.path = path
        self.fd = fd
        size = Int(st.st_size)
    }

    deinit { close(fd) }

    /// `pread` keeps no file position: safe from any thread.
    public var supportsConcurrentReads: Bool { true }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw DICOMError(.io, "read failed: \(systemErrorText())", offset: offset + done, file: path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}

/// Bytes already in memory (an inflated data set, a test vector, a fuzzer input).
public final class MemoryByteSource: ByteSource {
    public let bytes: [UInt8]
    public var size: Int { bytes.count }

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var supportsConcurrentReads: Bool { true }

    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        let n = max(0, min(buffer.count, bytes.count - offset))
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            if let to = buffer.baseAddress, let from = src.baseAddress { to.copyMemory(from: from + offset, byteCount: n) }
        }
        return n
    }
}
