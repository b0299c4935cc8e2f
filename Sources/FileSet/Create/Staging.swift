import DICOM

/// The files a stage takes in: one or more folders, each with the files (relative to it) to
/// scan. A file is named by its *key* in reports, rejections and `--skip-invalid`'s list:
/// relative to the one source of a create, "folder/file" for the inputs of an add.
struct StageInputs {
    struct Folder {
        let base: String
        let files: [String]
    }

    var folders: [Folder]
    /// Keys are relative to this folder (a create's source); nil: a key is base + "/" + file.
    var keyRoot: String?

    var count: Int { folders.reduce(0) { $0 + $1.files.count } }
    func key(base: String, file: String) -> String { keyRoot == nil ? base + "/" + file : file }
    func diskPath(_ key: String) -> String { keyRoot.map { $0 + "/" + key } ?? key }
}

/// What decides whether an instance may go in. The same for create, add, request jobs and
/// imports: they differ only in these values.
struct StageRules {
    var profile: ApplicationProfile
    var invent = false
    var strict = false
    /// The files stay where they are (create --in-place): their paths must be File IDs, and a
    /// DICOMDIR at the root is the set's own.
    var inPlace = false
    /// SOP Instance UIDs the file-set already holds (add).
    var existing: Set<String> = []
    /// Leave out instances the set already holds instead of refusing them.
    var skipExisting = false
    /// Leave out every file that cannot go in (each listed with why) and stage the rest.
    var skipInvalid = false
    var workers = max(1, min(8, sysconfCores()))
}

/// The instances a stage accepted, folded into records not yet placed, and what it has to say.
struct StagedInstances {
    var built: RecordBuilder.Result
    var nonDICOM: [CreateReport.Note] = []
    var unusable: [CreateReport.Note] = []
    var warnings: [String] = []
    var duplicates: [String] = []
    var skippedExisting: [String] = []
    /// Differences between instances of one patient, study or series (errors under `strict`).
    var inconsistencies: [String] = []
    /// Files `skipInvalid` left out, with why.
    var leftOut: [CreateReport.Note] = []
    /// In place: the source already has a DICOMDIR at its root.
    var foundDICOMDIR = false
    var instanceCount: Int { built.sources.count }
}

/// The one staging step every command that makes or changes a file-set goes through: scan
/// the inputs on all cores, check each instance (transfer syntax against the profile, UIDs,
/// duplicates, instances already in the set, File IDs in place), fold them into records
/// (Type 1 keys, consistency), and refuse with every problem found — or, with `skipInvalid`,
/// leave exactly the offending files out and fold the rest.
enum Staging {
    static func stage(_ inputs: StageInputs, rules: StageRules, excluded: Set<String> = [],
                      progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> StagedInstances {
        var timer = PhaseTimer()
        let total = inputs.count - excluded.count
        var errors: [Rejection] = []
        var staged = StagedInstances(built: .init())
        var seen = SeenInstances(capacity: total)
        var lastSyntax: (uid: String, allowed: Bool)?   // files come in runs of one syntax
        var syntaxes: Set<String> = []                   // for the refusal's suggestion
        var builder: RecordBuilder? = RecordBuilder(profile: rules.profile, invent: rules.invent)
        let scanner = InstanceScanner(workers: rules.workers, profile: rules.profile)
        var done = 0
        for folder in inputs.folders {
            let files = excluded.isEmpty ? folder.files : folder.files.filter { !excluded.contains(inputs.key(base: folder.base, file: $0)) }
            let before = done
            // Batches are checked and folded as they come: memory grows with the records, not
            // with the headers of every file.
            try scanner.scan(root: folder.base, files: files, progress: { progress?("scanning", before + $0, total) }) { batch in
                for r in batch {
                    switch r {
                    case .instance(let inst):
                        inst.relativePath = inputs.key(base: folder.base, file: inst.relativePath)
                        try check(inst, inputs: inputs, rules: rules, staged: &staged, errors: &errors, seen: &seen,
                                  lastSyntax: &lastSyntax, syntaxes: &syntaxes, builder: builder)
                    case .notDICOM(let path, let reason):
                        staged.nonDICOM.append(.init(path: inputs.key(base: folder.base, file: path), reason: reason))
                    case .unusable(let path, let reason):
                        staged.unusable.append(.init(path: inputs.key(base: folder.base, file: path), reason: reason))
                    }
                }
            }
            done += files.count
        }
        timer.mark("scan and check")
        guard var built = builder?.finish(filesInPlace: rules.inPlace) else { throw FileSetError.io("the records were not built") }
        builder = nil
        timer.mark("records")
        errors += built.errors
        built.errors = []
        staged.warnings += built.normalized
        if rules.strict { errors += built.inconsistencies.map { Rejection(nil, $0, rule: .instanceInconsistent) } } else { staged.inconsistencies = built.inconsistencies }
        staged.built = built
        guard errors.isEmpty else {
            if rules.skipInvalid, let offenders = errors.skippable(given: excluded) {
                // A file left out takes no other with it (the checks are per file; the first
                // of a duplicated UID stays), so one more pass without them settles it.
                var again = try stage(inputs, rules: rules, excluded: excluded.union(offenders), progress: progress)
                again.leftOut = errors.leftOutNotes(then: again.leftOut)
                return again
            }
            throw FileSetError.rejected(errors.map(\.message) + remedies(errors, rules: rules, syntaxes: syntaxes, files: total))
        }
        return staged
    }

    /// The checks of one scanned instance; an accepted one goes to the builder.
    private static func check(_ inst: ScannedInstance, inputs: StageInputs, rules: StageRules, staged: inout StagedInstances,
                              errors: inout [Rejection], seen: inout SeenInstances, lastSyntax: inout (uid: String, allowed: Bool)?,
                              syntaxes: inout Set<String>, builder: RecordBuilder?) throws {
        let key = inst.relativePath
        if inst.sopClassUID == DICOMDIR.sopClassUID {
            if key == "DICOMDIR" && rules.inPlace { staged.foundDICOMDIR = true; return }
            staged.nonDICOM.append(.init(path: key, reason: "a DICOMDIR of another file-set; not copied"))
            return
        }
        if rules.existing.contains(inst.sopInstanceUID) {
            if rules.skipExisting { staged.skippedExisting.append(key) } else {
                errors.append(Rejection(key, "\(key): SOP Instance UID \(inst.sopInstanceUID) is already in the file-set (--skip-existing leaves such files out)", rule: .instanceInSet))
            }
            return
        }
        for w in inst.warnings { staged.warnings.append("\(key): \(w)") }
        if let first = seen.add(inst.sopInstanceUID, hashed: inst.sopInstanceUIDHash, path: key, size: inst.size) {
            if try isDuplicate(inst, first: first, inputs: inputs, staged: &staged, errors: &errors) { return }
            seen.insert(inst.sopInstanceUID, path: key, size: inst.size)
        }
        if inst.transferSyntaxUID != lastSyntax?.uid {
            lastSyntax = (inst.transferSyntaxUID, rules.profile.allows(transferSyntax: inst.transferSyntaxUID))
            syntaxes.insert(inst.transferSyntaxUID)
        }
        if lastSyntax?.allowed == false {
            let name = UIDRegistry.entry(for: inst.transferSyntaxUID)?.name ?? "unknown"
            errors.append(Rejection(key, "\(key): transfer syntax \(inst.transferSyntaxUID) (\(name)) is not allowed by \(rules.profile.name) (--transcode rewrites it)", rule: .profileTransferSyntax))
        }
        if rules.inPlace && !FileID.isValid(path: key) {
            let violations = FileID.violations(of: pathComponents(key))
            if !violations.isEmpty {
                errors.append(Rejection(key, "\(key): not a valid File ID: " + violations.map(\.description).joined(separator: "; "), rule: .fileIDInvalid))
            }
        }
        builder?.add(inst)
    }

    /// A file whose SOP Instance UID may have been seen (see `SeenInstances`): an identical
    /// copy is left out and reported; different contents under one UID are an error. False
    /// when the earlier file's UID only shares a hash with this one: not a duplicate.
    private static func isDuplicate(_ inst: ScannedInstance, first: (path: String, size: Int), inputs: StageInputs,
                                    staged: inout StagedInstances, errors: inout [Rejection]) throws -> Bool {
        let (here, there) = (inputs.diskPath(inst.relativePath), inputs.diskPath(first.path))
        if try inst.size == first.size && FileOps.readAll(here) == FileOps.readAll(there) {
            staged.duplicates.append("\(inst.relativePath) is an identical copy of \(first.path) (SOP Instance UID \(inst.sopInstanceUID)); one copy kept")
            return true
        }
        guard SeenInstances.sopInstanceUID(ofFile: there) == inst.sopInstanceUID else { return false }
        // The first in path order stays; the later file is the one to leave out.
        errors.append(Rejection(inst.relativePath, "\(first.path) and \(inst.relativePath) have the same SOP Instance UID \(inst.sopInstanceUID) but different contents", rule: .instanceUIDDuplicate))
        return true
    }

    /// The ways forward a refusal names: leaving the files out, inventing what is missing, a
    /// profile that allows every syntax found.
    static func remedies(_ errors: [Rejection], rules: StageRules, syntaxes: Set<String> = [], files: Int = 0) -> [String] {
        var out: [String] = []
        if !syntaxes.isEmpty, syntaxes.contains(where: { !rules.profile.allows(transferSyntax: $0) }),
           let fits = ApplicationProfile.all.first(where: { p in syntaxes.allSatisfy { p.allows(transferSyntax: $0) } }) {
            out.append("all \(files) files fit --profile \(fits.name)")
        }
        let syntax = Set(errors.filter { $0.rule == .profileTransferSyntax }.compactMap(\.path))
        if !syntax.isEmpty && rules.profile.allows(transferSyntax: "1.2.840.10008.1.2.1") {
            out.append("--transcode rewrites the \(syntax.count) file(s) in a syntax \(rules.profile.name) refuses as Explicit VR Little Endian")
        }
        if errors.contains(where: { $0.path != nil }) {
            out.append("--skip-invalid leaves the \(Set(errors.compactMap(\.path)).count) file(s) named above out and writes the rest")
        }
        if !rules.invent && errors.contains(where: { $0.rule == .keyType1 && $0.message.contains("--invent fills it") }) {
            out.append("--invent fills the missing Type 1 keys with documented values")
        }
        return out.isEmpty ? [] : ["ways forward: " + out.joined(separator: "; ")]
    }
}
