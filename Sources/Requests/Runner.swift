import DICOM
import FileSet
import Foundation
import Imaging
import Media
import WebContent

/// One run of a job: PENDING (finding the instances), CREATING (building, mastering and
/// burning each volume), then DONE. Failures are RunFailures carrying Annex S-style infos.
struct Runner {
    let job: String
    let store: String
    let request: MediaRequest
    let options: Job.RunOptions
    let progress: (@Sendable (String, Int, Int) -> Void)?

    /// What an Initiate finds before any work: every referenced instance located, of the
    /// class the request says, in a syntax its profile allows (or can be transcoded to).
    struct Check {
        var failed: [JobState.FailedInstance] = []
        var items: [(ref: MediaRequest.Reference, entry: StoreIndex.Entry, profile: ApplicationProfile)] = []
        var bytes: Int64 { items.reduce(0) { $0 + $1.entry.bytes } }
        /// The Execution Status Info a failing check gives the job.
        var info: JobState.Info { failed.contains { $0.failureReason == 0x0112 } ? .NO_INSTANCE : .INST_AP_CONFLICT }
    }

    static func check(_ request: MediaRequest, store: String, options: Job.RunOptions) throws -> Check {
        let index = try StoreIndex(store: store, wanted: Set(request.references.map(\.sopInstanceUID)))
        var check = Check()
        var taken: Set<String> = []   // (an instance named on its own and by its study goes once)
        for ref in request.references {
            let profile = ref.profile.flatMap(ApplicationProfile.named) ?? .stdGenCD
            // A Study or Series Instance UID in place of an instance's: every instance of it.
            if index.byInstance[ref.sopInstanceUID] == nil, let group = index.byGroup[ref.sopInstanceUID] {
                for entry in group where taken.insert(entry.sopInstanceUID).inserted {
                    let one = MediaRequest.Reference(sopClassUID: entry.sopClassUID, sopInstanceUID: entry.sopInstanceUID, profile: ref.profile)
                    if let failure = refusal(entry, profile: profile, options: options) { check.failed.append(failure) } else { check.items.append((one, entry, profile)) }
                }
                continue
            }
            guard let entry = index.byInstance[ref.sopInstanceUID] else {
                check.failed.append(.init(sopClassUID: ref.sopClassUID, sopInstanceUID: ref.sopInstanceUID, failureReason: 0x0112, detail: "no such instance in the store"))
                continue
            }
            if !ref.sopClassUID.isEmpty && ref.sopClassUID != entry.sopClassUID {
                check.failed.append(.init(sopClassUID: ref.sopClassUID, sopInstanceUID: ref.sopInstanceUID, failureReason: 0x0119,
                                          detail: "the stored instance is of SOP Class \(entry.sopClassUID)"))
                continue
            }
            if let failure = refusal(entry, profile: profile, options: options) {
                check.failed.append(failure)
                continue
            }
            guard taken.insert(entry.sopInstanceUID).inserted else { continue }
            check.items.append((ref, entry, profile))
        }
        return check
    }

    /// 0122H for an instance whose syntax its profile refuses (and --transcode cannot fix).
    static func refusal(_ entry: StoreIndex.Entry, profile: ApplicationProfile, options: Job.RunOptions) -> JobState.FailedInstance? {
        guard !profile.allows(transferSyntax: entry.transferSyntaxUID), !(options.transcode && (try? Transcoder.targetSyntax(for: profile)) != nil) else { return nil }
        return .init(sopClassUID: entry.sopClassUID, sopInstanceUID: entry.sopInstanceUID, failureReason: 0x0122,
                     detail: "transfer syntax \(entry.transferSyntaxUID) is not allowed by \(profile.name) (run with --transcode to rewrite it)")
    }

    func run(_ state: inout JobState) throws {
        let check = try Self.check(request, store: store, options: options)
        let items = check.items
        state.failed = check.failed
        if !check.failed.isEmpty {
            throw RunFailure(info: check.info, detail: "\(check.failed.count) of \(request.references.count) instances cannot be put on media")
        }

        // Volumes: one profile each, split at patient, study, series, instance boundaries.
        state.status = .CREATING
        state.info = .BUILDING
        try state.write(job)
        var planned: [(profile: ApplicationProfile, items: [StoreIndex.Entry])] = []
        var fitFolders: [String] = []
        defer { for f in fitFolders { try? FileManager.default.removeItem(atPath: f) } }
        let profiles = items.map(\.profile.name).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        for name in profiles {
            guard let profile = ApplicationProfile.named(name) else { continue }
            var entries = items.filter { $0.profile.name == name }.map(\.entry)
            let capacity = options.capacity ?? MediaKind.for(profile).capacity ?? Int64.max / 4
            // Fit the medium before splitting it (PS3.4 Annex S allows lossless changes):
            // the images stored natively compressed losslessly where the profile allows it.
            let overhead = VolumePlanner.Overhead(web: request.includeNonDICOM != "NO" || request.includeDisplayApplication,
                                                  viewer: request.includeDisplayApplication)
            if options.transcode, !VolumePlanner.fitsOne(entries.map(\.bytes), capacity: capacity, overhead: overhead), let syntax = TranscodeStage.compressedTarget(for: profile) {
                let folder = job + "/.fit-\(fitFolders.count + 1)"
                fitFolders.append(folder)
                let (packed, note) = try compressToFit(entries, profile: profile, syntax: syntax, folder: folder)
                entries = packed
                state.notes = (state.notes ?? []) + [note]
                try state.write(job)
            }
            let plan: [[VolumePlanner.Item]]
            do {
                plan = try VolumePlanner.plan(entries.map { .init(sopInstanceUID: $0.sopInstanceUID, patient: $0.patient, study: $0.study, series: $0.series, bytes: $0.bytes) },
                                             capacity: capacity, overhead: overhead)
            } catch VolumePlanner.Failure.instanceTooLarge(let item) {
                throw RunFailure(info: .INST_OVERSIZED, detail: "instance \(item.sopInstanceUID) (\(item.bytes) bytes) is larger than one volume of \(capacity) bytes")
            }
            let byUID = Dictionary(entries.map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
            planned += plan.map { (profile, $0.compactMap { byUID[$0.sopInstanceUID] }) }
        }
        if planned.count > 1 && !request.allowSplitting {
            throw RunFailure(info: .SET_OVERSIZED, detail: "the instances need \(planned.count) volumes and Allow Media Splitting is NO")
        }

        state.volumes = []
        for (n, volume) in planned.enumerated() {
            state.info = .BUILDING
            try state.write(job)
            let (built, leftOut) = try build(volume: n + 1, of: planned.count, profile: volume.profile, entries: volume.items) {
                // Execution Status Info follows the work: BUILDING, then MASTERING.
                state.info = .MASTERING
                try? state.write(job)
            }
            state.volumes.append(built)
            state.failed += leftOut
            try state.write(job)
        }
        // Copies: burned to the drives in turn; without drives the image serves every copy,
        // and the job says so.
        if options.drives.isEmpty && request.copies > 1 {
            state.notes = (state.notes ?? []) + ["\(request.copies) copies asked and no drive given: each volume's one image serves every copy (burn it \(request.copies) times, or run with --drive)"]
        }
        if !options.drives.isEmpty {
            state.info = .BURNING
            for v in state.volumes.indices {
                for copy in 0..<request.copies {
                    let drive = options.drives[(v * request.copies + copy) % options.drives.count]
                    _ = try Burner.burn(image: job + "/" + state.volumes[v].image, to: drive, options: Burner.Options())
                    state.volumes[v].burned += 1
                    try state.write(job)
                }
            }
        }
        state.status = .DONE
        state.info = .NORMAL
        state.piecesCreated = state.volumes.count * request.copies
    }

    /// The entries with their natively stored images compressed losslessly in `syntax`, in
    /// `folder` (removed with the job's other scratch when it ends), and what was done.
    func compressToFit(_ entries: [StoreIndex.Entry], profile: ApplicationProfile, syntax: String, folder: String) throws -> ([StoreIndex.Entry], String) {
        let fm = FileManager.default
        try? fm.removeItem(atPath: folder)
        try fm.createDirectory(atPath: folder + "/src", withIntermediateDirectories: true)
        for (i, e) in entries.enumerated() {
            let link = folder + "/src/" + String(format: "F%07d", i + 1)
            if Glibc.link(e.path, link) != 0 { try fm.copyItem(atPath: e.path, toPath: link) }
        }
        let prepared = try TranscodeStage.prepare(source: folder + "/src", profile: profile, scratch: folder + "/tc", to: syntax, nativeOnly: true, progress: progress)
        var out = entries
        var st = stat()
        for i in out.indices {
            let path = prepared.source + "/" + String(format: "F%07d", i + 1)
            if stat(path, &st) == 0 { out[i].path = path; out[i].bytes = Int64(st.st_size) }
        }
        let before = entries.reduce(0) { $0 + $1.bytes }, after = out.reduce(0) { $0 + $1.bytes }
        return (out, "\(prepared.transcoded.count) images compressed losslessly in \(UIDRegistry.entry(for: syntax)?.name ?? syntax) to fit \(profile.name)'s medium: \(before) → \(after) bytes")
    }

    /// One volume: its instances linked into a scratch folder, staged as a file-set (with
    /// web content and viewer as asked), mastered to VOLnnn.iso.
    func build(volume n: Int, of total: Int, profile: ApplicationProfile, entries: [StoreIndex.Entry],
               mastering: () -> Void = {}) throws -> (JobState.Volume, leftOut: [JobState.FailedInstance]) {
        let name = String(format: "VOL%03d", n)
        let scratch = job + "/." + name + ".build"
        let fm = FileManager.default
        try? fm.removeItem(atPath: scratch)
        try fm.createDirectory(atPath: scratch + "/src", withIntermediateDirectories: true)
        defer { try? fm.removeItem(atPath: scratch) }
        var uidOfLink: [String: String] = [:]
        var entryOfName: [String: StoreIndex.Entry] = [:]
        for (i, e) in entries.enumerated() {
            let name = String(format: "F%07d", i + 1)
            let link = scratch + "/src/" + name
            if Glibc.link(e.path, link) != 0 { try fm.copyItem(atPath: e.path, toPath: link) }
            uidOfLink[link] = e.sopInstanceUID
            entryOfName[name] = e
        }
        var create = CreateOptions()
        create.profile = profile
        create.skipInvalid = options.skipInvalid
        create.fileSetID = Self.volumeID(request.fileSetID ?? "DICOMFS", n, total)
        create.fileSetUID = Self.volumeUID(request.fileSetUID, n, total)
        let icons = Dictionary(request.references.compactMap { r in r.iconJSON.map { (r.sopInstanceUID, $0) } }, uniquingKeysWith: { a, _ in a })
        if !icons.isEmpty {
            let links = uidOfLink
            create.iconMaker = { path in
                // The icon the request supplied for this instance when it reads; ours otherwise.
                if let uid = links[path], let json = icons[uid], let item = try? JSONDataSet.decode(Data(json.utf8)), item[.pixelData] != nil {
                    return item
                }
                return try IconMaker.icon(path: path)
            }
        }
        var source = scratch + "/src"
        if options.transcode {
            let lossy = request.allowLossy == true && LossySyntax.allowed(by: profile) ? options.lossyQuality : nil
            source = try TranscodeStage.prepare(source: source, profile: profile, scratch: scratch + "/tc", lossyQuality: lossy, progress: progress).source
        }
        var staged = try FileSetCreator.stage(source: source, options: create, progress: progress)
        let leftOut = staged.report.leftOut.compactMap { note in
            entryOfName[note.path].map { JobState.FailedInstance(sopClassUID: $0.sopClassUID, sopInstanceUID: $0.sopInstanceUID, failureReason: 0x0110,
                                                                 detail: note.reason.replacingOccurrences(of: note.path, with: $0.sopInstanceUID)) }
        }
        let kept = entries.filter { e in !leftOut.contains { $0.sopInstanceUID == e.sopInstanceUID } }
        let web = request.includeNonDICOM != "NO" || request.includeDisplayApplication
        if web {
            try fm.createDirectory(atPath: scratch + "/web", withIntermediateDirectories: true)
            try WebContentWriter.add(to: &staged, scratch: scratch + "/web", viewer: request.includeDisplayApplication, progress: progress)
        }
        try fm.createDirectory(atPath: scratch + "/dicomdir", withIntermediateDirectories: true)
        var settings = ImageSettings()
        settings.media = MediaKind.for(profile)
        settings.capacity = options.capacity
        let image = job + "/" + name + ".iso"
        try? fm.removeItem(atPath: image)
        mastering()
        let result = try ISOMaster.master(try MasterPlan.make(staged: staged, scratch: scratch + "/dicomdir"), to: image, settings: settings)
        let dir = try DICOMDIRReader.read(bytes: staged.dicomdir).dicomdir
        let first = entries.first.flatMap { try? DICOMFile.read(path: $0.path, options: .headerOnly) }
        let institution = first?.dataSet.string(.institutionName)
        let sender = first?.meta.string(.sourceApplicationEntityTitle)?.trimmingCharacters(in: .whitespaces)
        var sourceOf: [String: String] = [:]
        for c in staged.copies { sourceOf[c.fileID.path] = staged.source + "/" + c.source }
        let firstHeader: (DirectoryRecord) -> DataSet? = { record in
            var found: DataSet?
            record.forEach { r in
                guard found == nil, let id = r.reference?.fileID, let path = sourceOf[id.path] else { return }
                found = try? DICOMFile.read(path: path, options: .headerOnly).dataSet
            }
            return found
        }
        let labels = try Labels.write(base: job + "/" + name, dicomdir: dir, request: request, institution: institution, sender: sender, web: web,
                                      volume: n, of: total, fileSetID: staged.report.fileSetID, logo: options.labelLogo, header: firstHeader)
        return (JobState.Volume(number: n, fileSetID: staged.report.fileSetID, fileSetUID: staged.report.fileSetUID, image: name + ".iso",
                                instances: kept.map(\.sopInstanceUID), bytes: result.bytes, burned: 0, labels: labels), leftOut)
    }

    /// The File-set ID of volume n of total: the request's, with "_n" when split (cut to 16).
    static func volumeID(_ base: String, _ n: Int, _ total: Int) -> String {
        guard total > 1 else { return base }
        let suffix = "_\(n)"
        return String(base.prefix(16 - suffix.count)) + suffix
    }

    /// The request's File-set UID for a single volume; split volumes each get their own,
    /// derived from it when it leaves room, new otherwise.
    static func volumeUID(_ base: String?, _ n: Int, _ total: Int) -> String? {
        guard let base else { return nil }
        guard total > 1 else { return base }
        let derived = base + ".\(n)"
        return derived.count <= 64 ? derived : UIDGenerator.make()
    }
}
