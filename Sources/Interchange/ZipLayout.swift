import Foundation

/// The layout of a ZIP archive as its central directory declares it, read by us before the
/// ZIP library extracts anything: every entry's local header offset, sizes and name, so that
/// entries sharing bytes (the overlapping-entry bomb: many names for one compressed stream)
/// and repeated names are refused. Bounded: the directory is read from what the file holds,
/// no count or size from the archive is allocated before it is checked against the file.
struct ZipLayout {
    struct Entry {
        var name: String
        var localHeader: UInt64
        var compressedSize: UInt64
        var uncompressedSize: UInt64
    }

    var entries: [Entry] = []

    static func read(_ path: String) throws -> ZipLayout {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InterchangeError("\(path): cannot open") }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        func bytes(_ offset: UInt64, _ count: Int) throws -> [UInt8] {
            guard offset <= size, UInt64(count) <= size - offset else {
                throw InterchangeError("\(path): the archive is truncated or damaged (a structure at byte \(offset) runs past its end, \(size) bytes)")
            }
            try handle.seek(toOffset: offset)
            let d = try handle.read(upToCount: count) ?? Data()
            guard d.count == count else { throw InterchangeError("\(path): cannot read \(count) bytes at \(offset)") }
            return [UInt8](d)
        }
        func u16(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(b[i]) | UInt64(b[i + 1]) << 8 }
        func u32(_ b: [UInt8], _ i: Int) -> UInt64 { u16(b, i) | u16(b, i + 2) << 16 }
        func u64(_ b: [UInt8], _ i: Int) -> UInt64 { u32(b, i) | u32(b, i + 4) << 32 }

        // End of central directory: the last signature within 64 KB + 22 of the end.
        let tailLength = Int(min(size, 65_557))
        let tail = try bytes(size - UInt64(tailLength), tailLength)
        var eocd = -1
        var i = tail.count - 22
        while i >= 0 { if tail[i] == 0x50 && tail[i + 1] == 0x4B && tail[i + 2] == 5 && tail[i + 3] == 6 { eocd = i; break }; i -= 1 }
        guard eocd >= 0 else { throw InterchangeError("\(path): not a ZIP archive (no end of central directory record)") }
        var count = u16(tail, eocd + 10), cdSize = u32(tail, eocd + 12), cdOffset = u32(tail, eocd + 16)
        if count == 0xFFFF || cdSize == 0xFFFF_FFFF || cdOffset == 0xFFFF_FFFF {
            // ZIP64: the locator stands just before the end record.
            let locatorAt = size - UInt64(tailLength) + UInt64(eocd)
            guard locatorAt >= 20 else { throw InterchangeError("\(path): ZIP64 archive without its locator") }
            let locator = try bytes(locatorAt - 20, 20)
            guard u32(locator, 0) == 0x0706_4B50 else { throw InterchangeError("\(path): ZIP64 archive without its locator") }
            let record = try bytes(u64(locator, 8), 56)
            guard u32(record, 0) == 0x0606_4B50 else { throw InterchangeError("\(path): damaged ZIP64 end of central directory") }
            count = u64(record, 32); cdSize = u64(record, 40); cdOffset = u64(record, 48)
        }
        // 46 bytes per entry at least: a count the directory cannot hold is a lie.
        guard cdSize <= size, cdOffset <= size - cdSize, count <= cdSize / 46 else {
            throw InterchangeError("\(path): the central directory claims \(count) entries in \(cdSize) bytes at \(cdOffset); the archive has \(size) bytes")
        }
        let directory = try bytes(cdOffset, Int(cdSize))
        var layout = ZipLayout()
        var at = 0
        for n in 0..<Int(count) {
            guard at + 46 <= directory.count, u32(directory, at) == 0x0201_4B50 else {
                throw InterchangeError("\(path): central directory entry \(n + 1) is damaged (at byte \(cdOffset + UInt64(at)))")
            }
            let nameLength = Int(u16(directory, at + 28)), extraLength = Int(u16(directory, at + 30)), commentLength = Int(u16(directory, at + 32))
            guard at + 46 + nameLength + extraLength + commentLength <= directory.count else {
                throw InterchangeError("\(path): central directory entry \(n + 1) runs past the directory")
            }
            var entry = Entry(name: String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                              localHeader: u32(directory, at + 42), compressedSize: u32(directory, at + 20),
                              uncompressedSize: u32(directory, at + 24))
            // ZIP64 extra field (0x0001): the 8-byte values of the fields that hold 0xFFFFFFFF.
            var e = at + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = u16(directory, e), length = Int(u16(directory, e + 2))
                guard e + 4 + length <= extraEnd else { break }
                if id == 1 {
                    var k = e + 4
                    func next() -> UInt64? { guard k + 8 <= e + 4 + length else { return nil }; defer { k += 8 }; return u64(directory, k) }
                    if entry.uncompressedSize == 0xFFFF_FFFF, let v = next() { entry.uncompressedSize = v }
                    if entry.compressedSize == 0xFFFF_FFFF, let v = next() { entry.compressedSize = v }
                    if entry.localHeader == 0xFFFF_FFFF, let v = next() { entry.localHeader = v }
                }
                e += 4 + length
            }
            layout.entries.append(entry)
            at += 46 + nameLength + extraLength + commentLength
        }
        // Each entry's bytes (local header, name, extra, data) must end before the next begins.
        let sorted = layout.entries.sorted { $0.localHeader < $1.localHeader }
        for (k, entry) in sorted.enumerated() {
            let header = try bytes(entry.localHeader, 30)
            guard u32(header, 0) == 0x0403_4B50 else { throw InterchangeError("\(path): \(entry.name): no local header at byte \(entry.localHeader)") }
            let end = entry.localHeader + 30 + u16(header, 26) + u16(header, 28) + entry.compressedSize
            let limit = k + 1 < sorted.count ? sorted[k + 1].localHeader : cdOffset
            guard end <= limit else {
                let other = k + 1 < sorted.count ? "the entry \(sorted[k + 1].name)" : "the central directory"
                throw InterchangeError("\(path): \(entry.name) overlaps \(other) (its data ends at byte \(end), past \(limit)); entries that share bytes are refused (a zip bomb)")
            }
        }
        return layout
    }
}
