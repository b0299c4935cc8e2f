import DICOM
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One DICOM instance found by a scan: where it is and the header elements records need.
///
/// A class: an instance moves from a scan worker through the checks into the record tree,
/// and is shared, not copied, on the way. Mutated only by whoever holds it after the scan.
/// `@unchecked Sendable` by that ownership: the scan worker hands it over and keeps no reference.
public final class ScannedInstance: @unchecked Sendable {
    /// Path relative to the scanned folder, "/"-separated.
    public internal(set) var relativePath: String
    public let size: Int
    public let sopClassUID: String
    public let sopInstanceUID: String
    /// `fnv1a` of the SOP Instance UID, made by the scan worker for the duplicate check.
    let sopInstanceUIDHash: UInt64
    public let transferSyntaxUID: String
    /// The top-level elements the leaf record may need (see `InstanceScanner.keptTags(for:)`);
    /// empty once the worker has made the leaf record from them.
    public internal(set) var header: DataSet
    public private(set) var warnings: [ReadWarning]
    /// Grouping keys, decoded once by the scan workers: Patient ID (invented by the builder
    /// when missing and asked for), Study and Series UIDs (the previous file's strings when
    /// they repeat: one string per series on each scan thread, not one per instance).
    public internal(set) var patientID: String?
    public let studyUID: String?
    public let seriesUID: String?
    /// The leaf record type its SOP class calls for.
    public let leafType: RecordType
    public let instanceNumber: Int?
    public let relatedGeneralSOPClassUID: String?
    /// The first of Study, Series, SOP Instance and SOP Class UID that is not a valid UID.
    let invalidUID: String?
    /// The leaf record's reference and keys, made and encoded by the worker when making them
    /// needed no note; nil: the record builder makes them (and reports) in record order.
    var leaf: EncodedLeaf?
    /// The patient-, study- and series-level values (record keys, consistency and fallback
    /// values) as small Explicit VR LE data sets: compared as bytes, decoded only when needed.
    var levelBlobs: LevelBlobs

    /// The three levels' elements in one allocation: patient, then study, then series.
    struct LevelBlobs: Sendable {
        var bytes: [UInt8] = []
        var studyStart = 0, seriesStart = 0
        var patient: ArraySlice<UInt8> { bytes[0..<studyStart] }
        var study: ArraySlice<UInt8> { bytes[studyStart..<seriesStart] }
        var series: ArraySlice<UInt8> { bytes[seriesStart...] }
    }

    init(relativePath: String, size: Int, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
         header: DataSet, warnings: [ReadWarning], patientID: String?, studyUID: String?, seriesUID: String?,
         leafType: RecordType, levelBlobs: LevelBlobs, keyMaker: RecordKeyMaker, knownValid: KnownValid = []) {
        self.relativePath = relativePath
        self.size = size
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        sopInstanceUIDHash = fnv1a(sopInstanceUID)
        self.transferSyntaxUID = transferSyntaxUID
        self.warnings = warnings
        self.patientID = patientID
        self.studyUID = studyUID
        self.seriesUID = seriesUID
        self.leafType = leafType
        self.levelBlobs = levelBlobs
        instanceNumber = header.int(.instanceNumber)
        relatedGeneralSOPClassUID = nonEmpty(header.string(.relatedGeneralSOPClassUID))
        func invalid(_ uid: String?, _ known: KnownValid) -> String? {
            guard let uid, !knownValid.contains(known), !UIDRegistry.isValid(uid) else { return nil }
            return uid
        }
        invalidUID = invalid(studyUID, .study) ?? invalid(seriesUID, .series) ?? invalid(sopInstanceUID, [.sopInstance])
            ?? invalid(sopClassUID, .sopClass)
        // A first arc other than 0–2 is a warning, not a reason to leave the file out (the
        // study's and series' UIDs are judged once per record by the RecordBuilder).
        if let first = sopInstanceUID.utf8.first, first &- 0x30 >= 3 || sopInstanceUID.utf8.dropFirst().first.map({ $0 != UInt8(ascii: ".") }) == true,
           let w = UIDRegistry.firstArcWarning(sopInstanceUID) {
            self.warnings.append(ReadWarning(offset: nil, tag: .sopInstanceUID, message: w))
        }
        var notes = RecordKeyMaker.Notes()
        let keys = keyMaker.keys(leafType, header: header, path: relativePath, index: 1, notes: &notes)
        if notes.isEmpty, invalidUID == nil,
           let leaf = try? EncodedLeaf(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID, transferSyntaxUID: transferSyntaxUID,
                                       relatedGeneralSOPClassUID: relatedGeneralSOPClassUID, keys: keys, encoder: DataSetEncoder()) {
            self.leaf = leaf
            self.header = DataSet()
        } else {
            self.header = header
        }
    }

    /// UIDs the caller has already found valid (they are the previous file's).
    struct KnownValid: OptionSet {
        let rawValue: UInt8
        static let study = KnownValid(rawValue: 1), series = KnownValid(rawValue: 2), sopClass = KnownValid(rawValue: 4)
        static let sopInstance = KnownValid(rawValue: 8)
    }

    /// The instance's values at one level, decoded from that level's blob.
    func atLevel(_ blob: ArraySlice<UInt8>) -> DataSet {
        (try? DataSet.decode(explicitLittleEndian: Array(blob))) ?? DataSet()
    }
}

/// What became of each file a scan looked at.
public enum ScanResult: Sendable {
    case instance(ScannedInstance)
    /// Not DICOM at all (a README, a thumbnail): left out, listed.
    case notDICOM(path: String, reason: String)
    /// DICOM that cannot be used (truncated, malformed, no meta information): left out, a finding.
    case unusable(path: String, reason: String)
}

/// Walks a folder and reads every file's header on all cores, reading only up to Pixel Data
/// and copying only the elements directory records use.
public struct InstanceScanner: Sendable {
    public var workers: Int
    /// Below this many files a second the first batch was waiting on the disk, not parsing
    /// (a warm cache scans over 100,000 a second on two cores; a cold one under 20,000), and
    /// the rest is read with `deepThreads` threads. (Tests set it to take that path.)
    var slowRate = 40_000.0
    /// The profile whose extra keys the records will carry (what to keep of each header).
    public var profile: ApplicationProfile

    public init(workers: Int = max(1, min(8, sysconfCores())), profile: ApplicationProfile = .stdGenCD) {
        self.workers = workers
        self.profile = profile
    }

    /// Per level, the tags kept in the level blobs: for each leaf record type, every tag some
    /// level keeps with the levels that keep it, in tag order, so that a header's ascending
    /// elements are sorted into levels in one merge.
    struct LevelTags: Sendable {
        static let patientBit: UInt8 = 1, studyBit: UInt8 = 2, seriesBit: UInt8 = 4, leafBit: UInt8 = 8
        /// Indexed by the leaf type's `caseIndex` (empty for the non-leaf types).
        let byLeaf: [[(tag: UInt32, mask: UInt8)]]

        init(profile: ApplicationProfile) {
            var masks: [UInt32: UInt8] = [:]
            for (type, bit) in [(RecordType.patient, Self.patientBit), (.study, Self.studyBit), (.series, Self.seriesBit)] {
                for t in RecordKeys.keptTags(for: type, profile: profile) { masks[t.rawValue, default: 0] |= bit }
            }
            byLeaf = RecordType.allCases.map { type in
                guard type.isLeaf else { return [] }
                var m = masks
                for t in RecordKeys.keptTags(for: type, profile: profile) { m[t.rawValue, default: 0] |= Self.leafBit }
                return m.map { (tag: $0.key, mask: $0.value) }.sorted { $0.tag < $1.tag }
            }
        }
    }

    /// Sorts a header's elements, in ascending tag order, into the level blobs and the leaf's
    /// own elements: the one reduction both readers' results go through. Kept elements are
    /// noted as byte ranges (of the raw header's buffer, or of `encoded` for elements the
    /// general reader parsed) and copied into one exact blob at the end.
    struct LevelSplit {
        private let table: [(tag: UInt32, mask: UInt8)]
        private var next = 0
        private var pieces: [(mask: UInt8, range: Range<Int>)] = []
        private var encoded = ByteWriter(capacity: 0)
        private(set) var leaf: [DataElement] = []

        init(_ levels: LevelTags, leafType: RecordType) {
            table = levels.byLeaf[Int(leafType.caseIndex)]
            pieces.reserveCapacity(24)
            leaf.reserveCapacity(4)
        }

        /// Which levels keep `tag` (0: none); tags must come in ascending order.
        mutating func mask(for tag: Tag) -> UInt8 {
            let t = tag.rawValue
            while next < table.count && table[next].tag < t { next += 1 }
            return next < table.count && table[next].tag == t ? table[next].mask : 0
        }

        private static let levelBits = LevelTags.patientBit | LevelTags.studyBit | LevelTags.seriesBit

        /// An element of a raw header: its encoded form is `range` of the header's bytes.
        mutating func add(_ mask: UInt8, range: Range<Int>, element: () -> DataElement) {
            if mask & Self.levelBits != 0 { pieces.append((mask, range)) }
            if mask & LevelTags.leafBit != 0 { leaf.append(element()) }
        }

        /// An element the general reader parsed: encoded here (Explicit VR LE) if a level keeps it.
        mutating func add(_ mask: UInt8, element e: DataElement, encoder: DataSetEncoder) {
            if mask & Self.levelBits != 0 {
                let start = encoded.count
                if (try? encoder.encode(e, into: &encoded)) != nil { pieces.append((mask, start..<encoded.count)) }
            }
            if mask & LevelTags.leafBit != 0 { leaf.append(e) }
        }

        /// The blobs, from the raw header's bytes (`source`) or, for the general reader, from
        /// what `add(_:element:encoder:)` encoded.
        func blobs(from source: [UInt8]? = nil) -> ScannedInstance.LevelBlobs {
            let from = source ?? encoded.bytes
            let sizes = self.sizes
            let total = sizes.0 + sizes.1 + sizes.2
            let bytes = from.withUnsafeBufferPointer { src in
                [UInt8](unsafeUninitializedCapacity: total) { dst, n in
                    guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                    forEachPieceInBlobOrder { range in
                        (d + n).initialize(from: s + range.lowerBound, count: range.count)
                        n += range.count
                        return true
                    }
                }
            }
            return .init(bytes: bytes, studyStart: sizes.0, seriesStart: sizes.0 + sizes.1)
        }

        /// The kept pieces in the blobs' byte order — patient, then study, then series (a piece
        /// two levels keep comes twice) — while `body` returns true; false if it stopped.
        @discardableResult
        private func forEachPieceInBlobOrder(_ body: (Range<Int>) -> Bool) -> Bool {
            for bit in [LevelTags.patientBit, LevelTags.studyBit, LevelTags.seriesBit] {
                for p in pieces where p.mask & bit != 0 {
                    if !body(p.range) { return false }
                }
            }
            return true
        }

        /// Bytes of the patient, study and series blobs.
        private var sizes: (Int, Int, Int) {
            var sizes = (0, 0, 0)
            for p in pieces {
                if p.mask & LevelTags.patientBit != 0 { sizes.0 += p.range.count }
                if p.mask & LevelTags.studyBit != 0 { sizes.1 += p.range.count }
                if p.mask & LevelTags.seriesBit != 0 { sizes.2 += p.range.count }
            }
            return sizes
        }

        /// Whether `blobs(from: source)` would be byte for byte `previous`. Files of a series
        /// carry the same patient, study and series elements: the previous file's blobs are then
        /// shared, not copied (no allocation, and nothing for the record builder's thread to free).
        func wouldMake(_ previous: ScannedInstance.LevelBlobs, from source: [UInt8]) -> Bool {
            let sizes = self.sizes
            guard previous.studyStart == sizes.0, previous.seriesStart == sizes.0 + sizes.1,
                  previous.bytes.count == sizes.0 + sizes.1 + sizes.2 else { return false }
            return source.withUnsafeBufferPointer { src in
                previous.bytes.withUnsafeBufferPointer { old in
                    guard let s = src.baseAddress, let o = old.baseAddress else { return old.isEmpty }
                    var at = 0
                    return forEachPieceInBlobOrder { range in
                        defer { at += range.count }
                        return memcmp(o + at, s + range.lowerBound, range.count) == 0
                    }
                }
            }
        }
    }

    /// The warning for a meta information SOP Instance UID the data set contradicts.
    static func metaWarnings(_ metaInstance: String?, _ sopInstance: String) -> [ReadWarning] {
        guard let metaInstance, metaInstance != sopInstance else { return [] }
        return [ReadWarning(offset: nil, tag: .mediaStorageSOPInstanceUID,
                            message: "meta SOP Instance UID \(metaInstance) differs from the data set's \(sopInstance)")]
    }

    /// Every element a record type, the profile or a consistency check reads (nil: any profile).
    static func keptTags(for only: ApplicationProfile?) -> Set<Tag> {
        var tags: Set<Tag> = [
            .sopClassUID, .sopInstanceUID, .relatedGeneralSOPClassUID, .specificCharacterSet,
            .patientName, .patientID, .patientBirthDate, .patientSex,
            .studyInstanceUID, .studyDate, .studyTime, .studyID, .accessionNumber, .studyDescription,
            .seriesInstanceUID, .seriesNumber, .modality, .seriesDate, .seriesTime,
            .acquisitionDate, .acquisitionTime, .contentDate, .contentTime, .instanceNumber,
            .verifyingObserverSequence, .contentSequence, .sharedFunctionalGroupsSequence,
            .encapsulatedDocument,
        ]
        for type in RecordType.allCases { for k in RecordKeys.keys(for: type) { tags.insert(k.tag) } }
        for profile in only.map({ [$0] }) ?? ApplicationProfile.all {
            for type in RecordType.allCases { tags.formUnion(profile.extraKeys(for: type)) }
        }
        tags.remove(.encapsulatedDocument)  // large; only its presence matters, never read
        // File Meta Information the scan reads (the group length is checked by the reader).
        tags.formUnion([.fileMetaInformationGroupLength, .mediaStorageSOPClassUID, .mediaStorageSOPInstanceUID, .transferSyntaxUID])
        return tags
    }

    static func readOptions(for profile: ApplicationProfile) -> ReadOptions {
        var o = ReadOptions.headerOnly
        o.keepOnly = keptTags(for: profile)
        o.keepOnlyAppliesToMeta = true
        return o
    }

    /// Scans in batches and hands each batch, in input order, to `consume` on the calling thread,
    /// so that callers can reduce results as they come and memory stays bounded by two batches:
    /// the workers scan the next batch while `consume` folds the current one.
    public func scan(root: String, files: [String], batchSize: Int = 4096, progress: (@Sendable (Int) -> Void)? = nil,
                     consume: ([ScanResult]) throws -> Void) rethrows {
        let levels = LevelTags(profile: profile)
        let options = Self.readOptions(for: profile)
        let keyMaker = RecordKeyMaker(profile: profile, invent: false)  // anything to invent is left to the builder
        let workers = self.workers
        let files = files
        /// `deep`: the disk is slow (a cold cache: a folder just copied from a USB disk or a
        /// share), so the batch is read with more threads than processors, for more reads in
        /// flight; the first batch decides, by its rate.
        @Sendable func batch(_ start: Int, _ end: Int, deep: Bool = false) -> [ScanResult] {
            // Runs of at most 64 files in one folder: each run opens its folder once and its
            // files relative to it. On a slow disk runs of 8: a run's files are read one after
            // the other, so shorter runs put more reads in flight.
            let longest = deep ? 8 : 64
            var runs: [Range<Int>] = []
            var i = start
            while i < end {
                let folder = folderPart(files[i])
                var j = i + 1
                while j < end && j - i < longest && folderPart(files[j]) == folder { j += 1 }
                runs.append(i..<j)
                i = j
            }
            let one = { @Sendable [runs] (r: Int) -> [ScanResult] in
                let run = runs[r]
                let folder = OpenFolder(root + "/" + folderPart(files[run.lowerBound]))
                return run.map { Self.scanOne(root: root, relative: files[$0], folder: folder, levels: levels, options: options, keyMaker: keyMaker) }
            }
            let results = deep ? parallelMapWaiting(runs.count, threads: Self.deepThreads, one) : parallelMap(runs.count, workers: workers, one)
            progress?(end)
            return results.flatMap { $0 }
        }
        // A first, short batch times the disk: on a slow one it would take long with few
        // threads (a 4,096-file first batch from a cold cache took about 0.4 s).
        let first = min(files.count, min(batchSize, Self.probeFiles))
        var start = 0
        let began = DispatchTime.now().uptimeNanoseconds
        var current = files.isEmpty ? [] : batch(0, first)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let deep = files.count > first && seconds * slowRate > Double(first)
        var nextStart = first
        while start < files.count {
            let aheadStart = nextStart
            let aheadEnd = min(files.count, aheadStart + (deep ? batchSize * Self.deepBatches : batchSize))
            let ahead = Ahead()
            let group = DispatchGroup()
            if aheadStart < files.count {
                DispatchQueue.global().async(group: group) { ahead.results = batch(aheadStart, aheadEnd, deep: deep) }
            }
            defer { group.wait() }  // also when consume throws: no worker outlives the scan
            try consume(current)
            group.wait()
            current = ahead.results
            start = aheadStart
            nextStart = aheadEnd
        }
    }

    /// Threads reading at once when the disk is slow.
    static let deepThreads = 64
    /// On a slow disk a batch is this many times longer: each batch ends with fewer reads in
    /// flight than threads, as its last runs finish.
    static let deepBatches = 2
    /// Files of the first batch, the one that decides whether the disk is slow.
    static let probeFiles = 512

    /// The batch scanned ahead, handed from its thread to the caller's after `wait`.
    /// `@unchecked Sendable`: written by the scanning job, read by the caller only after the
    /// group's `wait` returned.
    private final class Ahead: @unchecked Sendable {
        var results: [ScanResult] = []
    }

    /// Reads one header and reduces it, on the worker's thread: three level blobs and the
    /// leaf's own elements remain; the rest is released here, in parallel. `rawHeaders: false`
    /// always takes the general reader (the tests compare the two paths).
    static func scanOne(root: String, relative: String, folder: OpenFolder? = nil, levels: LevelTags, options: ReadOptions,
                        keyMaker: RecordKeyMaker, rawHeaders: Bool = true) -> ScanResult {
        let raw: RawHeader?
        if !rawHeaders {
            raw = nil
        } else if let folder, folder.fd >= 0 {
            raw = RawHeader.read(at: folder.fd, path: String(lastComponentPart(relative)))
        } else {
            raw = RawHeader.read(path: root + "/" + relative)
        }
        // What verify checks of the whole file (nothing but elements after Pixel Data, native
        // pixels of the right length), create checks too: ReferencedFileRules. (The path is
        // made only when a file needs a second read or a message.)
        if let raw {
            defer { raw.recycle() }
            if let found = fromRawHeader(raw, relative: relative, levels: levels, keyMaker: keyMaker) {
                if case .instance = found, let problem = ReferencedFileRules.problem(raw, root: root, relative: relative) {
                    return .unusable(path: relative, reason: "\(SystemPath.display(root + "/" + relative)): \(problem)")
                }
                return found
            }
        }
        let path = root + "/" + relative
        let file: DICOMFile
        do {
            file = try DICOMFile.read(path: path, options: options)
        } catch let e as DICOMError {
            if e.kind == .notDICOM { return .notDICOM(path: relative, reason: e.message) }
            return .unusable(path: relative, reason: e.description)
        } catch {
            return .unusable(path: relative, reason: "\(error)")
        }
        guard file.hasMetaInformation, file.preamble != nil else {
            return .unusable(path: relative, reason: "\(path): not a DICOM Part 10 file (no preamble or File Meta Information); a file-set holds Part 10 files only")
        }
        guard nonEmpty(file.meta.string(.transferSyntaxUID)) != nil else {
            return .unusable(path: relative, reason: "\(SystemPath.display(path)): no Transfer Syntax UID (0002,0010) in the File Meta Information; it is Type 1 (PS3.10 §7.1)")
        }
        let ds = file.dataSet
        guard let sopClass = nonEmpty(ds.string(.sopClassUID)) ?? nonEmpty(file.meta.string(.mediaStorageSOPClassUID)),
              let sopInstance = nonEmpty(ds.string(.sopInstanceUID)) ?? nonEmpty(file.meta.string(.mediaStorageSOPInstanceUID)) else {
            return .unusable(path: relative, reason: "\(path): no SOP Class UID or SOP Instance UID")
        }
        if let problem = ReferencedFileRules.problem(open: { try FileByteSource(path: path) }) {
            return .unusable(path: relative, reason: problem.hasPrefix(path) ? problem : "\(SystemPath.display(path)): \(problem)")
        }
        let warnings = file.warnings + metaWarnings(nonEmpty(file.meta.string(.mediaStorageSOPInstanceUID)), sopInstance)
        let size = file.fileSize
        let leafType = RecordType.leaf(forSOPClass: sopClass)
        let encoder = DataSetEncoder()
        var split = LevelSplit(levels, leafType: leafType)
        for e in ds.elements { split.add(split.mask(for: e.tag), element: e, encoder: encoder) }
        let blobs = split.blobs()
        let leafElements = split.leaf
        let leafHeader = DataSet(sortedElements: leafElements, characterSet: ds.characterSet)
        return .instance(ScannedInstance(relativePath: relative, size: size, sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                         transferSyntaxUID: file.meta.string(.transferSyntaxUID) ?? file.transferSyntax.uid,
                                         header: leafHeader, warnings: warnings, patientID: nonEmpty(ds.string(.patientID)),
                                         studyUID: nonEmpty(ds.string(.studyInstanceUID)),
                                         seriesUID: nonEmpty(ds.string(.seriesInstanceUID)),
                                         leafType: leafType, levelBlobs: blobs, keyMaker: keyMaker))
    }
}

extension InstanceScanner {
    /// The same instance as `scanOne` makes with the general reader, from a header in the
    /// common form (see `RawHeader`): elements are copied as they are encoded, nothing is
    /// decoded but the UIDs and grouping keys. Nil for what this path does not cover (kept
    /// sequences, bulk values, no SOP UIDs): the general reader then reads the file.
    static func fromRawHeader(_ raw: RawHeader, relative: String, levels: LevelTags, keyMaker: RecordKeyMaker) -> ScanResult? {
        let recent = RecentValues.ofThisThread()
        guard let sopClass = nonEmpty(raw.string(.sopClassUID, reusing: recent.sopClass?.uid)) ?? nonEmpty(raw.metaString(.mediaStorageSOPClassUID)),
              let sopInstance = nonEmpty(raw.string(.sopInstanceUID)) ?? nonEmpty(raw.metaString(.mediaStorageSOPInstanceUID))
        else { return nil }
        let warnings = raw.metaString(.mediaStorageSOPInstanceUID, equals: sopInstance) ? []
            : metaWarnings(nonEmpty(raw.metaString(.mediaStorageSOPInstanceUID)), sopInstance)
        let sameClass = recent.sopClass.flatMap { $0.uid == sopClass ? $0 : nil }
        let leafType = sameClass?.leafType ?? RecordType.leaf(forSOPClass: sopClass)
        var split = LevelSplit(levels, leafType: leafType)
        for e in raw.elements {
            let mask = split.mask(for: e.tag)
            guard mask != 0 else { continue }
            // The general reader parses kept sequences and leaves long bulk values on disk.
            if e.vr == .SQ || (e.vr.isBulk && e.length > 4096) { return nil }
            split.add(mask, range: e.offset..<e.end, element: { raw.dataElement(e) })
        }
        let blobs = recent.blobs.flatMap { split.wouldMake($0, from: raw.bytes) ? $0 : nil } ?? split.blobs(from: raw.bytes)
        let leafElements = split.leaf
        let leafHeader = DataSet(sortedElements: leafElements, characterSet: raw.characterSet)
        let studyUID = nonEmpty(raw.string(.studyInstanceUID, reusing: recent.study))
        let seriesUID = nonEmpty(raw.string(.seriesInstanceUID, reusing: recent.series))
        // The same string objects as the previous file's (held only once they were found valid).
        var known: ScannedInstance.KnownValid = []
        if sameClass != nil { known.insert(.sopClass) }
        if let s = recent.study, s == studyUID { known.insert(.study) }
        if let s = recent.series, s == seriesUID { known.insert(.series) }
        let inst = ScannedInstance(relativePath: relative, size: raw.fileSize, sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                   // What the meta element says: a RawHeader's syntax is a registered
                                   // UID read from it exactly (bar trailing padding).
                                   transferSyntaxUID: raw.transferSyntax.uid,
                                   header: leafHeader, warnings: warnings, patientID: nonEmpty(raw.string(.patientID)),
                                   studyUID: studyUID, seriesUID: seriesUID,
                                   leafType: leafType, levelBlobs: blobs, keyMaker: keyMaker, knownValid: known)
        if inst.invalidUID == nil {
            recent.sopClass = (sopClass, leafType)
            recent.study = studyUID
            recent.series = seriesUID
            recent.blobs = blobs
        }
        return .instance(inst)
    }
}

/// The previous file's SOP Class, Study and Series UIDs on this scan thread, kept only when
/// valid: files of a series come together, so they are usually the same again, and reusing
/// them spares a string and a UID check each (see `RawHeader.string(_:reusing:)`).
final class RecentValues {
    var sopClass: (uid: String, leafType: RecordType)?
    var study: String?
    var series: String?
    /// The previous file's level blobs, shared with the next file whose blobs are the same bytes.
    var blobs: ScannedInstance.LevelBlobs?

    private static let perThread = PerThread { RecentValues() }
    static func ofThisThread() -> RecentValues { perThread.value }
}

/// A folder opened for reading the files in it by name (closed when released).
/// `@unchecked Sendable`: the descriptor is set once and used only by `openat`, which the
/// kernel serialises.
final class OpenFolder: @unchecked Sendable {
    let fd: Int32
    init(_ path: String) { fd = SystemPath.withCPath(path) { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } }
    deinit { if fd >= 0 { close(fd) } }
}

func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}

public func sysconfCores() -> Int { onlineProcessors() }
