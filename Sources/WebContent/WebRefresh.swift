import DICOM
import FileSet
import Foundation

/// Web content kept true to the DICOMDIR after an update. IHE PDI pages, README.TXT and the
/// viewer's data name patients and show their images; after `remove` a page, rendering or
/// viewer file of a removed patient would carry that patient's data on a disc meant for
/// another, and after `add` the new instances would be missing. So an update of a set that
/// has web content regenerates all of it from the new DICOMDIR and deletes every old web
/// file it did not write again.
extension WebContentWriter {
    /// The root files and folders that make up web content (never referenced by a DICOMDIR).
    static let rootFiles = ["INDEX.HTM", "README.TXT"]
    static let folders = ["IHE_PDI", "VIEWER"]

    /// Whether the file-set folder has web content, and the viewer.
    public static func presence(in root: String) -> (web: Bool, viewer: Bool) {
        let fm = FileManager.default
        let web = (rootFiles + folders).contains { fm.fileExists(atPath: root + "/" + $0) }
        return (web, fm.fileExists(atPath: root + "/VIEWER"))
    }

    public struct RefreshReport: Sendable, Codable {
        public var written: Int = 0
        public var deleted: [String] = []
        public var warnings: [String] = []
    }

    /// Regenerates the web content (with `viewer`, the viewer too) of the file-set folder at
    /// `root` from its DICOMDIR: every file written to a scratch folder inside the set first,
    /// then renamed into place, then every old web file not written again deleted. The
    /// instances are read through the set's confined root, by their resolved File IDs.
    /// Without `options`, the pictures are made as the set's README.TXT says its were
    /// (size, quality, modality values), so an update keeps a disc's settings.
    public static func refresh(fileSet root: String, viewer: Bool, options: Options? = nil,
                               progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> RefreshReport {
        let storage: FolderStorage
        let dir: DICOMDIR
        do {
            storage = try FolderStorage(root: root)
            dir = try DICOMDIRReader.read(storage: storage).dicomdir
        } catch { throw WebContentError(userText(error)) }
        let scratch = root + "/" + FileOps.temporaryPrefix + "web"
        let fm = FileManager.default
        try? fm.removeItem(atPath: scratch)
        do { try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true) } catch {
            throw WebContentError("cannot create \(scratch) (the folder is read-only?)")
        }
        defer { try? fm.removeItem(atPath: scratch) }
        var options = options ?? Options.recorded(in: root) ?? Options()
        options.viewer = viewer
        let result = try write(dir, locate: { id in
            guard let path = try? id.resolvedPath().get(), storage.confined.kind(path) == .file else { return nil }
            return root + "/" + path
        }, into: scratch, options: options, progress: progress)
        var report = RefreshReport(warnings: result.warnings)
        let old = Set(((try? storage.walk().files) ?? []).filter(isWebFile))
        var new = Set<String>()
        for f in result.files {
            let target = root + "/" + f.path
            let folder = directoryName(target)
            do { try fm.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw WebContentError("cannot create \(folder)")
            }
            guard rename(f.source, target) == 0 else { throw WebContentError("cannot move \(f.path) into place: \(systemErrorText())") }
            new.insert(f.path)
        }
        report.written = new.count
        // The descriptor README (an extension-less copy of README.TXT) follows it.
        if dir.descriptorFileID?.path == "README", storage.confined.kind("README") == .file, new.contains("README.TXT") {
            try? fm.removeItem(atPath: root + "/README")
            try? fm.copyItem(atPath: root + "/README.TXT", toPath: root + "/README")
        }
        for stale in old.subtracting(new).sorted() where storage.confined.kind(stale) == .file {
            storage.confined.unlink(stale)
            report.deleted.append(stale)
        }
        storage.confined.removeEmptyParents(of: report.deleted)
        return report
    }

    /// Deletes all web content of the file-set folder (`add`/`remove --no-web`).
    public static func drop(fileSet root: String) throws -> [String] {
        let storage: FolderStorage
        do { storage = try FolderStorage(root: root) } catch { throw WebContentError(userText(error)) }
        let files = ((try? storage.walk().files) ?? []).filter(isWebFile)
        for f in files { storage.confined.unlink(f) }
        storage.confined.removeEmptyParents(of: files)
        for folder in folders where storage.confined.kind(folder) == .folder && storage.confined.entries(of: folder).isEmpty {
            storage.confined.removeFolder(folder)
        }
        return files
    }

    /// Deletes the viewer alone (`web --no-viewer`); the pages' links to it are regenerated
    /// without it by `refresh(viewer: false)` first.
    public static func dropViewer(fileSet root: String) throws -> [String] {
        let storage: FolderStorage
        do { storage = try FolderStorage(root: root) } catch { throw WebContentError(userText(error)) }
        if storage.confined.kind("VIEWER") == .folder { storage.confined.removeTree("VIEWER") }
        return ["VIEWER"]
    }

    static func isWebFile(_ path: String) -> Bool {
        rootFiles.contains(path) || folders.contains { path.hasPrefix($0 + "/") }
    }
}
