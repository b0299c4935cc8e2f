import DICOM

public struct UpdateOptions: Sendable {
    /// Profile the added files' transfer syntaxes are checked against; nil: the narrowest
    /// PS3.11 profile every instance already in the set satisfies (`inferredProfile`).
    public var profile: ApplicationProfile?
    public var invent = false
    public var strict = false
    /// Leave out instances whose SOP Instance UID the file-set already holds, instead of refusing.
    public var skipExisting = false
    /// Leave out every file that cannot go in (listed with its reason) instead of refusing.
    public var skipInvalid = false
    /// remove: also drop every inactive record and delete the files behind them.
    public var compact = false
    /// Input files ("folder/file" as the report names them) not to take in.
    public var excluded: Set<String> = []
    public var dryRun = false
    public var workers = max(1, min(8, sysconfCores()))

    public init() {}
}

public struct UpdateReport: Sendable, Codable {
    public var fileSet = ""
    public var fileSetUID = ""
    public var dryRun = false
    public var added: [String] = []
    public var removed: [String] = []
    public var skippedExisting: [String] = []
    /// Identical copies among the inputs: one copy added.
    public var duplicates: [String] = []
    /// Files an interrupted earlier update left, deleted before this one.
    public var recovered: [String] = []
    public var nonDICOM: [CreateReport.Note] = []
    public var unusable: [CreateReport.Note] = []
    public var inconsistencies: [String] = []
    public var invented: [String] = []
    public var warnings: [String] = []
    /// What else the update did to the set (web content regenerated or dropped).
    public var notes: [String] = []
    /// Files `--skip-invalid` left out, each with why; findings (exit status 1).
    public var leftOut: [CreateReport.Note] = []
    /// True when the update found nothing to change (everything to add was there already).
    public var nothingToDo = false
    public var hasFindings: Bool { !unusable.isEmpty || !leftOut.isEmpty }
}

/// Which instances `remove` takes out: any that matches one of the values.
public struct RemoveSelector: Sendable {
    public var sopInstanceUIDs: Set<String> = []
    public var fileIDs: Set<String> = []
    public var seriesUIDs: Set<String> = []
    public var studyUIDs: Set<String> = []
    public var patientIDs: Set<String> = []

    public init() {}

    public var isEmpty: Bool {
        sopInstanceUIDs.isEmpty && fileIDs.isEmpty && seriesUIDs.isEmpty && studyUIDs.isEmpty && patientIDs.isEmpty
    }
}

/// The File-set Updater (PS3.10 §8.3): adds and removes instances, rewriting only the
/// DICOMDIR among existing files. Order of a commit: journal, new files written and synced,
/// DICOMDIR to a temporary file, synced and renamed over the old one, then removed files
/// deleted, then the journal. File-set UID, ID and descriptor are kept.
public enum FileSetUpdater {
    // MARK: add

    public static func add(fileSet root: String, inputs: [String], options: UpdateOptions,
                           progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> UpdateReport {
        guard FileOps.isDirectory(root) else { throw FileSetError.unusableInput("\(root): not a file-set folder") }
        let staged = try stageAdd(to: FolderStorage(root: root), inputs: inputs, options: options)
        let report = staged.report
        if options.dryRun || report.nothingToDo { return report }
        try staged.plan.commit(to: .folder(root), progress: progress)
        return report
    }

    /// New instances merged into a file-set, decided but not written: where each new file
    /// goes and the new DICOMDIR. The Media module appends them to a disc as a new session.
    public struct StagedAdd: Sendable {
        public var report: UpdateReport
        public var copies: [(source: String, fileID: FileID)]
        public var dicomdir: [UInt8]

        /// The plan that writes it into the set's folder.
        public var plan: FileSetPlan {
            var plan = FileSetPlan(dicomdir: dicomdir)
            plan.copies = copies
            return plan
        }
    }

    /// Plans an add to the file-set in `storage` (a folder, or a disc's last session).
    public static func stageAdd(to storage: FileSetStorage, inputs: [String], options: UpdateOptions) throws -> StagedAdd {
        var (dir, referenced, report) = try open(storage, dryRun: options.dryRun)

        // Index the existing tree: records by key (as index paths into `dir.roots`, which the
        // merge below only appends to, so they stay valid), instances by UID.
        var patients: [String: Int] = [:], studies: [String: [Int]] = [:], series: [String: [Int]] = [:]
        var studyParent: [String: String] = [:], seriesParent: [String: String] = [:]
        var existingSOP: Set<String> = []
        for (pi, p) in dir.roots.enumerated() where p.type == .patient {
            let pid = p.keys.string(.patientID) ?? ""
            patients[pid] = pi
            for (si, s) in p.children.enumerated() where s.type == .study {
                let suid = s.keys.string(.studyInstanceUID) ?? ""
                studies[suid] = [pi, si]; studyParent[suid] = pid
                for (ri, r) in s.children.enumerated() where r.type == .series {
                    let ruid = r.keys.string(.seriesInstanceUID) ?? ""
                    series[ruid] = [pi, si, ri]; seriesParent[ruid] = suid
                }
            }
        }
        dir.forEachRecord { if let uid = $0.reference?.sopInstanceUID { existingSOP.insert(uid) } }

        // Scanned and checked by the same staging step as create.
        let profile = options.profile ?? Self.inferredProfile(dir)
        if options.profile == nil {
            report.notes.append("profile \(profile.name): the narrowest PS3.11 profile that every instance already in the file-set satisfies (--profile chooses another)")
        }
        var rules = StageRules(profile: profile, invent: options.invent, strict: options.strict, existing: existingSOP,
                               skipExisting: options.skipExisting, skipInvalid: options.skipInvalid)
        rules.workers = options.workers
        let folders = StageInputs(folders: try collect(inputs).map { .init(base: $0.0, files: $0.1) }, keyRoot: nil)
        var staged = try Staging.stage(folders, rules: rules, excluded: options.excluded)
        var built = staged.built
        staged.built = .init()
        report.nonDICOM = staged.nonDICOM
        report.unusable = staged.unusable
        report.warnings = staged.warnings
        report.duplicates = staged.duplicates
        report.skippedExisting = staged.skippedExisting
        report.invented = built.invented
        report.leftOut = staged.leftOut
        var errors: [Rejection] = []

        // The file behind each new leaf, by SOP Instance UID (the merge scatters the leaves
        // through the existing tree, out of the order of `built.sources`).
        var sourceOf: [String: RecordBuilder.Source] = [:]
        for (path, source) in zip(DirectoryRecord.leafPaths(built.roots), built.sources) {
            built.roots.modify(at: path) { if let uid = $0.leafSOPInstanceUID { sourceOf[uid] = source } }
        }

        // Merge the new records under the existing ones with the same keys.
        var inconsistencies = staged.inconsistencies
        func record(_ path: [Int]) -> DirectoryRecord {
            var found = dir.roots[path[0]]
            for i in path.dropFirst() { found = found.children[i] }
            return found
        }
        for p in built.roots {
            guard p.type == .patient, let pid = p.keys.string(.patientID) else { dir.roots.append(p); continue }
            guard let pi = patients[pid] else { dir.roots.append(p); continue }
            inconsistencies += differences(dir.roots[pi], p, RecordBuilder.patientChecked, "Patient ID \(pid)")
            for s in p.children {
                let suid = s.keys.string(.studyInstanceUID) ?? ""
                guard let es = studies[suid] else {
                    if studyParent[suid] != nil { errors.append(Rejection(nil, "study \(suid) is already in the file-set under another patient", rule: .instanceHierarchy)) }
                    dir.roots[pi].children.append(s)
                    continue
                }
                if studyParent[suid] != pid { errors.append(Rejection(nil, "study \(suid) is in the file-set under Patient ID \(studyParent[suid] ?? "?"), not \(pid)", rule: .instanceHierarchy)); continue }
                inconsistencies += differences(record(es), s, RecordBuilder.studyChecked, "study \(suid)")
                for r in s.children {
                    let ruid = r.keys.string(.seriesInstanceUID) ?? ""
                    guard let er = series[ruid] else { dir.roots.modify(at: es) { $0.children.append(r) }; continue }
                    if seriesParent[ruid] != suid { errors.append(Rejection(nil, "series \(ruid) is in the file-set under study \(seriesParent[ruid] ?? "?"), not \(suid)", rule: .instanceHierarchy)); continue }
                    inconsistencies += differences(record(er), r, RecordBuilder.seriesChecked, "series \(ruid)")
                    dir.roots.modify(at: er) { $0.children += r.children }
                }
            }
        }
        if options.strict { errors += inconsistencies.map { Rejection(nil, $0, rule: .instanceInconsistent) } } else { report.inconsistencies = inconsistencies }
        if !errors.isEmpty { throw FileSetError.rejected(errors.map(\.message)) }
        guard !built.sources.isEmpty else {
            // Everything asked for is there already: nothing to do is success, said plainly.
            if options.skipExisting && !report.skippedExisting.isEmpty && report.unusable.isEmpty {
                report.notes.append("all \(report.skippedExisting.count) instances are already in the file-set; nothing was written")
                report.nothingToDo = true
                return StagedAdd(report: report, copies: [], dicomdir: [])
            }
            throw FileSetError.unusableInput("no DICOM Part 10 files to add in \(inputs.joined(separator: ", "))")
        }

        // File IDs for the new instances, in the folders the existing layout already uses.
        var layout = UpdateLayout(referenced: referenced, storage: storage)
        var copies: [(source: String, fileID: FileID)] = []
        /// Places the new leaves (those without a File ID) below `ancestors`, depth first.
        func place(_ records: inout [DirectoryRecord], ancestors: [UpdateLayout.Ancestor]) {
            for i in records.indices {
                if records[i].isLeaf && !records[i].hasFileID, let uid = records[i].leafSOPInstanceUID, let source = sourceOf[uid] {
                    let fileID = layout.place(records[i], ancestors: ancestors)
                    records[i].setFileID(path: fileID.path)
                    copies.append((source.path, fileID))
                }
                if !records[i].children.isEmpty {
                    let me = UpdateLayout.Ancestor(record: records[i], key: (ancestors.last?.key ?? []) + [i])
                    place(&records[i].children, ancestors: ancestors + [me])
                }
            }
        }
        place(&dir.roots, ancestors: [])
        built.sources = []
        report.added = copies.map(\.fileID.path)
        return StagedAdd(report: report, copies: copies, dicomdir: try DICOMDIRWriter().encode(dir))
    }

    // MARK: remove

    public static func remove(fileSet root: String, selector: RemoveSelector, options: UpdateOptions) throws -> UpdateReport {
        guard !selector.isEmpty || options.compact else {
            throw FileSetError.unusableInput("say what to remove (--sop-instance-uid, --file-id, --series-uid, --study-uid, --patient-id, --compact)")
        }
        guard FileOps.isDirectory(root) else { throw FileSetError.unusableInput("\(root): not a file-set folder") }
        var (dir, _, report) = try open(FolderStorage(root: root), dryRun: options.dryRun)
        let fileIDs = Set(selector.fileIDs.map { String($0.map { $0 == "\\" ? "/" : $0 }).uppercased() })
        var removed: [String] = []
        /// Prunes selected leaves; a record whose subtree became empty goes too.
        func prune(_ records: [DirectoryRecord], selected: Bool) -> [DirectoryRecord] {
            records.compactMap { r in
                let k = r.keys
                let here = selected
                    || (r.type == .patient && selector.patientIDs.contains(k.string(.patientID) ?? ""))
                    || (r.type == .study && selector.studyUIDs.contains(k.string(.studyInstanceUID) ?? ""))
                    || (r.type == .series && selector.seriesUIDs.contains(k.string(.seriesInstanceUID) ?? ""))
                if let ref = r.reference, here || selector.sopInstanceUIDs.contains(ref.sopInstanceUID)
                    || fileIDs.contains(ref.fileID.path.uppercased()) {
                    removed.append(ref.fileID.path)
                    return nil
                }
                let hadChildren = !r.children.isEmpty
                var r = r
                r.children = prune(r.children, selected: here)
                return hadChildren && r.children.isEmpty ? nil : r
            }
        }
        // Every selector value must match something: a typo in one of several patient IDs
        // must not quietly remove the others and say nothing of it.
        var unmatched: [String] = []
        let records = dir.allRecords
        func matches(_ type: RecordType, _ tag: Tag, _ value: String) -> Bool {
            records.contains { $0.type == type && $0.keys.string(tag) == value }
        }
        unmatched += selector.patientIDs.sorted().filter { !matches(.patient, .patientID, $0) }.map { "--patient-id \($0)" }
        unmatched += selector.studyUIDs.sorted().filter { !matches(.study, .studyInstanceUID, $0) }.map { "--study-uid \($0)" }
        unmatched += selector.seriesUIDs.sorted().filter { !matches(.series, .seriesInstanceUID, $0) }.map { "--series-uid \($0)" }
        unmatched += selector.sopInstanceUIDs.sorted().filter { uid in !records.contains { $0.reference?.sopInstanceUID == uid } }
            .map { "--sop-instance-uid \($0)" }
        unmatched += selector.fileIDs.sorted().filter { id in
            let wanted = String(id.map { $0 == "\\" ? "/" : $0 }).uppercased()
            return !records.contains { $0.reference?.fileID.path.uppercased() == wanted }
        }.map { "--file-id \($0)" }
        guard unmatched.isEmpty else {
            throw FileSetError.rejected(["nothing was removed: " + unmatched.joined(separator: ", ") + " match\(unmatched.count == 1 ? "es" : "") no instance of the file-set"])
        }
        dir.roots = prune(dir.roots, selected: false)
        // Inactive records stay where they were, unless their active parent went (then their
        // files go with it) or --compact drops them all.
        var remaining: Set<Int> = []
        dir.forEachRecord { if let at = $0.offset { remaining.insert(at) } }
        var kept: [(parent: Int?, records: [DirectoryRecord])] = []
        for entry in dir.inactive {
            if !options.compact, entry.parent.map(remaining.contains) ?? true { kept.append(entry); continue }
            let files = entry.records.flatMap { $0.preorder() }.compactMap { $0.reference?.fileID.path }
            removed += files
            if options.compact { report.notes.append("--compact: \(entry.records.count) inactive record(s) dropped, \(files.count) file(s) behind them deleted") }
        }
        dir.inactive = kept
        guard !removed.isEmpty || options.compact else { throw FileSetError.rejected(["no instance of the file-set matches what was to be removed"]) }
        // A File ID the resolver refuses ("..\\..\\x") is never deleted: its record goes, its
        // path is reported and left alone (the plan's commit skips it too).
        for p in removed where FileID.resolvedPath(of: p) == nil {
            report.warnings.append("\(SystemPath.display(p)): not a File ID inside the file-set; its record was removed, no file was deleted")
        }
        report.removed = removed
        if options.dryRun { return report }

        var plan = FileSetPlan(dicomdir: try DICOMDIRWriter().encode(dir))
        plan.deletions = removed
        try plan.commit(to: .folder(root))
        return report
    }

    /// The first profile, narrowest first (STD-GEN-CD, the DVD, USB and BD ones, MIME),
    /// whose transfer syntaxes hold every instance the set already references.
    public static func inferredProfile(_ dir: DICOMDIR) -> ApplicationProfile {
        let syntaxes = Set(dir.allRecords.compactMap { $0.reference?.transferSyntaxUID })
        return ApplicationProfile.all.first { p in syntaxes.allSatisfy { p.allows(transferSyntax: $0) } } ?? .stdGenCD
    }

    // MARK: Shared

    /// Reads the file-set to update; refuses one whose DICOMDIR has errors; cleans up after an
    /// interrupted earlier update.
    private static func open(_ storage: FileSetStorage, dryRun: Bool) throws -> (DICOMDIR, Set<String>, UpdateReport) {
        let read = try DICOMDIRReader.read(storage: storage)
        let errors = read.findings.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw FileSetError.rejected(["the DICOMDIR has errors; nothing was changed (dicomfs verify shows them):"] + errors.map(\.description))
        }
        let referenced = Set(read.dicomdir.allRecords.compactMap { $0.reference?.fileID.path.uppercased() })
        var report = UpdateReport()
        report.fileSet = storage.location
        report.fileSetUID = read.dicomdir.fileSetUID
        report.dryRun = dryRun
        if !dryRun, let folder = storage as? FolderStorage {
            report.recovered = Journal.recover(in: folder.root, referenced: referenced)
                + Journal.removeStaleTemporaries(in: folder.root)
        }
        return (read.dicomdir, referenced, report)
    }

    /// Input files and folders, grouped by the folder their paths are relative to.
    private static func collect(_ inputs: [String]) throws -> [(String, [String])] {
        var groups: [(String, [String])] = []
        var loose: [String: [String]] = [:]
        for input in inputs {
            if FileOps.isDirectory(input) {
                groups.append((input, try DirectoryWalker(root: input).files))
            } else if FileOps.exists(input) {
                loose[directoryName(input), default: []].append(lastComponent(input))
            } else {
                throw FileSetError.unusableInput("\(input): no such file or folder")
            }
        }
        return groups + loose.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    private static func differences(_ a: DirectoryRecord, _ b: DirectoryRecord, _ tags: [Tag], _ what: String) -> [String] {
        // Only keys both records carry are compared: a record whose profile leaves a key out
        // (STD-GEN-CD carries no birth date) says nothing about the files' value.
        tags.compactMap { tag in
            guard a.keys[tag] != nil, b.keys[tag] != nil else { return nil }
            let x = a.keys.string(tag) ?? "", y = b.keys.string(tag) ?? ""
            func shown(_ v: String) -> String { v.isEmpty ? "(empty)" : "\"\(v)\"" }
            return x == y ? nil : "\(what): \(DataDictionary.keyword(for: tag)) is \(shown(x)) in the file-set but \(shown(y)) in the added files"
        }
    }
}
