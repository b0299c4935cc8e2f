import FileSet
import Foundation

/// What an interchange format carries of a file-set, and the rules its paths must keep on
/// the way back in.
struct FileSetContents {
    struct Item {
        var path: String       // in the file-set, "/"-separated
        var isDICOM: Bool      // the DICOMDIR or a file it references
    }

    let root: String
    let items: [Item]
    let fileSetID: String

    /// The DICOMDIR first, then the DICOM files in record order, then every other file.
    init(root: String) throws {
        self.root = root
        let read: DICOMDIRReader.Result
        do { read = try DICOMDIRReader.read(path: root) } catch { throw InterchangeError("\(root): not a file-set (\(error))") }
        fileSetID = read.dicomdir.fileSetID
        let referenced = read.dicomdir.allRecords.compactMap { $0.reference?.fileID.path }
        let dicom = Set(referenced)
        let all = try FolderStorage(root: root).allFiles()
        let others = all.filter { $0 != "DICOMDIR" && !dicom.contains($0) && !$0.hasPrefix(".dicomfs") && !$0.contains("/.dicomfs") }
        items = [Item(path: "DICOMDIR", isDICOM: true)] + referenced.map { Item(path: $0, isDICOM: true) }
            + others.map { Item(path: $0, isDICOM: false) }
    }
}

/// Paths that come in from a message or an archive, checked before anything is written: a
/// File ID for DICOM content (1–8 components of 1–8 A–Z 0–9 _), 8.3 upper-case names for
/// the rest, never `..`, a leading `/` or a backslash.
enum IncomingPath {
    static func check(_ path: String, dicom: Bool) -> String? {
        if path.contains("\\") { return "contains a backslash" }
        if path.hasPrefix("/") { return "starts with /" }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.contains("..") || parts.contains(".") { return "contains . or .. components" }
        if parts.contains("") { return "has an empty component" }
        if parts.count > 8 { return "has \(parts.count) components; a File ID has at most 8" }
        for (i, p) in parts.enumerated() {
            let last = i == parts.count - 1
            let pieces = p.split(separator: ".", omittingEmptySubsequences: false)
            let allowDot = last && !dicom
            if pieces.count > (allowDot ? 2 : 1) { return "component \"\(p)\" has \(dicom ? "an extension" : "more than one dot")" }
            let base = pieces[0], ext = pieces.count == 2 ? pieces[1] : ""
            if base.isEmpty || base.count > 8 { return "component \"\(p)\" is not 1–8 characters" }
            if ext.count > 3 || (pieces.count == 2 && ext.isEmpty) { return "component \"\(p)\" is not an 8.3 name" }
            if !(base + ext).unicodeScalars.allSatisfy({ ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }) {
                return "component \"\(p)\" has characters outside A–Z 0–9 _"
            }
        }
        return nil
    }
}

/// Builds an imported file-set in a hidden sibling of its destination and renames it into
/// place only when complete: a refused import leaves nothing behind.
final class StagingFolder {
    let destination: String
    let path: String
    private var committed = false

    init(destination: String) throws {
        let fm = FileManager.default
        if fm.fileExists(atPath: destination) {
            let contents = (try? fm.contentsOfDirectory(atPath: destination)) ?? ["?"]
            guard contents.isEmpty else { throw InterchangeError("\(destination) exists and is not an empty folder; dicomfs never writes over existing files") }
        }
        self.destination = destination
        path = directoryName(destination) + "/." + lastComponent(destination) + ".dicomfs-partial"
        try? fm.removeItem(atPath: path)
        try fm.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes one file under the staging folder (the path was checked by IncomingPath).
    func write(_ relative: String, _ data: Data) throws {
        let full = path + "/" + relative
        try FileManager.default.createDirectory(atPath: directoryName(full), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: full, contents: data) else { throw InterchangeError("cannot write \(full)") }
    }

    /// Synced and renamed into place, as create publishes its folder.
    func commit() throws {
        do { try publishFolder(path, as: destination) } catch { throw InterchangeError("\(error)") }
        committed = true
    }

    deinit { if !committed { try? FileManager.default.removeItem(atPath: path) } }
}

public struct InterchangeError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ d: String) { description = d }
}

/// After an import: the result of verifying the new file-set.
public struct ImportReport: Sendable, Codable {
    public var fileSet: String
    public var dicomFiles: Int
    public var otherFiles: Int
    public var skipped: [String]
    public var verification: Verifier.Report
}
