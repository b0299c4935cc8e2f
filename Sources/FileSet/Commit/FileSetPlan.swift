import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// Everything a command does to a folder, decided before anything is written: the DICOMDIR,
/// the instances to copy in (source → File ID), the other files to add (descriptor, web
/// content), the File IDs to delete. `create`, `add` and `remove` all end with one `commit`;
/// an image or drive target takes the same plan's parts (`Media.ISOMaster`, `SessionGrower`).
public struct FileSetPlan: Sendable {
    /// The DICOMDIR as it will be (Part 10 bytes).
    public var dicomdir: [UInt8]
    /// Instances copied in: an absolute (or working-directory-relative) source path and the
    /// File ID it gets.
    public var copies: [(source: String, fileID: FileID)] = []
    /// Other files written beside the DICOMDIR: a path relative to the root and its source.
    public var extras: [(path: String, source: String)] = []
    /// An extra file already in place that may stay as it is (the descriptor of `create
    /// --in-place`), rather than be refused as a file dicomfs would write over.
    public var extraInPlace: String?
    /// File IDs deleted once the new DICOMDIR is in place (confined to the root; a File ID the
    /// resolver refuses is never deleted).
    public var deletions: [String] = []

    public init(dicomdir: [UInt8]) { self.dicomdir = dicomdir }

    /// Where a plan is committed.
    public enum Target: Sendable {
        /// A folder that does not exist or is empty: built in a hidden sibling folder, synced,
        /// renamed into place (it appears complete or not at all).
        case newFolder(String)
        /// An existing folder (a file-set being updated, or the source of `create
        /// --in-place`): a journal of what is added and deleted, new files synced, the
        /// DICOMDIR through a temporary file and a rename, deletions, then the journal removed
        /// (an interrupted commit is rolled back or forward by the next one: `Journal.recover`).
        case folder(String)
    }

    /// Writes the plan. Never writes over a file that exists (but the DICOMDIR, replaced
    /// atomically, and `extraInPlace`).
    public func commit(to target: Target, progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws {
        switch target {
        case .newFolder(let output): try commitNew(output, progress: progress)
        case .folder(let root): try commitInPlace(root, progress: progress)
        }
    }

    private func commitNew(_ output: String, progress: (@Sendable (String, Int, Int) -> Void)?) throws {
        if FileOps.exists(output) && !FileOps.isEmptyDirectory(output) {
            throw FileSetError.unusableInput("\(output) exists and is not an empty folder; dicomfs never writes over existing files")
        }
        let temp = directoryName(output) + "/." + lastComponent(output) + ".dicomfs-partial"
        FileOps.removeTree(temp)  // a stale one from a killed run
        do {
            try FileOps.makeDirectories(temp)
            var made: Set<String> = []
            for (i, copy) in copies.enumerated() {
                let folder = temp + "/" + copy.fileID.components.dropLast().joined(separator: "/")
                if !made.contains(folder) { try FileOps.makeDirectories(folder); made.insert(folder) }
                try FileOps.copyFile(from: copy.source, to: temp + "/" + copy.fileID.path)
                if i % 256 == 0 { progress?("copying", i, copies.count) }
            }
            for extra in extras {
                try FileOps.makeDirectories(directoryName(temp + "/" + extra.path))
                try FileOps.copyFile(from: extra.source, to: temp + "/" + extra.path)
            }
            try FileOps.writeAtomically(dicomdir, to: temp + "/DICOMDIR")
            try publishFolder(temp, as: output)
        } catch {
            FileOps.removeTree(temp)
            throw error
        }
    }

    private func commitInPlace(_ root: String, progress: (@Sendable (String, Int, Int) -> Void)?) throws {
        // Nothing already there is written over: checked before anything is written.
        for extra in extras where extra.path != extraInPlace && FileOps.exists(root + "/" + extra.path) {
            throw FileSetError.unusableInput("\(root)/\(extra.path) exists; dicomfs does not write over files in place")
        }
        let confined = try ConfinedRoot(root)
        let deletable = deletions.filter { FileID.resolvedPath(of: $0) != nil }
        let journaled = copies.map(\.fileID.path) + deletable
        if !journaled.isEmpty { try Journal(paths: journaled).write(in: root) }
        for (i, c) in copies.enumerated() {
            try FileOps.makeDirectories(root + "/" + c.fileID.components.dropLast().joined(separator: "/"))
            try FileOps.copyFileDurably(from: c.source, to: root + "/" + c.fileID.path)
            if i % 256 == 0 { progress?("copying", i, copies.count) }
        }
        for extra in extras where !(extra.path == extraInPlace && FileOps.exists(root + "/" + extra.path)) {
            let target = root + "/" + extra.path
            try FileOps.makeDirectories(directoryName(target))
            try FileOps.copyFile(from: extra.source, to: target)
        }
        if !copies.isEmpty { FileWriting.sync(root, folder: true) }
        try FileOps.writeAtomically(dicomdir, to: root + "/DICOMDIR")
        if !deletable.isEmpty {
            for p in deletable where confined.kind(p) == .file { confined.unlink(p) }
            confined.removeEmptyParents(of: deletable)
            FileWriting.sync(root, folder: true)
        }
        if !journaled.isEmpty { Journal.remove(in: root) }
    }
}
