import DICOM
import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// Our own walk of an ISO 9660 image's directory tree before libisofs is given it. libisofs
/// (and so `xorriso -indev`) loops forever on a directory that points back at an ancestor,
/// and grows without bound on a `.` record that claims more than its directory holds; a
/// received disc is untrusted input (PS3.10 §7.5), so the structure is checked here first:
/// every directory extent inside the image, no extent visited twice (a loop), each `.`
/// record agreeing with the record that leads to its directory, Rock Ridge child links (CL)
/// and continuation areas (CE) followed with the same checks, and bounded depth, directory
/// size and entry count. Reads with pread, nothing allocated from a declared size before it is
/// checked against the image.
enum ISOTreeCheck {
    static let sector = 2048
    static let maxDirectoryBytes = 32 << 20
    static let maxEntries = 4_000_000
    static let maxDepth = 255

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Checks the primary tree and, when present, the Joliet tree of the image file at `path`.
    static func check(path: String) throws {
        let fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return }   // the library says why it cannot open it
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return }
        var walker = Walker(fd: fd, size: Int(st.st_size), what: SystemPath.display(path))
        try walker.run()
    }

    struct Walker {
        let fd: Int32
        let size: Int
        let what: String
        var entries = 0
        /// Files whose data lies (partly) past the end of a truncated image.
        var cutFiles: [String] = []
        var declaredBytes = 0

        func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
            guard offset >= 0, count >= 0, offset <= size, count <= size - offset else {
                let expected = declaredBytes > size ? " (its volume descriptor declares \(declaredBytes) bytes)" : ""
                throw Failure(description: "\(what): the image is truncated at byte \(size)\(expected): a directory at byte \(offset) lies past its end, so the tree cannot be read")
            }
            var out = [UInt8](repeating: 0, count: count)
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
            guard n == count else { throw Failure(description: "\(what): cannot read \(count) bytes at byte \(offset)") }
            return out
        }

        static func le32(_ b: [UInt8], _ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }

        mutating func run() throws {
            // Volume descriptors from sector 16 to the terminator (bounded).
            var roots: [(name: String, extent: Int, length: Int)] = []
            for n in 0..<64 {
                let offset = (16 + n) * sector
                guard offset + sector <= size else {
                    if n == 0 { return }   // not ISO 9660: the library says so
                    throw Failure(description: "\(what): the image is truncated inside its volume descriptors (at byte \(offset) of \(size))")
                }
                let d = try read(offset, sector)
                guard d[1...5].elementsEqual("CD001".utf8) else { if n == 0 { return }; break }
                if d[0] == 255 { break }
                if d[0] == 1 { declaredBytes = max(declaredBytes, Self.le32(d, 80) * sector) }
                let joliet = d[0] == 2 && d[88] == 0x25 && d[89] == 0x2F && [0x40, 0x43, 0x45].contains(d[90])
                if d[0] == 1 || joliet {
                    roots.append((joliet ? "Joliet tree" : "ISO 9660 tree", Self.le32(d, 156 + 2), Self.le32(d, 156 + 10)))
                }
            }
            for r in roots { try walk(tree: r.name, rootExtent: r.extent, rootLength: r.length) }
            if !cutFiles.isEmpty {
                let expected = declaredBytes > size ? ", \(declaredBytes) bytes as its volume descriptor declares" : ""
                throw Failure(description: "\(what): the image is truncated at byte \(size)\(expected); \(cutFiles.count) file\(cutFiles.count == 1 ? "" : "s") cannot be read: "
                              + cutFiles.prefix(10).joined(separator: ", ") + (cutFiles.count > 10 ? ", …" : ""))
            }
        }

        mutating func walk(tree: String, rootExtent: Int, rootLength: Int) throws {
            var visited: [Int: String] = [:]
            var queue: [(extent: Int, length: Int, path: String, depth: Int)] = [(rootExtent, rootLength, "/", 0)]
            var next = 0
            while next < queue.count {
                let dir = queue[next]
                next += 1
                if let earlier = visited[dir.extent] {
                    throw Failure(description: "\(what): \(tree): directory \(dir.path) (block \(dir.extent)) is also \(earlier): the tree loops back on itself; refused before reading it")
                }
                visited[dir.extent] = dir.path
                guard dir.depth <= maxDepth else { throw Failure(description: "\(what): \(tree): directories nested deeper than \(maxDepth) at \(dir.path)") }
                guard dir.length > 0, dir.length <= maxDirectoryBytes else {
                    throw Failure(description: "\(what): \(tree): directory \(dir.path) claims \(dir.length) bytes (at most \(maxDirectoryBytes) are read)")
                }
                let bytes = try read(dir.extent * sector, dir.length)
                var i = 0, index = 0
                while i < bytes.count {
                    let length = Int(bytes[i])
                    if length == 0 { i = (i / sector + 1) * sector; continue }   // records never span sectors
                    guard length >= 34, i + length <= bytes.count else {
                        throw Failure(description: "\(what): \(tree): directory \(dir.path): a record of \(length) bytes at byte \(dir.extent * sector + i) runs past the directory")
                    }
                    let record = Array(bytes[i..<(i + length)])
                    let extent = Self.le32(record, 2), dataLength = Self.le32(record, 10)
                    let flags = record[25], nameLength = Int(record[32])
                    guard 33 + nameLength <= length else {
                        throw Failure(description: "\(what): \(tree): directory \(dir.path): a name of \(nameLength) bytes overruns its record at byte \(dir.extent * sector + i)")
                    }
                    let name = Array(record[33..<(33 + nameLength)])
                    entries += 1
                    guard entries <= maxEntries else { throw Failure(description: "\(what): \(tree): more than \(maxEntries) entries") }
                    if index == 0 {
                        // The "." record names the directory itself: same extent, same size.
                        guard name == [0], extent == dir.extent, dataLength == dir.length else {
                            throw Failure(description: "\(what): \(tree): directory \(dir.path): its \".\" record says block \(extent), \(dataLength) bytes, but the record leading to it says block \(dir.extent), \(dir.length) bytes")
                        }
                    } else if name != [0] && name != [1] {
                        let shown = String(decoding: name.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self)
                        let path = dir.path + (dir.path == "/" ? "" : "/") + shown
                        if flags & 0x02 != 0 {
                            queue.append((extent, dataLength, path, dir.depth + 1))
                        } else if dataLength > 0, extent * sector + dataLength > size, tree == "ISO 9660 tree" {
                            cutFiles.append(path)   // file data past the end: listed, the walk goes on
                        }
                        // Rock Ridge child link: a relocated directory, walked with the same checks.
                        if let link = try childLink(record: record, nameLength: nameLength) {
                            let dot = try read(link * sector, 34)
                            queue.append((link, Self.le32(dot, 10), path + " (relocated)", dir.depth + 1))
                        }
                    }
                    index += 1
                    i += length
                }
            }
        }

        /// The block of a Rock Ridge CL entry in a record's System Use field or its
        /// continuation areas (CE, at most 16 followed).
        func childLink(record: [UInt8], nameLength: Int) throws -> Int? {
            var area = Array(record[(33 + nameLength + (nameLength % 2 == 0 ? 1 : 0))...])
            for _ in 0..<16 {
                var i = 0, continuation: (Int, Int, Int)?
                while i + 4 <= area.count {
                    let length = Int(area[i + 2])
                    guard length >= 4, i + length <= area.count else { break }
                    let signature = (area[i], area[i + 1])
                    if signature == (0x43, 0x4C), length >= 12 { return Self.le32(area, i + 4) }
                    if signature == (0x43, 0x45), length >= 28 {
                        continuation = (Self.le32(area, i + 4), Self.le32(area, i + 12), Self.le32(area, i + 20))
                    }
                    if signature == (0x53, 0x54) { break }
                    i += length
                }
                guard let (block, offset, length) = continuation, length > 0, length <= sector else { return nil }
                area = try read(block * sector + offset, length)
            }
            return nil
        }
    }
}
