import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// A read-only check of a received file-set: the DICOMDIR itself, its record graph, its keys,
/// and every file it references (or fails to reference). Each problem is a `Finding` that
/// says what the standard expects. Opens everything read-only; writes nothing.
public struct Verifier: Sendable {
    public var profile: ApplicationProfile?

    public init(profile: ApplicationProfile? = nil) { self.profile = profile }

    static var fileCheckOptions: ReadOptions { ReferencedFileRules.wholeFileOptions }

    public struct Report: Sendable, Codable {
        public var fileSet: String
        public var records: Int
        public var inactiveRecords: Int
        public var referencedFiles: Int
        public var findings: [Finding]
        public var errors: Int { findings.filter { $0.severity == .error }.count }
        public var warnings: Int { findings.filter { $0.severity == .warning }.count }
    }

    /// Throws only when PATH cannot be read as a file-set at all (no DICOMDIR, not DICOM).
    public func verify(path: String) throws -> Report {
        guard FileOps.exists(path) else { throw FileSetError.unusableInput("\(SystemPath.display(path)): no such file or folder") }
        if FileOps.isDirectory(path) { return try verify(storage: FolderStorage(root: path)) }
        return try verify(storage: FolderStorage(root: directoryName(path)), dicomdir: lastComponent(path))
    }

    /// Verifies the file-set in `storage` (a folder here; a disc image through the Media module).
    public func verify(storage: FileSetStorage, dicomdir: String = "DICOMDIR") throws -> Report {
        try verifyReading(storage: storage, dicomdir: dicomdir).report
    }

    /// The report and the DICOMDIR read for it, for callers that check more (the disc
    /// verifier) without reading the DICOMDIR a second time.
    public func verifyReading(storage: FileSetStorage, dicomdir: String = "DICOMDIR") throws -> (report: Report, dicomdir: DICOMDIR) {
        var timer = PhaseTimer()
        let read = try DICOMDIRReader.read(storage: storage, name: dicomdir)
        timer.mark("read DICOMDIR")
        var findings = read.findings
        var header: [Finding] = []
        checkDICOMDIRFile(read, storage: storage, &header)
        findings += header.map { var h = $0; h.file = h.file ?? "DICOMDIR"; return h }
        let records = read.dicomdir.allRecords

        // References: valid, inside, present, unique. Each record's own checks run on all
        // cores; uniqueness is decided serially, in record order; then each file is opened and
        // checked (independent of each other, in parallel).
        let checker = self
        let perRecord = parallelMap(records.count) { i -> (keys: [Finding], reference: [Finding], key: String?) in
            let r = records[i]
            var keys: [Finding] = [], reference: [Finding] = []
            checker.checkKeys(r, &keys)
            guard let ref = r.reference else { return (keys, reference, nil) }
            let subject = { "\(DICOMDIRReader.describe(r)) → \(ref.fileID.path)" }
            let violations = FileID.violations(of: ref.fileID.components)
            if !violations.isEmpty {
                reference.append(Finding(.error, .fileIDInvalid, subject(), "Referenced File ID is not valid: " + violations.map(\.description).joined(separator: "; ") + " (PS3.10 §8.2)"))
            }
            // Only a File ID the resolver accepts is ever opened (a crafted "..\\..\\x" is not).
            guard case .success(let path) = ref.fileID.resolvedPath() else {
                reference.append(Finding(.error, .fileIDOutside, subject(), "Referenced File ID is not followed: it could name a file outside the file-set (PS3.10 §8.2, §7.5)"))
                return (keys, reference, nil)
            }
            return (keys, reference, asciiUppercased(path))
        }
        for (i, r) in perRecord.enumerated() {
            findings += r.keys.map { var k = $0; k.file = "DICOMDIR"; k.offset = k.offset ?? records[i].offset; return k }
        }
        // Record indices, not copies: a leaf's reference is decoded where it is used.
        var referenced: [String: Int] = [:]   // File ID path (upper case) → its record
        referenced.reserveCapacity(records.count)
        var toCheck: [Int] = []
        for (i, r) in perRecord.enumerated() {
            findings += r.reference.map { var k = $0; k.file = "DICOMDIR"; k.offset = records[i].offset; k.tag = Tag(0x0004, 0x1500).description; return k }
            guard let key = r.key else { continue }
            if let other = referenced[key] {
                findings.append(Finding(.error, .referenceDuplicate, "\(DICOMDIRReader.describe(records[i])) → \(records[i].reference?.fileID.path ?? "")",
                                        "file already referenced by the \(DICOMDIRReader.describe(records[other])); a file is referenced by at most one record (PS3.3 F.3.2.2)"))
                continue
            }
            referenced[key] = i
            toCheck.append(i)
        }
        timer.mark("record checks")
        let workers = max(1, min(8, sysconfCores()))
        findings += parallelMap(toCheck.count, workers: workers) { [toCheck] i -> [Finding] in
            var f: [Finding] = []
            let record = records[toCheck[i]]
            guard let ref = record.reference else { return f }
            // Built only for a finding: most files have none.
            let subject = { "\(DICOMDIRReader.describe(record)) → \(ref.fileID.path)" }
            checker.checkReferencedFile(ref.fileID, in: storage, ref, record: record, subject: subject, &f)
            for k in f.indices where f[k].file == nil { f[k].file = ref.fileID.path }
            return f
        }.flatMap { $0 }
        timer.mark("referenced files")

        // Every DICOM file in the file-set is referenced (PS3.11); other files are listed.
        var walked: DirectoryWalker?
        if let folder = storage as? FolderStorage {
            walked = try? folder.walk()
            for s in walked?.skipped ?? [] {
                findings.append(Finding(.warning, .entryNotRegular, SystemPath.display(s.path), s.reason, file: SystemPath.display(s.path)))
            }
        }
        if let files = walked?.files ?? (storage is FolderStorage ? nil : try? storage.allFiles()) {
            let folder = (storage as? FolderStorage)?.root
            let journaled = Set(folder.flatMap { Journal.read(in: $0) }?.paths.map { $0.uppercased() } ?? [])
            let inactive = Set(read.inactiveFileIDs.map { asciiUppercased($0.path) })
            let unreferenced = files.filter { $0 != read.name && referenced[asciiUppercased($0)] == nil }
            findings += parallelMap(unreferenced.count, workers: workers) { i -> Finding in
                let rel = unreferenced[i]
                if FileOps.isStagingPath(rel) {
                    return Finding(.info, .stagingLeftover, SystemPath.display(rel), "left by an interrupted dicomfs run; the next add or remove cleans it up, and iso leaves it off the disc")
                }
                if inactive.contains(asciiUppercased(rel)) {
                    return Finding(.info, .inactiveFile, rel, "referenced only by an inactive (deleted) record")
                }
                if journaled.contains(rel.uppercased()) {
                    return Finding(.info, .journaledLeftover, rel, "written by an interrupted dicomfs add (listed in its journal); the next add or remove deletes it")
                }
                // DICOM if its meta information (or a first element, for legacy files) reads.
                if (try? storage.readDICOM(rel, options: ReadOptions(stopBefore: Tag(0x0000, 0x0001)))) != nil {
                    return Finding(.error, .unreferencedDICOM, SystemPath.display(rel), file: SystemPath.display(rel), "DICOM file not referenced by the DICOMDIR (PS3.11: every DICOM file of the file-set is referenced)")
                }
                return Finding(.info, .nonDICOM, SystemPath.display(rel), "non-DICOM file (allowed; not referenced)")
            }
        }
        timer.mark("unreferenced files")
        return (Report(fileSet: storage.location, records: records.count, inactiveRecords: read.inactiveRecords,
                       referencedFiles: referenced.count, findings: findings), read.dicomdir)
    }

    // MARK: The DICOMDIR file

    private func checkDICOMDIRFile(_ read: DICOMDIRReader.Result, storage: FileSetStorage, _ f: inout [Finding]) {
        let (file, dir) = (read.file, read.dicomdir)
        let s = "DICOMDIR"
        // The structure elements of PS3.3 Table F.3-3: Type 1 in the header and every item,
        // whatever a tolerant reader can do without them.
        let header: [Tag] = [.offsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity,
                             .offsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity, .fileSetConsistencyFlag]
        for tag in header where !file.dataSet.contains(tag) {
            f.append(Finding(.error, .structureMissing, s, file: s, tag: tag,
                             "\(tag) \(DataDictionary.keyword(for: tag)) is missing; it is Type 1 (PS3.3 Table F.3-3)"))
        }
        for (offset, tag) in read.missingItemElements {
            f.append(Finding(.error, .structureMissing, "record at byte \(offset ?? 0)", file: s, offset: offset, tag: tag,
                             "\(tag) \(DataDictionary.keyword(for: tag)) is missing; it is Type 1 in every directory record (PS3.3 Table F.3-3)"))
        }
        if file.preamble == nil || !file.hasMetaInformation {
            f.append(Finding(.error, .dicomdirNotPart10, s, "not a DICOM Part 10 file: it needs a preamble, \"DICM\" and File Meta Information (PS3.10 §7.1)"))
        }
        if file.meta.string(.transferSyntaxUID) != TransferSyntax.explicitVRLittleEndian.uid {
            f.append(Finding(.error, .dicomdirTransferSyntax, s, "transfer syntax is \(file.meta.string(.transferSyntaxUID) ?? "missing"); a DICOMDIR is Explicit VR Little Endian (PS3.10 §8.6)"))
        }
        if file.meta.string(.mediaStorageSOPClassUID) != DICOMDIR.sopClassUID {
            f.append(Finding(.error, .dicomdirSOPClass, s, "Media Storage SOP Class UID is \(file.meta.string(.mediaStorageSOPClassUID) ?? "missing"), expected \(DICOMDIR.sopClassUID) (PS3.10 §8.6)"))
        }
        if dir.fileSetUID.isEmpty || !UIDRegistry.isValid(dir.fileSetUID) {
            f.append(Finding(.error, .dicomdirFileSetUID, s, "File-set UID (0002,0003) \"\(dir.fileSetUID)\" is not a valid UID"))
        }
        if !file.dataSet.contains(.fileSetID) {
            f.append(Finding(.error, .dicomdirFileSetIDMissing, s, "File-set ID (0004,1130) is missing; it is Type 2 (PS3.3 Table F.3-2)"))
        } else if !FileID.isValidFileSetID(dir.fileSetID) {
            f.append(Finding(.error, .dicomdirFileSetIDInvalid, s, "File-set ID \"\(dir.fileSetID)\" is not 0–16 characters of A–Z, 0–9 and _ (PS3.10 §8.2)"))
        }
        if let flag = file.dataSet.int(.fileSetConsistencyFlag), flag != 0 {
            f.append(Finding(.error, .dicomdirConsistencyFlag, s, "File-set Consistency Flag (0004,1212) is \(flag); it must be 0000H (PS3.3 Table F.3-3)"))
        }
        if let d = dir.descriptorFileID {
            if !FileID.violations(of: d.components).isEmpty || (try? d.resolvedPath().get()) == nil {
                f.append(Finding(.error, .dicomdirDescriptor, s, "descriptor File ID \(d.path) is not a valid File ID"))
            } else {
                _ = locate(d, in: storage, subject: "descriptor \(d.path)", &f)  // reports a missing file
            }
        }
        if let p = file.preamble {
            let (kind, what) = Preamble.classify(p)
            if kind == .executable { f.append(Finding(.error, .filePreambleExecutable, s, "preamble holds executable content (\(what)); PS3.10 §7.5")) }
        }
    }

    // MARK: Keys

    private func checkKeys(_ r: DirectoryRecord, _ f: inout [Finding]) {
        guard RecordType(rawValue: r.typeText) != nil else {
            f.append(Finding(.warning, .recordTypeUnknown, DICOMDIRReader.describe(r), "record type \"\(r.typeText)\" is retired or unknown; it is not checked"))
            return
        }
        let keys = r.keys   // decoded once: a leaf read from a DICOMDIR keeps its keys encoded
        for spec in RecordKeys.keys(for: r.type) {
            let e = keys[spec.tag]
            switch spec.type {
            case .type1 where !(e.map(hasValue) ?? false):
                f.append(Finding(.error, .keyType1, DICOMDIRReader.describe(r), file: "DICOMDIR", offset: r.offset, tag: spec.tag, "Type 1 key \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) is \(e == nil ? "missing" : "empty") (PS3.3 \(RecordKeys.tableName(r.type)))"))
            case .type2 where e == nil:
                f.append(Finding(.error, .keyType2, DICOMDIRReader.describe(r), file: "DICOMDIR", offset: r.offset, tag: spec.tag, "Type 2 key \(spec.tag) \(DataDictionary.keyword(for: spec.tag)) is missing (PS3.3 \(RecordKeys.tableName(r.type)))"))
            default:
                break
            }
        }
        // Every value against its VR and VM (PS3.5 §6.2), as dciodvfy checks them.
        // Any value at all (the first may be empty: "\\ISO 2022 IR 87").
        let declaresCharset = keys[.specificCharacterSet]?.bytes?.contains { $0 != 0x20 && $0 != 0x5C && $0 != 0 } ?? false
        for e in keys.elements where !e.tag.isPrivate && e.vr != .SQ && !e.vr.isBulk {
            if !declaresCharset, ValueRules.textVRs.contains(e.vr), let raw = e.bytes, let bad = ValueRules.outsideDefaultRepertoire(raw) {
                f.append(Finding(.error, .keyValue, DICOMDIRReader.describe(r), file: "DICOMDIR", offset: r.offset, tag: e.tag,
                                 "\(e.tag) \(DataDictionary.keyword(for: e.tag)) \(e.vr.rawValue): byte \(bad) is outside the default character repertoire and the record has no Specific Character Set (0008,0005) (PS3.5 §6.1.2)"))
                continue
            }
            // On bytes first, as create checks them: a single value that certainly holds needs
            // no decoding (verify runs this for every key of every record).
            if let raw = e.bytes, !raw.contains(0x5C), e.vr != .UI, ValueRules.quickOK(e.vr, raw) { continue }
            guard let values = keys.strings(e.tag) else { continue }
            for p in ValueRules.problems(e.tag, e.vr, values) {
                f.append(Finding(.error, .keyValue, DICOMDIRReader.describe(r), file: "DICOMDIR", offset: r.offset, tag: e.tag,
                                 "\(e.tag) \(DataDictionary.keyword(for: e.tag)) \(e.vr.rawValue): \(p)"))
            }
        }
        // The Content Sequence of SR and Key Object records holds the concept modifiers of the
        // document title only (PS3.3 F.5): Relationship Type HAS CONCEPT MOD, as dciodvfy checks.
        if r.type == .srDocument || r.type == .keyObjectDoc, let items = keys.sequence(.contentSequence) {
            for (i, item) in items.enumerated() {
                let rel = item.string(.relationshipType) ?? ""
                if rel != "HAS CONCEPT MOD" {
                    f.append(Finding(.error, .keyValue, DICOMDIRReader.describe(r), file: "DICOMDIR", offset: r.offset, tag: .relationshipType,
                                     "Content Sequence item \(i + 1): Relationship Type \(rel.isEmpty ? "missing" : "\"\(rel)\"") where only HAS CONCEPT MOD is allowed in a directory record (PS3.3 F.5)"))
                }
            }
        }
        if r.type.isLeaf && r.type != .private && !r.isLeaf {
            f.append(Finding(.error, .referenceMissing, DICOMDIRReader.describe(r), "leaf record without Referenced File ID (0004,1500)"))
        }
    }

    // MARK: Referenced files

    /// The path of a referenced file, tolerating case differences (discs mounted on Linux often
    /// show lower case) with a warning.
    private func locate(_ id: FileID, in storage: FileSetStorage, subject: String, _ f: inout [Finding]) -> String? {
        guard let found = storage.locate(id) else {
            if case .success = id.resolvedPath() {
                f.append(Finding(.error, .referenceMissingFile, subject, "referenced file does not exist", file: id.path))
            }
            return nil
        }
        if found != id.path {
            f.append(Finding(.warning, .referenceCase, subject, "found only as \(found) (case differs, common on discs mounted on Linux)"))
        }
        return found
    }

    private func checkReferencedFile(_ id: FileID, in storage: FileSetStorage, _ ref: InstanceReference, record: DirectoryRecord,
                                     subject: () -> String, _ f: inout [Finding]) {
        // Read to the end: every element's length is checked against the file, but only the
        // elements the checks use are copied, and bulk data stays on disk. The file is looked
        // for under other cases only when it does not open as named.
        var file: DICOMFile
        do {
            file = try quickRead(id.path, in: storage) ?? storage.readDICOM(id.path, options: Self.fileCheckOptions)
        } catch {
            if let folder = storage as? FolderStorage, let kind = folder.confined.kind(id.path), kind != .file {
                let what = kind == .symbolicLink ? "a symbolic link" : kind == .folder ? "a folder" : "not a regular file (a device, pipe or socket)"
                f.append(Finding(.error, .referenceNotRegular, subject(), "referenced file is \(what); not followed (a file-set's files are regular files inside it)"))
                return
            }
            if storage.fileExists(id.path) {
                f.append(Finding(.error, .fileParse, subject(), "referenced file does not parse: \(error)"))
                return
            }
            guard let actual = locate(id, in: storage, subject: subject(), &f) else { return }
            do {
                file = try storage.readDICOM(actual, options: Self.fileCheckOptions)
            } catch {
                f.append(Finding(.error, .fileParse, subject(), "referenced file does not parse: \(error)"))
                return
            }
        }
        if let p = file.preamble {
            let (kind, what) = Preamble.classify(p)
            if kind == .executable { f.append(Finding(.error, .filePreambleExecutable, subject(), "preamble holds executable content (\(what)); PS3.10 §7.5 asks that it be all zero or a known safe format")) }
            if kind == .tiff { f.append(Finding(.info, .filePreambleTIFF, subject(), "preamble holds a \(what) (dual-format file)")) }
        }
        if !file.hasMetaInformation { f.append(Finding(.error, .fileNotPart10, subject(), "not a Part 10 file (no File Meta Information)")) }
        let ts = file.meta.string(.transferSyntaxUID) ?? ""
        let checks: [(String, String?, String)] = [
            ("SOP Class UID", file.sopClassUID, ref.sopClassUID),
            ("SOP Instance UID", file.sopInstanceUID, ref.sopInstanceUID),
            ("Transfer Syntax UID", ts, ref.transferSyntaxUID),
        ]
        for (what, actual, recorded) in checks where actual != recorded {
            f.append(Finding(.error, .referenceMismatch, subject(), "file's \(what) is \(actual ?? "missing") but the record says \(recorded) (PS3.3 F.3.2.2)"))
        }
        if let profile, !profile.allows(transferSyntax: ts) {
            f.append(Finding(.error, .profileTransferSyntax, subject(), "transfer syntax \(ts) is not allowed by \(profile.name)"))
        }
        checkPixelLength(file, subject: subject, &f)
        if record.type == .image || !record.type.isLeaf {
            // A file without a value is no contradiction: a creator filled the Type 1 key (create
            // --invent does, and says so).
            if let n = record.keys(only: [.instanceNumber]).string(.instanceNumber), let m = file.dataSet.string(.instanceNumber), !m.isEmpty, n != m {
                f.append(Finding(.warning, .instanceNumber, subject(), "Instance Number is \(m) in the file but \(n) in the record"))
            }
        }
    }

    /// A file in the common form (see `RawHeader`), located to its last byte without the
    /// general parser: every element's length checked against the file, the elements the
    /// checks use copied as the general read with `fileCheckOptions` would keep them. Nil for
    /// anything else, which the general reader then reads.
    private func quickRead(_ path: String, in storage: FileSetStorage) -> DICOMFile? {
        guard let folder = storage as? FolderStorage, let fd = try? folder.confined.openFile(path) else { return nil }
        defer { close(fd) }
        guard let raw = RawHeader.read(descriptor: fd, stopBefore: Tag(0xFFFF, 0xFFFF)),
              let kept = Self.fileCheckOptions.keepOnly else { return nil }
        defer { raw.recycle() }
        var elements: [DataElement] = []
        for e in raw.elements where kept.contains(e.tag) || e.tag == .specificCharacterSet || e.tag == .pixelRepresentation {
            if e.vr == .SQ { return nil }
            elements.append(e.vr.isBulk && e.length > (Self.fileCheckOptions.bulkDataThreshold ?? Int.max)
                ? DataElement(e.tag, e.vr, .notLoaded(length: e.length), offset: e.offset, valueOffset: e.valueOffset)
                : raw.dataElement(e))
        }
        var file = DICOMFile(preamble: Array(raw.bytes[0..<128]),
                             meta: DataSet(sortedElements: raw.meta.map(raw.dataElement), characterSet: .default),
                             dataSet: DataSet(sortedElements: elements, characterSet: raw.characterSet),
                             transferSyntax: raw.transferSyntax)
        file.fileSize = raw.fileSize
        file.path = storage.display(path)
        return file
    }

    /// Native pixel data must hold Rows × Columns × Frames × Samples × Bits Allocated / 8 bytes.
    private func checkPixelLength(_ file: DICOMFile, subject: () -> String, _ f: inout [Finding]) {
        if let problem = ReferencedFileRules.pixelLengthProblem(file) { f.append(Finding(.error, .filePixelLength, subject(), problem, tag: .pixelData)) }
    }
}

/// Upper case for the ASCII paths File IDs are; other text through the full Unicode rules.
func asciiUppercased(_ s: String) -> String {
    // File IDs are upper case already: no copy for them.
    if !s.utf8.contains(where: { $0 >= 0x61 }) { return s }
    guard s.utf8.allSatisfy({ $0 < 0x80 }) else { return s.uppercased() }
    return String(decoding: s.utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
}
