#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The top-level elements before Pixel Data of a Part 10 file in its common form, located in
/// one buffer without copying or decoding any value: the fast path of header scans over tens of
/// thousands of files, where the general reader's per-element allocations dominate.
///
/// The common form is: a preamble and "DICM", Explicit VR Little Endian meta information whose
/// group length (if any) is right, a known transfer syntax whose data set is Explicit VR Little
/// Endian, and a data set of ascending tags with known VRs, even defined lengths and no
/// delimiters before the stop tag. For anything else `read` returns nil and the caller reads
/// the file with `DICOMFile.read`, which handles every other form and reports what it
/// tolerated. Sequences are located, not parsed: a caller that needs one (or needs its
/// contents checked) reads the file with `DICOMFile.read` too. For the rest, a file `read`
/// accepts gives the same elements and no warning from `DICOMFile.read` (the tests hold the
/// two to that).
public struct RawHeader: Sendable {
    public struct Element: Sendable {
        public let tag: Tag
        public let vr: VR
        /// Offset of the element's header in the file (and in `bytes`).
        public let offset: Int
        public let valueOffset: Int
        public let length: Int
        /// Offset just past the value: the encoded element is `bytes[offset..<end]`.
        public var end: Int { valueOffset + length }
    }

    /// The file's first bytes, through at least the last element before the stop tag.
    public let bytes: [UInt8]
    public let fileSize: Int
    /// File Meta Information elements, then the data set's, each in file order.
    public let meta: [Element]
    public let elements: [Element]
    public let transferSyntax: TransferSyntax
    public let dataSetOffset: Int
    /// The data set's (0008,0005), default when absent.
    public let characterSet: SpecificCharacterSet
    /// The element the read stopped at (the stop tag or a later one; nil when the data set
    /// ended first): its tag, where its value starts, and its length (nil: undefined). A file
    /// longer than its end holds more after it (trailing elements, or garbage) that a header
    /// read has not seen.
    public internal(set) var stopElement: (tag: Tag, valueOffset: Int, length: Int?)?

    /// Headers longer than this take the general reader.
    static let maxHeaderBytes = 1 << 20

    /// Reads and locates; nil when the file is not in the common form, cannot be opened, or is
    /// damaged (the general reader then says exactly what is wrong).
    public static func read(path: String, stopBefore stop: Tag = .pixelData, firstRead: Int = 8192) -> RawHeader? {
        read(at: AT_FDCWD, path: path, stopBefore: stop, firstRead: firstRead)
    }

    /// The same for `path` relative to an open folder: a scan that opens the files of one
    /// folder after another spares the kernel resolving the whole path each time.
    public static func read(at folder: Int32, path: String, stopBefore stop: Tag = .pixelData, firstRead: Int = 8192) -> RawHeader? {
        let fd = SystemPath.withCPath(path) { openat(folder, $0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return read(descriptor: fd, stopBefore: stop, firstRead: firstRead)
    }

    /// The same for a file already open (a confined open of a file-set's reader); the
    /// descriptor stays open.
    public static func read(descriptor fd: Int32, stopBefore stop: Tag = .pixelData, firstRead: Int = 8192) -> RawHeader? {
        let fill: (UnsafeMutableRawBufferPointer, Int) -> Int = { buffer, offset in
            guard let base = buffer.baseAddress else { return 0 }
            var done = 0
            while done < buffer.count {
                let got = pread(fd, base + done, buffer.count - done, off_t(offset + done))
                if got < 0 && errno == EINTR { continue }
                if got < 0 { return -1 }
                if got == 0 { break }
                done += got
            }
            return done
        }
        // The first read tells the size of a file shorter than it (most headers of a large
        // scan); only longer files cost an fstat.
        var head = ScratchPool.shared.takeBytes()
        appendZeros(&head, max(firstRead, 144))
        // One pread: a regular file returns less than asked only at its end (page-cache reads
        // are not cut short by signals), so a short first read is the file's size and the
        // second call that would only confirm the end (one per file of a scan) is not made.
        let got: Int = head.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            while true {
                let n = pread(fd, base, buffer.count, 0)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
        guard got >= 0 else { return nil }
        var size = got
        if got == head.count {
            var st = stat()
            guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
            size = Int(st.st_size)
        }
        head.removeLast(head.count - min(got, size))
        return read(size: size, stopBefore: stop, firstRead: firstRead, initial: head) { buffer, offset in
            fill(buffer, offset) == buffer.count
        }
    }

    /// The same over any source (bytes in memory, a file inside a disc image).
    public static func read(source: ByteSource, stopBefore stop: Tag = .pixelData, firstRead: Int = 8192) -> RawHeader? {
        read(size: source.size, stopBefore: stop, firstRead: firstRead) { buffer, offset in
            (try? source.read(into: buffer, at: offset)) == buffer.count
        }
    }

    /// `fill(buffer, offset)` reads exactly `buffer.count` bytes at `offset` (false: it could not).
    private static func read(size: Int, stopBefore stop: Tag, firstRead: Int, initial: [UInt8] = [],
                             fill: @escaping (UnsafeMutableRawBufferPointer, Int) -> Bool) -> RawHeader? {
        guard size >= 132 + 12 else { return nil }
        var reader = Reader(fileSize: size, initial: initial, fill: fill)
        guard reader.fill(upTo: min(size, max(firstRead, 144))) else { return nil }
        return reader.parse(stop: stop)
    }

    /// Hands this header's buffers back for the next `read(path:)` on any thread: a scan of
    /// tens of thousands of files then allocates them once, not once per file. Use nothing of
    /// this header afterwards (a copy still held keeps working, it just is not reused).
    public func recycle() {
        ScratchPool.shared.give(bytes, elements, meta)
    }

    /// The element with `tag`, by binary search (elements are ascending).
    public func element(_ tag: Tag) -> Element? {
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if elements[mid].tag < tag { lo = mid + 1 } else { hi = mid }
        }
        return lo < elements.count && elements[lo].tag == tag ? elements[lo] : nil
    }

    /// The value bytes of an element.
    public func value(_ e: Element) -> ArraySlice<UInt8> { bytes[e.valueOffset..<e.end] }

    /// The element as the general reader would give it.
    public func dataElement(_ e: Element) -> DataElement {
        DataElement(e.tag, e.vr, .bytes(Array(value(e))), offset: e.offset, valueOffset: e.valueOffset)
    }

    /// The first value of a string element of the default repertoire (UI, CS, DA, …) or, for
    /// text that may use the character set, decoded with it; trimmed as the general reader does.
    public func string(_ tag: Tag) -> String? {
        guard let e = element(tag) else { return nil }
        return string(e)
    }

    /// The same, but `previous` itself when the value is the same text: a scan reads the same
    /// Study, Series and SOP Class UIDs from file after file, and then makes no new string.
    public func string(_ tag: Tag, reusing previous: String?) -> String? {
        guard let e = element(tag) else { return nil }
        if let previous, isValue(e, previous) { return previous }
        return string(e)
    }

    /// Whether `string(e)` is `s`, decided by one memcmp when the value is `s` itself, perhaps
    /// with one padding byte, and `s` is plain ASCII without padding (as the UIDs a scan
    /// compares are); false means "not shown", and the caller decodes.
    private func isValue(_ e: Element, _ s: String) -> Bool {
        guard e.vr.isString, !e.vr.isSingleValuedText, e.vr != .UC else { return false }
        var s = s
        return s.withUTF8 { u in
            let n = u.count
            guard n > 0, e.length == n || (e.length == n + 1 && (bytes[e.end - 1] == 0 || bytes[e.end - 1] == 0x20)),
                  u[0] != 0x20, u[n - 1] != 0x20, u[n - 1] != 0 else { return false }
            guard let y = u.baseAddress else { return false }
            var high: UInt8 = 0
            for b in u { high |= b }   // (vectorized)
            guard high < 0x80, memchr(y, 0x5C, n) == nil, memchr(y, 0x1B, n) == nil else { return false }
            return bytes.withUnsafeBufferPointer { b in
                guard let x = b.baseAddress else { return false }
                return memcmp(x + e.valueOffset, y, n) == 0
            }
        }
    }

    public func string(_ e: Element) -> String? {
        if let plain = asciiFirstValue(e) { return plain }
        return DataSet(sortedElements: [dataElement(e)], characterSet: characterSet).string(e.tag)
    }

    /// A meta element's first string value.
    public func metaString(_ tag: Tag) -> String? {
        guard let e = meta.first(where: { $0.tag == tag }) else { return nil }
        if let plain = asciiFirstValue(e) { return plain }
        return DataSet(sortedElements: [dataElement(e)], characterSet: .default).string(tag)
    }

    /// Whether `metaString(tag)` is `s`, decided without making a string when the value is
    /// plain ASCII (the meta SOP Instance UID is compared with the data set's in every scan).
    public func metaString(_ tag: Tag, equals s: String) -> Bool {
        guard let e = meta.first(where: { $0.tag == tag }) else { return false }
        if isValue(e, s) { return true }
        guard let range = asciiFirstValueRange(e) else { return metaString(tag) == s }
        return equalBytes(bytes[range], s)
    }

    /// The common case straight from the bytes: a multi-valued string VR whose value is plain
    /// ASCII, trimmed as `DataSet.string` trims it. Nil when that rule needs the general path.
    private func asciiFirstValue(_ e: Element) -> String? {
        guard let range = asciiFirstValueRange(e) else { return nil }
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range]), as: UTF8.self) }
    }

    /// Where that value is in `bytes`.
    private func asciiFirstValueRange(_ e: Element) -> Range<Int>? {
        guard e.vr.isString, !e.vr.isSingleValuedText, e.vr != .UC else { return nil }
        return bytes.withUnsafeBufferPointer { buf -> Range<Int>? in
            var lo = e.valueOffset, hi = e.valueOffset
            while hi < e.end && buf[hi] != 0x5C {
                if buf[hi] >= 0x80 || buf[hi] == 0x1B { return nil }
                hi += 1
            }
            while hi > lo && (buf[hi - 1] == 0x20 || buf[hi - 1] == 0x00) { hi -= 1 }
            while lo < hi && buf[lo] == 0x20 { lo += 1 }
            return lo..<hi
        }
    }
}

/// The reading and locating itself: a growing prefix of the file and a position in it.
private struct Reader {
    let fileSize: Int
    let read: (UnsafeMutableRawBufferPointer, Int) -> Bool
    var bytes: [UInt8] = []

    init(fileSize: Int, initial: [UInt8], fill: @escaping (UnsafeMutableRawBufferPointer, Int) -> Bool) {
        self.fileSize = fileSize
        bytes = initial
        read = fill
    }

    /// Makes the first `n` bytes of the file available (n ≤ fileSize).
    mutating func fill(upTo n: Int) -> Bool {
        let have = bytes.count
        guard n > have else { return true }
        guard n <= RawHeader.maxHeaderBytes else { return false }
        appendZeros(&bytes, n - have)
        let read = self.read
        return bytes.withUnsafeMutableBytes { buf in read(UnsafeMutableRawBufferPointer(rebasing: buf[have..<n]), have) }
    }

    /// Bytes [at, at + n) available, reading ahead in steps that at least double the prefix.
    mutating func need(_ at: Int, _ n: Int) -> Bool {
        let end = at + n
        guard end <= fileSize else { return false }
        if end <= bytes.count { return true }
        return fill(upTo: min(fileSize, max(end, bytes.count * 2)))
    }

    func u16(_ at: Int) -> UInt16 {
        bytes.withUnsafeBytes { UInt16(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
    }

    func u32(_ at: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
    }

    /// The element header at `at` (see `header(at:in:fileSize:)`), reading ahead if needed.
    mutating func element(at: Int) -> RawHeader.Element? {
        // Usually the whole header is read already; otherwise what it needs is read first
        // (12 bytes for the long form, 8 for the short one, which may end the file).
        if at + 12 > bytes.count {
            guard need(at, 8), let vr = VR(bytes[at + 4], bytes[at + 5]) else { return nil }
            if vr.hasLongLength { guard need(at, 12) else { return nil } }
        }
        let fileSize = self.fileSize
        return bytes.withUnsafeBytes { Self.header(at: at, in: $0, fileSize: fileSize) }
    }

    /// One explicit-VR little-endian element header at `at`, whose bytes are in `b`: nil for
    /// anything the common form does not have (delimiters, unknown VRs, undefined or odd
    /// lengths, values past the end of the file). Reserved bytes other than zero are read as
    /// they are by the general reader, but could not be copied verbatim: nil too.
    @inline(__always)
    private static func header(at: Int, in b: UnsafeRawBufferPointer, fileSize: Int) -> RawHeader.Element? {
        func u16(_ i: Int) -> UInt16 { UInt16(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt16.self)) }
        let tag = Tag(u16(at), u16(at + 2))
        guard !tag.isDelimiter, let vr = VR(b[at + 4], b[at + 5]) else { return nil }
        let valueOffset: Int, length: Int
        if vr.hasLongLength {
            guard u16(at + 6) == 0 else { return nil }
            let raw = UInt32(littleEndian: b.loadUnaligned(fromByteOffset: at + 8, as: UInt32.self))
            guard raw != 0xFFFF_FFFF else { return nil }
            (valueOffset, length) = (at + 12, Int(raw))
        } else {
            (valueOffset, length) = (at + 8, Int(u16(at + 6)))
        }
        guard length & 1 == 0, valueOffset + length <= fileSize else { return nil }
        // A standard element sent as UN is read as its dictionary VR by the general reader.
        if vr == .UN && !tag.isPrivate && DataDictionary.entry(for: tag)?.vr.map({ $0 != .UN }) == true { return nil }
        return RawHeader.Element(tag: tag, vr: vr, offset: at, valueOffset: valueOffset, length: length)
    }

    enum FastOutcome { case invalid, end, needsChecks }

    /// Appends the elements from `pos` on that lie wholly in the bytes read and need no other
    /// care (not the character set, not the stop tag), with `element(at:)`'s checks and the
    /// data set's order; stops at the first that does, or at the end of the file.
    private func fastElements(from pos: inout Int, last: inout Tag, stop: Tag, into elements: inout [RawHeader.Element]) -> FastOutcome {
        let fileSize = self.fileSize
        return bytes.withUnsafeBytes { b -> FastOutcome in
            while pos < fileSize {
                guard pos + 12 <= b.count else { return .needsChecks }
                let tag = Tag(UInt16(littleEndian: b.loadUnaligned(fromByteOffset: pos, as: UInt16.self)),
                              UInt16(littleEndian: b.loadUnaligned(fromByteOffset: pos + 2, as: UInt16.self)))
                if tag >= stop || tag == Tag(0x0008, 0x0005) { return .needsChecks }
                guard !tag.isDelimiter, tag > last, tag.group != 0, let e = Self.header(at: pos, in: b, fileSize: fileSize) else {
                    return .invalid
                }
                guard e.end <= b.count else { return .needsChecks }
                elements.append(e)
                last = tag
                pos = e.end
            }
            return .end
        }
    }

    /// The general reader does not read the element it stops at, but checks that its declared
    /// length (unless undefined) fits the file; a header it cannot judge goes to that reader.
    /// Nil when it does not fit; else where its value starts and its length (nil: undefined).
    mutating func stopElementEnd(at pos: Int) -> (valueOffset: Int, length: Int?)? {
        guard need(pos, 8), let vr = VR(bytes[pos + 4], bytes[pos + 5]) else { return nil }
        let length: UInt32
        if vr.hasLongLength {
            guard need(pos, 12) else { return nil }
            length = u32(pos + 8)
        } else {
            length = UInt32(u16(pos + 6))
        }
        let header = vr.hasLongLength ? 12 : 8
        if length == 0xFFFF_FFFF { return (pos + header, nil) }
        guard Int(length) <= fileSize - pos - header else { return nil }
        return (pos + header, Int(length))
    }

    mutating func parse(stop: Tag) -> RawHeader? {
        guard bytes[128] == 0x44, bytes[129] == 0x49, bytes[130] == 0x43, bytes[131] == 0x4D else { return nil }  // "DICM"
        // Meta information: group 0002, ascending.
        var meta = ScratchPool.shared.takeElements()
        var pos = 132
        while true {
            guard need(pos, 2) else { return nil }
            if u16(pos) != 0x0002 { break }
            guard let e = element(at: pos), meta.last.map({ $0.tag < e.tag }) ?? true else { return nil }
            meta.append(e)
            pos = e.end
        }
        let dataSetOffset = pos
        guard let first = meta.first else { return nil }
        if first.tag == Tag(0x0002, 0x0000) {
            guard first.vr == .UL, first.length == 4, need(first.valueOffset, 4),
                  first.end + Int(u32(first.valueOffset)) == dataSetOffset else { return nil }
        }
        guard let tsElement = meta.first(where: { $0.tag == Tag(0x0002, 0x0010) }), need(tsElement.valueOffset, tsElement.length) else { return nil }
        var tsBytes = bytes[tsElement.valueOffset..<tsElement.end]
        while let last = tsBytes.last, last == 0 || last == 0x20 { tsBytes = tsBytes.dropLast() }
        // The usual syntax without making (and hashing) a string for it.
        let syntax = equalBytes(tsBytes, TransferSyntax.explicitVRLittleEndian.uid) ? .explicitVRLittleEndian
            : TransferSyntax(uid: String(decoding: tsBytes, as: UTF8.self))
        guard syntax == .explicitVRLittleEndian || syntax.isKnown, syntax.isExplicitVR, !syntax.isBigEndian, !syntax.isDeflated else { return nil }

        // Data set: ascending, up to the stop tag or the end of the file.
        var elements = ScratchPool.shared.takeElements()
        var last = Tag(0x0002, 0xFFFF)
        var characterSet = SpecificCharacterSet.default
        var stopAt: (tag: Tag, valueOffset: Int, length: Int?)?
        while pos < fileSize {
            // Elements read already go by in one pass over one pointer; the checked step
            // below (which reads ahead) takes the one that is not, and the stop tag.
            switch fastElements(from: &pos, last: &last, stop: stop, into: &elements) {
            case .invalid: return nil
            case .end: continue
            case .needsChecks: break
            }
            guard pos + 4 <= bytes.count || need(pos, 4) else { return nil }
            let tag = Tag(u16(pos), u16(pos + 2))
            guard !tag.isDelimiter else { return nil }
            if tag >= stop {
                guard let end = stopElementEnd(at: pos) else { return nil }
                stopAt = (tag, end.valueOffset, end.length)
                break
            }
            guard tag > last, tag.group != 0, let e = element(at: pos), e.end <= bytes.count || need(e.valueOffset, e.length) else { return nil }
            if tag == Tag(0x0008, 0x0005) {
                characterSet = ScratchPool.shared.characterSet(String(decoding: bytes[e.valueOffset..<e.end], as: UTF8.self))
                if characterSet.problem != nil { return nil }
            }
            elements.append(e)
            last = tag
            pos = e.end
        }
        guard !elements.isEmpty || pos >= fileSize else { return nil }
        var header = RawHeader(bytes: bytes, fileSize: fileSize, meta: meta, elements: elements, transferSyntax: syntax,
                               dataSetOffset: dataSetOffset, characterSet: characterSet)
        header.stopElement = stopAt
        return header
    }
}

/// A thread's buffers and decoded character sets for header scans: a scan of tens of
/// thousands of files allocates its read buffer and element lists once per thread, not once
/// per file, and takes them back without a lock.
private final class ScratchPool {
    private static let perThread = PerThread { ScratchPool() }
    static var shared: ScratchPool { perThread.value }

    private var bytes: [UInt8] = []
    private var elements: [[RawHeader.Element]] = []
    private var characterSets: [String: SpecificCharacterSet] = [:]

    func takeBytes() -> [UInt8] {
        var b: [UInt8] = []
        swap(&b, &bytes)
        b.removeAll(keepingCapacity: true)
        return b
    }

    func takeElements() -> [RawHeader.Element] {
        var e = elements.popLast() ?? []
        e.removeAll(keepingCapacity: true)
        if e.capacity < 64 { e.reserveCapacity(64) }
        return e
    }

    /// Keeps one read buffer and two element lists, none grown for an unusually long header.
    func give(_ b: [UInt8], _ e: [RawHeader.Element], _ m: [RawHeader.Element]) {
        if b.capacity <= 64 * 1024 && b.capacity > bytes.capacity { bytes = b }
        if elements.count < 2 && e.capacity <= 1024 { elements.append(e) }
        if elements.count < 2 && m.capacity <= 1024 { elements.append(m) }
    }

    /// (0008,0005) values repeat across a scan: each is decoded once.
    func characterSet(_ value: String) -> SpecificCharacterSet {
        if let known = characterSets[value] { return known }
        let made = SpecificCharacterSet(value)
        if characterSets.count < 64 { characterSets[value] = made }
        return made
    }
}

/// Whether `a` holds exactly the UTF-8 bytes of `s` (one memcmp; the generic comparison of a
/// slice with a string's view costs a hundred times more, per file of a scan).
func equalBytes(_ a: ArraySlice<UInt8>, _ s: String) -> Bool {
    var s = s
    return s.withUTF8 { u in
        a.count == u.count && a.withUnsafeBufferPointer { b in
            guard let x = b.baseAddress, let y = u.baseAddress else { return b.count == 0 }
            return memcmp(x, y, b.count) == 0
        }
    }
}

/// Zeros to grow a read buffer by: copied (memcpy), not appended one by one.
private let zeroPage = [UInt8](repeating: 0, count: 8192)

private func appendZeros(_ bytes: inout [UInt8], _ n: Int) {
    var left = n
    while left > 0 {
        let k = min(left, zeroPage.count)
        bytes.append(contentsOf: zeroPage[0..<k])
        left -= k
    }
}
