import DICOM

public struct CreateOptions: Sendable {
    public var profile: ApplicationProfile = .stdGenCD
    /// (0004,1130): 0–16 characters of A–Z, 0–9, _.
    public var fileSetID = ""
    /// The DICOMDIR's (0002,0003); generated (2.25 UUID form) when nil.
    public var fileSetUID: String?
    /// A text file copied to the file-set root and named in (0004,1141).
    public var descriptorPath: String?
    /// (0004,1142), a defined term of (0008,0005) such as "ISO_IR 100".
    public var descriptorCharacterSet: String?
    /// Fill missing Type 1 keys with documented, deterministic values instead of failing.
    public var invent = false
    /// Make inconsistencies between instances errors.
    /// Leave out every file that cannot go in (listed with its reason) instead of refusing.
    public var skipInvalid = false
    /// Source paths (relative to the source) not to take in.
    public var excluded: Set<String> = []
    public var strict = false
    /// The source folder already is the file-set: validate its paths as File IDs, write only the DICOMDIR.
    public var inPlace = false
    /// In place: replace an existing DICOMDIR.
    public var replaceExistingDICOMDIR = false
    public var dryRun = false
    /// Makes the Icon Image Sequence item (PS3.3 F.7) of an image file; nil: no icons. The
    /// Imaging module provides one; FileSet does not render pixels itself.
    public var iconMaker: (@Sendable (String) throws -> DataSet)?
    /// Also give SERIES records an icon (their middle image's).
    public var seriesIcons = false
    public var workers = max(1, min(8, sysconfCores()))

    public init() {}
}

/// What a create did (or, for a dry run, would do).
public struct CreateReport: Sendable, Codable {
    public struct Note: Sendable, Codable, Equatable {
        public let path: String
        public let reason: String
        /// For files left out: the rule they broke (the first, when several).
        public var rule: FindingRule?

        public init(path: String, reason: String, rule: FindingRule? = nil) {
            self.path = path
            self.reason = reason
            self.rule = rule
        }
    }

    public var fileSet = ""
    public var fileSetID = ""
    public var fileSetUID = ""
    public var profile = ""
    public var dryRun = false
    public var instances = 0
    /// Records by type, e.g. ["PATIENT": 2, "IMAGE": 40].
    public var records: [String: Int] = [:]
    /// Bytes of the DICOM files referenced, plus the DICOMDIR.
    public var bytes = 0
    public var dicomdirBytes = 0
    public var nonDICOM: [Note] = []
    /// DICOM-looking files that could not be used; each is a finding (exit status 1).
    public var unusable: [Note] = []
    /// Entries the walk did not follow (links outside, loops, devices); findings too.
    public var skipped: [Note] = []
    public var duplicates: [String] = []
    public var inconsistencies: [String] = []
    public var invented: [String] = []
    public var warnings: [String] = []
    /// Files `--skip-invalid` left out, each with why; findings (exit status 1).
    public var leftOut: [Note] = []
    /// Files `--transcode` rewrote in Explicit VR Little Endian (reason: the syntax they had),
    /// and those it could not (reason: why; staging then refused or left them out).
    public var transcoded: [Note] = []
    public var notTranscoded: [Note] = []
    /// `--transcode` with a capacity the set did not fit: the images stored natively were
    /// compressed losslessly (in `syntax`), `before` and `after` bytes of those files.
    public struct Fit: Codable, Sendable, Equatable {
        public var capacity: Int64
        public var syntax: String
        public var instances: Int
        public var before: Int64
        public var after: Int64
        public init(capacity: Int64, syntax: String, instances: Int, before: Int64, after: Int64) {
            self.capacity = capacity; self.syntax = syntax; self.instances = instances; self.before = before; self.after = after
        }
    }
    public var compressedToFit: Fit?
    /// With web content: the bytes it adds — renderings (IHE_PDI/ pictures), pages and
    /// reports, and the viewer (VIEWER/).
    public struct WebBytes: Codable, Sendable, Equatable {
        public var renderings: Int64
        public var pages: Int64
        public var viewer: Int64
        public init(renderings: Int64, pages: Int64, viewer: Int64) { self.renderings = renderings; self.pages = pages; self.viewer = viewer }
    }
    public var webBytes: WebBytes?

    public var hasFindings: Bool { !unusable.isEmpty || !skipped.isEmpty || !leftOut.isEmpty }
}

/// A file-set decided but not yet written: which source file becomes which File ID, and the
/// encoded DICOMDIR. `create` writes it to a folder; the Media module can master it straight
/// into an image without copying the files first.
public struct StagedFileSet: Sendable {
    public var report: CreateReport
    public var source: String
    /// Every instance to copy: its File ID and its path relative to `source`.
    public var copies: [(fileID: FileID, source: String)]
    public var dicomdir: [UInt8]
    /// The descriptor file (0004,1141) and where it comes from.
    public var descriptor: (fileID: FileID, source: String)?
    /// Non-DICOM content to place in the file-set (web pages, a viewer, README.TXT): its path
    /// in the file-set and the file it comes from. Never referenced by the DICOMDIR.
    public var extraFiles: [(path: String, source: String)] = []

    /// Makes `fileID` (a file among `extraFiles`, e.g. README.TXT) the File-set descriptor
    /// (0004,1141/1142): the DICOMDIR is decoded, changed and encoded again.
    /// The plan that writes this set: its instances copied (unless in place), the descriptor
    /// and extra files beside the DICOMDIR.
    public func plan(inPlace: Bool) -> FileSetPlan {
        var plan = FileSetPlan(dicomdir: dicomdir)
        if !inPlace { plan.copies = copies.map { (source + "/" + $0.source, $0.fileID) } }
        plan.extras = (descriptor.map { [(path: $0.fileID.path, source: $0.source)] } ?? [])
            + extraFiles.filter { $0.path != descriptor?.fileID.path }
        plan.extraInPlace = inPlace ? descriptor?.fileID.path : nil
        return plan
    }

    public mutating func setDescriptor(_ fileID: FileID, characterSet: String?) throws {
        let read = try DICOMDIRReader.read(bytes: dicomdir)
        var dir = read.dicomdir
        dir.descriptorFileID = fileID
        dir.descriptorCharacterSet = characterSet
        dicomdir = try DICOMDIRWriter().encode(dir)
    }
}

/// The File-set Creator (PS3.10 §8.3): a folder of Part 10 files becomes a file-set.
public enum FileSetCreator {
    public static func create(source: String, output: String?, options: CreateOptions,
                              progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> CreateReport {
        try validate(options, output: output)
        let staged = try stage(source: source, options: options, progress: progress)
        var report = staged.report
        report.fileSet = options.inPlace ? source : (output ?? "")
        if options.dryRun { return report }
        var timer = PhaseTimer()
        try write(staged, output: options.inPlace ? nil : output, progress: progress)
        timer.mark("write")
        return report
    }

    /// Writes a staged file-set: copied into `output` (built in a hidden sibling folder and
    /// renamed into place), or, when `output` is nil, in place: only the DICOMDIR and the
    /// extra files are written into the source folder.
    public static func write(_ staged: StagedFileSet, output: String?,
                             progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws {
        try staged.plan(inPlace: output == nil).commit(to: output.map { .newFolder($0) } ?? .folder(staged.source), progress: progress)
    }

    /// Scans, checks and builds the records and the DICOMDIR, writing nothing. Throws
    /// `.rejected` with every problem when the input breaks a rule.
    public static func stage(source: String, options: CreateOptions,
                             progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> StagedFileSet {
        try validate(options, output: options.inPlace ? nil : "")
        var timer = PhaseTimer()
        let walker = try DirectoryWalker(root: source)
        timer.mark("walk")
        var report = CreateReport()
        report.profile = options.profile.name
        report.dryRun = options.dryRun
        report.skipped = walker.skipped.map { CreateReport.Note(path: $0.path, reason: $0.reason) }

        var rules = StageRules(profile: options.profile, invent: options.invent, strict: options.strict,
                               inPlace: options.inPlace, skipInvalid: options.skipInvalid)
        rules.workers = options.workers
        let inputs = StageInputs(folders: [.init(base: source, files: walker.files)], keyRoot: source)
        var staged = try Staging.stage(inputs, rules: rules, excluded: options.excluded, progress: progress)
        timer.mark("scan, check and records")
        if staged.foundDICOMDIR && !options.replaceExistingDICOMDIR && !options.dryRun {
            throw FileSetError.unusableInput("\(source)/DICOMDIR exists: this folder already is a file-set (use --force to replace its DICOMDIR)")
        }
        var built = staged.built
        staged.built = .init()   // one owner of the leaves: they are let go after the encode
        report.nonDICOM = staged.nonDICOM
        report.unusable = staged.unusable
        report.warnings = staged.warnings
        report.duplicates = staged.duplicates
        report.inconsistencies = staged.inconsistencies
        report.invented = built.invented
        report.leftOut = staged.leftOut
        if built.sources.isEmpty {
            throw FileSetError.unusableInput("\(source): no usable DICOM Part 10 files found (PS3.11 does not allow a DICOMDIR without records)")
        }

        // File IDs: the paths themselves in place, a generated layout otherwise.
        var copies: [(fileID: FileID, source: String)] = []
        if !options.inPlace {   // in place, the builder placed them
            copies = zip(Layout.place(&built.roots), built.sources).map { ($0, $1.path) }
        }
        timer.mark("references")
        if let maker = options.iconMaker, !options.dryRun {
            report.warnings += addIcons(built.sources, roots: &built.roots, source: source, maker: maker, series: options.seriesIcons,
                                        workers: options.workers, progress: progress)
            timer.mark("icons")
        }
        let instanceCount = built.sources.count
        let instanceBytes = built.sources.reduce(0) { $0 + $1.size }
        // (From the paths: reading a created record's reference would decode it.)
        let firstComponents = options.descriptorPath == nil ? []
            : Set((options.inPlace ? built.sources.map(\.path) : copies.map(\.fileID.path)).map { String($0.prefix { $0 != "/" }) })
        built.sources = []
        var dir = DICOMDIR(fileSetID: options.fileSetID, fileSetUID: options.fileSetUID ?? UIDGenerator.make(), roots: built.roots)
        if let descriptor = options.descriptorPath {
            dir.descriptorFileID = try descriptorFileID(for: descriptor, avoiding: firstComponents)
            dir.descriptorCharacterSet = options.descriptorCharacterSet
        }
        let bytes = try DICOMDIRWriter().encode(dir)
        timer.mark("encode")

        report.fileSetID = dir.fileSetID
        report.fileSetUID = dir.fileSetUID
        report.instances = instanceCount
        report.records = Dictionary(uniqueKeysWithValues: DirectoryRecord.countByType(dir.roots).map { ($0.key.rawValue, $0.value) })
        releaseInBackground(dir.roots)
        dir.roots = []
        built.roots = []
        report.dicomdirBytes = bytes.count
        report.bytes = instanceBytes + bytes.count
        let descriptor = options.descriptorPath.flatMap { path in dir.descriptorFileID.map { (fileID: $0, source: path) } }
        return StagedFileSet(report: report, source: source, copies: copies, dicomdir: bytes, descriptor: descriptor)
    }

    /// Icons for IMAGE records (and SERIES records: their middle image's), rendered on all
    /// cores. An image that cannot be rendered gets no icon and a warning.
    private static func addIcons(_ sources: [RecordBuilder.Source], roots: inout [DirectoryRecord], source: String,
                                 maker: @escaping @Sendable (String) throws -> DataSet, series: Bool, workers: Int,
                                 progress: (@Sendable (String, Int, Int) -> Void)?) -> [String] {
        // The leaves' places in the tree, in record order: the same order as `sources`.
        let leaves = DirectoryRecord.leafPaths(roots)
        var images: [(path: [Int], source: RecordBuilder.Source)] = []
        for (path, src) in zip(leaves, sources) {
            var isImage = false
            roots.modify(at: path) { isImage = $0.type == .image }
            if isImage { images.append((path, src)) }
        }
        let paths = images.map { source + "/" + $0.source.path }
        let counter = WorkCounter()
        let icons = parallelMap(paths.count, workers: workers) { i -> Result<DataSet, Error> in
            let done = counter.increment()
            if done % 64 == 0 { progress?("icons", done, paths.count) }
            return Result { try maker(paths[i]) }
        }
        var warnings: [String] = []
        var bySeries: [[Int]: [DataSet]] = [:]   // a series' path → its images' icons, in order
        var seriesOrder: [[Int]] = []
        for (i, image) in images.enumerated() {
            switch icons[i] {
            case .success(let item):
                roots.modify(at: image.path) { $0.keys.set(.iconImageSequence, sequence: [item]) }
                let parent = Array(image.path.dropLast())
                if !parent.isEmpty {
                    if bySeries[parent] == nil { seriesOrder.append(parent) }
                    bySeries[parent, default: []].append(item)
                }
            case .failure(let error):
                warnings.append("\(image.source.path): no icon (\(error))")
            }
        }
        if series {
            for parent in seriesOrder {
                guard let items = bySeries[parent], !items.isEmpty else { continue }
                roots.modify(at: parent) { s in
                    if s.type == .series { s.keys.set(.iconImageSequence, sequence: [items[items.count / 2]]) }
                }
            }
        }
        return warnings
    }

    private static func validate(_ options: CreateOptions, output: String?) throws {
        if !FileID.isValidFileSetID(options.fileSetID) {
            throw FileSetError.unusableInput("File-set ID \"\(options.fileSetID)\": at most 16 characters of A–Z, 0–9 and _ (PS3.10 §8.2)")
        }
        if let uid = options.fileSetUID, !UIDRegistry.isValid(uid) {
            throw FileSetError.unusableInput("File-set UID \"\(uid)\" is not a valid UID (digits and dots, at most 64 characters, PS3.5 §9.1)")
        }
        if let cs = options.descriptorCharacterSet, SpecificCharacterSet(cs).problem != nil || cs.isEmpty {
            throw FileSetError.unusableInput("descriptor character set \"\(cs)\" is not a defined term of Specific Character Set (e.g. ISO_IR 100, ISO_IR 192)")
        }
        if options.descriptorCharacterSet != nil && options.descriptorPath == nil {
            throw FileSetError.unusableInput("--descriptor-charset needs --descriptor")
        }
        if let d = options.descriptorPath, FileOps.fileSize(d) == nil {
            throw FileSetError.unusableInput("descriptor file \(d) cannot be read")
        }
        if !options.inPlace && output != "" {
            guard let output else { throw FileSetError.unusableInput("an output folder (-o) is needed unless --in-place") }
            if FileOps.exists(output) && !FileOps.isEmptyDirectory(output) {
                throw FileSetError.unusableInput("\(output) exists and is not an empty folder; dicomfs never writes over existing files")
            }
        }
    }

    /// A File ID for the descriptor from its name: "readme.txt" → README.
    static func descriptorFileID(for path: String, avoiding used: Set<String>) throws -> FileID {
        var base = lastComponent(path).uppercased()
        if let dot = base.firstIndex(of: ".") { base = String(base[..<dot]) }
        var name = String(base.map { FileID.isFileIDCharacter($0) ? $0 : "_" }.prefix(8))
        if name.isEmpty || name == "DICOMDIR" || used.contains(name) { name = "README" }
        guard !used.contains(name), let id = FileID(components: [name]) else {
            throw FileSetError.unusableInput("descriptor \(path): no free File ID for it")
        }
        return id
    }
}


/// "/"-separated components, split on bytes (paths here are long lists of short ASCII names).
func pathComponents(_ path: String) -> [String] {
    path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(Substring($0)) }
}
