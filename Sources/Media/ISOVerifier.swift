import CIsoBurn
import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// `verify` for a disc image or drive: every file-set check of the folder verifier, read
/// through libisofs without mounting, plus what only a disc has: PS3.12 names, the Volume
/// Identifier, and the session and per-file MD5s libisofs recorded.
public enum ISOVerifier {
    public static func verify(_ path: String, profile: ApplicationProfile? = nil, checkMD5: Bool = true) throws -> Verifier.Report {
        try verifyReading(path, profile: profile, checkMD5: checkMD5).report
    }

    /// The report, the DICOMDIR read for it and the storage it was read from, for callers
    /// that go on to read the files (`send`) without opening the image a second time.
    public static func verifyReading(_ path: String, profile: ApplicationProfile? = nil, checkMD5: Bool = true) throws
        -> (report: Verifier.Report, dicomdir: DICOMDIR, storage: ISOStorage) {
        let image = try ISOImage.open(path)
        let storage = try ISOStorage(image)
        let read = try Verifier(profile: profile).verifyReading(storage: storage)
        var report = read.report
        let dicomdir = read.dicomdir
        let referenced = Set(dicomdir.allRecords.compactMap { $0.reference?.fileID.path })
        report.findings += nameFindings(image, referenced: referenced)
        if dicomdir.fileSetID != image.volumeID {
            let id = dicomdir.fileSetID
            report.findings.append(Finding(.warning, .volumeID, "volume", "Volume Identifier \"\(image.volumeID)\" differs from the File-set ID \"\(id)\" (PS3.12 F.1.1 / P.1.1)"))
        }
        if checkMD5 { report.findings += try md5Findings(storage) }
        return (report, dicomdir, storage)
    }

    /// PS3.12 names: level 1 identifiers, version ;1, no extension on DICOM files, upper case,
    /// and the same names in the Rock Ridge and Joliet trees.
    static func nameFindings(_ image: ISOImage, referenced: Set<String>) -> [Finding] {
        var out: [Finding] = []
        for e in image.rawEntries {
            guard let identifier = e.identifierPath.split(separator: "/").last.map(String.init) else { continue }
            let subject = e.identifierPath
            if e.isDirectory {
                if let rule = ISONames.violation(name: identifier, allowExtension: false) {
                    out.append(Finding(.error, .directoryName, subject, "directory identifier \(rule) (ISO 9660 level 1, PS3.12)"))
                }
                continue
            }
            guard identifier.hasSuffix(";1") else {
                out.append(Finding(.warning, .fileVersion, subject, "file identifier has no version \";1\" (PS3.12 F.1.2.1 / P.1.3.1 keep it)"))
                continue
            }
            let name = String(identifier.dropLast(2))
            let isDICOM = referenced.contains(e.path) || e.path == "DICOMDIR"
            let base = name.hasSuffix(".") ? String(name.dropLast()) : name
            if let rule = ISONames.violation(name: base, allowExtension: !isDICOM) {
                out.append(Finding(.error, .fileName, subject, "file identifier \(rule) (ISO 9660 level 1, PS3.12)"))
            }
            if let b = e.block, e.size > 0 {
                if let rr = image.rockRidgeNames[b], rr != e.path {
                    out.append(Finding(.warning, .rockRidgeName, subject, "Rock Ridge name is \(rr): the views differ, and readers that use Rock Ridge will not find the File ID"))
                }
                if let j = image.jolietNames[b], j.split(separator: "/").map({ ISONames.fileIDComponent(String($0)) }).joined(separator: "/") != e.path {
                    out.append(Finding(.warning, .jolietName, subject, "Joliet name is \(j): the file is known by another name on Windows"))
                }
            }
        }
        // A referenced file found only under its Joliet name: the ISO 9660 name was mangled.
        let jolietPaths = Set(image.jolietNames.values.map { $0.split(separator: "/").map { ISONames.fileIDComponent(String($0)) }.joined(separator: "/") })
        let isoPaths = Set(image.rawEntries.map(\.path))
        for p in referenced.sorted() where !isoPaths.contains(p) && jolietPaths.contains(p) {
            out.append(Finding(.error, .jolietOnly, p, "exists only as a Joliet name; PS3.12 readers use the ISO 9660 names"))
        }
        return out
    }

    /// Recomputes the session MD5 over its blocks and every recorded file MD5 over the file.
    static func md5Findings(_ storage: ISOStorage) throws -> [Finding] {
        let image = storage.image
        var out: [Finding] = []
        if let problem = image.treeProblem { out.append(Finding(.error, .imageTree, "session", problem + ": the image is damaged")) }
        if let s = image.sessionMD5 {
            let digest = try md5(storage, from: Int64(s.start) * 2048, count: Int64(s.end - s.start) * 2048)
            if digest != s.md5 {
                out.append(Finding(.error, .sessionMD5, "session", "session MD5 does not match (blocks \(s.start)–\(s.end)): the image is damaged"))
            }
        } else {
            out.append(Finding(.info, .sessionMD5Absent, "session", "no session MD5 recorded; content checked by parsing only"))
        }
        var checked = 0
        for e in image.rawEntries where !e.isDirectory {
            guard let b = e.block, let recorded = image.fileMD5[b] else { continue }
            if try md5(storage, from: Int64(b) * 2048, count: e.size) != recorded {
                out.append(Finding(.error, .fileMD5, e.path, "file MD5 does not match the one recorded when the disc was written"))
            }
            checked += 1
        }
        if image.sessionMD5 != nil && checked == 0 && image.rawEntries.contains(where: { !$0.isDirectory && $0.size > 0 }) {
            out.append(Finding(.info, .fileMD5Absent, "session", "no per-file MD5s recorded (they need Rock Ridge and AAIP)"))
        }
        return out
    }

    static func md5(_ storage: ISOStorage, from offset: Int64, count: Int64) throws -> [UInt8] {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        var context: UnsafeMutableRawPointer?
        return try LibraryThread.shared.run { lib in
            guard iso_md5_start(&context) == 1 else { throw MediaError.library("cannot start an MD5 computation") }
            var result = [CChar](repeating: 0, count: 16)
            do {
                while done < count, let base = buffer.baseAddress {
                    let want = Int(min(Int64(chunk), count - done))
                    let n = try storage.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]), at: offset + done)
                    guard n > 0 else { break }
                    iso_md5_compute(context, base.assumingMemoryBound(to: CChar.self), Int32(n))
                    done += Int64(n)
                }
            } catch {
                iso_md5_end(&context, &result)
                throw error
            }
            iso_md5_end(&context, &result)
            return result.map { UInt8(bitPattern: $0) }
        }
    }
}
