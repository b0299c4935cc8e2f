import FileSet
import Foundation
import ZIPFoundation

/// A file-set as a ZIP archive (PS3.12 ZIP File format): the DICOMDIR at the root, File IDs
/// as paths, DICOM files stored, other files deflated. Import refuses paths that would
/// leave the folder, symbolic links and archives that expand beyond reason, then verifies.
public enum ZipInterchange {
    /// Writes the archive under a temporary name and renames it into place when complete;
    /// every file is read through the confined root. Returns the files left out, with why.
    @discardableResult
    public static func export(fileSet root: String, to output: String) throws -> [String] {
        let contents = try FileSetContents(root: root)
        let staged = try StagedOutput(output, create: false)
        do {
            let archive = try Archive(url: URL(fileURLWithPath: staged.temporary), accessMode: .create)
            for item in contents.items {
                let data = try contents.data(item)
                try archive.addEntry(with: item.path, type: .file, uncompressedSize: Int64(data.count),
                                     compressionMethod: item.isDICOM ? .none : .deflate) { position, size in
                    data.subdata(in: Int(position)..<Int(position) + size)
                }
            }
        } catch {
            throw writeFailure(output, error)
        }
        try staged.publish()
        return contents.leftOut
    }

    public struct ImportOptions: Sendable {
        /// Refuse an archive that expands to more than this.
        public var maxBytes: Int64 = 64 << 30
        /// Refuse an entry that expands more than this many times (with more than 1 MB).
        public var maxRatio: Int64 = 1000
        public init() {}
    }

    public static func importArchive(_ path: String, into output: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
        guard FileManager.default.fileExists(atPath: path) else { throw InterchangeError("\(path): no such file") }
        // Our own reading of the layout first: overlapping entries and repeated names are
        // refused before the library extracts anything.
        let layout = try ZipLayout.read(path)
        var names: [String: String] = [:]
        for e in layout.entries where !e.name.hasSuffix("/") {
            if let first = names.updateValue(e.name, forKey: e.name.uppercased()) {
                throw InterchangeError("\(path): the archive holds \(first == e.name ? "\"\(e.name)\" twice" : "\"\(first)\" and \"\(e.name)\"") ; names in a file-set are unique; nothing was written")
            }
        }
        let archiveSize = Int64(FileManager.default.sizeOfFile(path) ?? 0)
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw InterchangeError("\(path): not a ZIP archive (\(error))")
        }
        var problems: [String] = [], skipped: [String] = []
        var entries: [(Entry, String, Bool)] = []
        var declared: Int64 = 0
        var dicomdir = false
        for entry in archive {
            let name = entry.path
            switch entry.type {
            case .symlink: problems.append("\(name): a symbolic link; refused"); continue
            case .directory: continue
            case .file: break
            }
            // Non-DICOM content keeps 8.3 names; the rest must be File IDs.
            let asDICOM = IncomingPath.check(name, dicom: true) == nil
            if let rule = IncomingPath.check(name, dicom: asDICOM ? true : false) {
                if name.contains("..") || name.hasPrefix("/") || name.contains("\\") { problems.append("\(name): \(rule); refused (it would leave the folder)") }
                else { skipped.append("\(name): not restored (\(rule))") }
                continue
            }
            if name == "DICOMDIR" { dicomdir = true }
            let size = Int64(entry.uncompressedSize), packed = max(Int64(entry.compressedSize), 1)
            declared += size
            if size > 1 << 20 && size / packed > options.maxRatio { problems.append("\(name): expands \(size / packed) times (\(size) bytes); refused as a zip bomb") }
            entries.append((entry, name, asDICOM))
        }
        if declared > options.maxBytes { problems.append("the archive expands to \(declared) bytes, more than the \(options.maxBytes) allowed") }
        if declared > 1 << 20 && declared / max(archiveSize, 1) > options.maxRatio {
            problems.append("the archive (\(archiveSize) bytes) expands to \(declared) bytes, \(declared / max(archiveSize, 1)) times; refused as a zip bomb")
        }
        if !dicomdir { problems.append("no DICOMDIR at the archive root: not a DICOM file-set") }
        guard problems.isEmpty else { throw InterchangeError("nothing was written; \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n  " + problems.joined(separator: "\n  ")) }

        let staging = try StagingFolder(destination: output)
        var dicomCount = 0, otherCount = 0
        for (entry, name, isDICOM) in entries {
            let out = try staging.create(name)
            var written: Int64 = 0
            let limit = Int64(entry.uncompressedSize)
            do {
                _ = try archive.extract(entry, consumer: { chunk in
                    written += Int64(chunk.count)
                    // The declared size is what was checked; more is a lie (or a bomb).
                    guard written <= limit else { throw InterchangeError("\(name): expands past its declared \(limit) bytes; refused") }
                    do { try out.write(contentsOf: chunk) } catch { throw writeFailure(output, error) }
                })
            } catch {
                try? out.close()
                throw error is InterchangeError ? error : InterchangeError("\(path): \(name): cannot extract (the archive is damaged or uses an unsupported method)")
            }
            do { try out.close() } catch { throw writeFailure(output, error) }
            if isDICOM { dicomCount += 1 } else { otherCount += 1 }
        }
        // Verified before it is published: an import that is not a file-set at all (its
        // DICOMDIR not DICOM) leaves nothing behind.
        var report = try staging.verify()
        try staging.commit()
        report.fileSet = output
        return ImportReport(fileSet: output, dicomFiles: dicomCount, otherFiles: otherCount, skipped: skipped, verification: report)
    }
}
