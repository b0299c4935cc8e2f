import ArgumentParser
import DICOM
import FileSet
import Media

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls",
        abstract: "List the patients, studies, series and instances of a file-set (File-set Reader).",
        discussion: """
        PATH is a file-set folder, a DICOMDIR file, an ISO image or a drive (/dev/sr0; read \
        through libisofs, no mount needed). The DICOMDIR's records are followed by \
        their offsets, tolerantly: problems are reported as warnings and listing goes on. Text \
        is decoded per Specific Character Set. Nothing is ever written.
        """
    )

    @Argument(help: "A file-set folder, a DICOMDIR file, an ISO image or a drive.", completion: .file())
    var path: String

    @Option(help: "Only this patient (repeatable).")
    var patientID: [String] = []

    @Option(help: "Only this study (repeatable).")
    var studyUID: [String] = []

    @Option(help: "Only this series (repeatable).")
    var seriesUID: [String] = []

    @Option(help: "Only series of this modality (repeatable), e.g. CT.")
    var modality: [String] = []

    @Flag(help: "One tab-separated line per instance, with a header line (for scripts).")
    var flat = false

    @Flag(help: "Print the records as JSON.")
    var json = false

    func run() throws {
        let result: DICOMDIRReader.Result
        do {
            if ISOImage.isImage(path) {
                result = try DICOMDIRReader.read(storage: try ISOStorage(try ISOImage.open(path)))
            } else {
                result = try DICOMDIRReader.read(path: path)
            }
        } catch let e as FileSetError {
            throw failure(e)
        } catch let e as MediaError {
            throw failure(e)
        }
        var filter = ListFilter()
        filter.patientIDs = patientID
        filter.studyUIDs = studyUID
        filter.seriesUIDs = seriesUID
        filter.modalities = modality.map { $0.uppercased() }
        let roots = filter.apply(result.dicomdir.roots)
        for f in result.findings { FileHandle.standardError("dicomfs: \(f)") }
        if json {
            if flat { Output.json(FlatRow.rows(roots)) } else { Output.json(roots.map(ListedRecord.init)) }
        } else if flat {
            var out = FlatRow.header.joined(separator: "\t") + "\n"
            for row in FlatRow.rows(roots) { out += row.fields.joined(separator: "\t") + "\n" }
            Output.text(out)
        } else {
            Output.text(ListingText.render(result.dicomdir, roots: roots))
        }
        // The one exit-status rule: errors found make it 1, even when what could be read was listed.
        if result.findings.contains(where: { $0.severity == .error }) { throw ExitCode(Exit.findings) }
    }
}

/// The tree as people read it.
enum ListingText {
    static func render(_ dir: DICOMDIR, roots: [DirectoryRecord]) -> String {
        var instances = 0
        for r in roots { r.forEach { if $0.isLeaf { instances += 1 } } }
        var out = "File-set \(dir.fileSetID.isEmpty ? "(no ID)" : dir.fileSetID)  UID \(dir.fileSetUID)  \(instances) instance\(instances == 1 ? "" : "s")\n"
        func line(_ r: DirectoryRecord, _ depth: Int) {
            // A leaf shows one key: only that one is decoded (leaves are most records).
            let k = r.isLeaf ? r.keys(only: [.instanceNumber]) : r.keys
            let indent = String(repeating: "  ", count: depth)
            var parts: [String] = [r.typeText]
            switch r.type {
            case .patient:
                parts += [k.personName(.patientName)?.description ?? "", "ID " + (k.string(.patientID) ?? "")]
                if let b = k.date(.patientBirthDate) { parts.append("born " + b.iso) }
                if let s = k.string(.patientSex), !s.isEmpty { parts.append(s) }
            case .study:
                parts += [k.date(.studyDate)?.iso ?? (k.string(.studyDate) ?? ""), k.string(.studyDescription) ?? ""]
                if let id = k.string(.studyID) { parts.append("ID " + id) }
                if let acc = k.string(.accessionNumber), !acc.isEmpty { parts.append("Acc " + acc) }
            case .series:
                parts += [k.string(.modality) ?? "", "#" + (k.string(.seriesNumber) ?? "")]
                parts.append("\(r.children.count) instance\(r.children.count == 1 ? "" : "s")")
            default:
                if let n = k.string(.instanceNumber) { parts.append("#" + n) }
            }
            if let ref = r.reference { parts.append(ref.fileID.path) }
            out += indent + parts.filter { !$0.isEmpty }.joined(separator: "  ") + "\n"
            for c in r.children { line(c, depth + 1) }
        }
        for r in roots { line(r, 0) }
        return out
    }
}
