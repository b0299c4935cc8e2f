import DICOM
import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// A file-set on a disc image or drive, for the File-set Reader and the verifier: paths are
/// the File IDs the ISO 9660 identifiers stand for (`NAME.;1` and `NAME;1` both read as
/// `NAME`, as PS3.12 readers do), and file bytes are read straight from their blocks.
/// `@unchecked Sendable`: every field is set in `init` and never changed (the image's tree is
/// read once, on the library thread), and blocks are read with `pread`.
public final class ISOStorage: FileSetStorage, @unchecked Sendable {
    public let image: ISOImage
    public var location: String { image.location }
    private let files: [String: ISOImage.Entry]
    private let children: [String: [String]]
    private let device: BlockDevice

    public init(_ image: ISOImage) throws {
        self.image = image
        device = try BlockDevice(path: image.devicePath)
        var files: [String: ISOImage.Entry] = [:]
        var children: [String: [String]] = [:]
        for e in image.rawEntries {
            let parent = e.path.split(separator: "/").dropLast().joined(separator: "/")
            children[parent, default: []].append(String(e.path.split(separator: "/").last ?? ""))
            if !e.isDirectory { files[e.path] = e }
        }
        self.files = files
        self.children = children
    }

    public func fileExists(_ path: String) -> Bool { files[path] != nil }
    public func entries(of directory: String) -> [String] { children[directory] ?? [] }
    public func allFiles() throws -> [String] { files.keys.sorted() }

    public func open(_ path: String) throws -> ByteSource {
        guard let e = files[path] else { throw DICOMError(.io, "no such file on the image", file: display(path)) }
        guard let block = e.block else {
            throw DICOMError(.io, "file has several extents (over 4 GiB); dicomfs reads single-extent files only", file: display(path))
        }
        return WindowSource(device: device, offset: Int64(block) * 2048, size: Int(e.size), name: display(path))
    }

    /// The entry of a file, for checks that need its blocks.
    public func entry(_ path: String) -> ISOImage.Entry? { files[path] }

    /// Reads raw blocks (for MD5 checks).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws -> Int {
        try device.read(into: buffer, at: offset, name: image.location)
    }
}

/// The image file or device, opened once and read with pread from any thread.
/// `@unchecked Sendable`: the descriptor never changes and `pread` has no shared cursor.
final class BlockDevice: @unchecked Sendable {
    private let fd: Int32
    let path: String

    init(path: String) throws {
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw MediaError.io("cannot open \(path): \(systemErrorText())") }
        self.path = path
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64, name: String) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, base + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw DICOMError(.io, "read failed: \(systemErrorText())", offset: done, file: name)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }
}

/// One file's bytes inside the image.
final class WindowSource: ByteSource {
    let device: BlockDevice
    let offset: Int64
    let size: Int
    let name: String

    init(device: BlockDevice, offset: Int64, size: Int, name: String) {
        self.device = device
        self.offset = offset
        self.size = size
        self.name = name
    }

    /// The device reads with `pread`: safe from any thread.
    var supportsConcurrentReads: Bool { true }

    func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int) throws -> Int {
        let n = max(0, min(buffer.count, size - position))
        guard n > 0 else { return 0 }
        return try device.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<n]), at: offset + Int64(position), name: name)
    }
}
