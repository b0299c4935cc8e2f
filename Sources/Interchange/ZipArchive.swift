import FileSet
import Foundation
import ZIPFoundation

/// A file-set as a ZIP archive (PS3.12 ZIP File format): the DICOMDIR at the root, File IDs
/// as paths, DICOM files stored, other files deflated. Import refuses paths that would
/// leave the folder, symbolic links and archives that expand beyond reason, then verifies.
public enum ZipInterchange {
    public static func export(fileSet root: String, to output: String) throws {
        let contents = try FileSetContents(root: root)
        if FileManager.default.fileExists(atPath: output) { throw InterchangeError("\(output) exists; dicomfs does not write over it") }
        let temp = output + ".dicomfs-partial"
        try? FileManager.default.removeItem(atPath: temp)
        do {
            let archive = try Archive(url: URL(fileURLWithPath: temp), accessMode: .create)
            let base = URL(fileURLWithPath: root)
            for item in contents.items {
                try archive.addEntry(with: item.path, relativeTo: base, compressionMethod: item.isDICOM ? .none : .deflate)
            }
            try FileManager.default.moveItem(atPath: temp, toPath: output)
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error is InterchangeError ? error : InterchangeError("\(output): cannot write the archive (\(error))")
        }
    }

    public struct ImportOptions: Sendable {
        /// Refuse an archive that expands to more than this.
        public var maxBytes: Int64 = 64 << 30
        /// Refuse an entry that expands more than this many times (with more than 1 MB).
        public var maxRatio: Int64 = 1000
        public init() {}
    }

    public static func importArchive(_ path: String, into output: String, options: ImportOptions = ImportOptions()) throws -> ImportReport {
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
        if !dicomdir { problems.append("no DICOMDIR at the archive root: not a DICOM file-set") }
        guard problems.isEmpty else { throw InterchangeError("nothing was written; \(problems.count) problem\(problems.count == 1 ? "" : "s"):\n  " + problems.joined(separator: "\n  ")) }

        let staging = try StagingFolder(destination: output)
        var dicomCount = 0, otherCount = 0
        for (entry, name, isDICOM) in entries {
            let target = staging.path + "/" + name
            try FileManager.default.createDirectory(atPath: directoryName(target), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: target, contents: nil), let out = FileHandle(forWritingAtPath: target) else {
                throw InterchangeError("cannot write \(target)")
            }
            var written: Int64 = 0
            let limit = Int64(entry.uncompressedSize)
            do {
                _ = try archive.extract(entry, consumer: { chunk in
                    written += Int64(chunk.count)
                    // The local header's size is what was checked; more is a lie (or a bomb).
                    guard written <= limit else { throw InterchangeError("\(name): expands past its declared \(limit) bytes; refused") }
                    out.write(chunk)
                })
            } catch {
                try? out.close()
                throw error is InterchangeError ? error : InterchangeError("\(name): cannot extract (\(error))")
            }
            try out.close()
            if isDICOM { dicomCount += 1 } else { otherCount += 1 }
        }
        try staging.commit()
        let report = try Verifier().verify(path: output)
        return ImportReport(fileSet: output, dicomFiles: dicomCount, otherFiles: otherCount, skipped: skipped, verification: report)
    }
}
