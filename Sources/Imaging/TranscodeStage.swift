import DICOM
import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// `--transcode`: before staging, the source is mirrored into a scratch folder — every file
/// hard-linked (copied where links cannot be made) except the instances whose transfer
/// syntax the profile does not allow, which are written there in Explicit VR Little Endian.
/// Staging then runs on the mirror, so the paths, File IDs and reports are the source's own,
/// and the source is never touched. An instance that cannot be decoded is linked as it is,
/// and staging refuses it (or `--skip-invalid` leaves it out) with the syntax rule, the
/// decoder's reason noted beside.
public enum TranscodeStage {
    public struct Prepared: Sendable {
        /// The folder to stage from.
        public var source: String
        /// Relative paths transcoded, with the syntax they had.
        public var transcoded: [(path: String, from: String)]
        /// Relative paths that could not be transcoded, with why.
        public var failed: [(path: String, reason: String)]
    }

    public static func prepare(source: String, profile: ApplicationProfile, scratch: String, excluded: Set<String> = [],
                               workers: Int = max(1, min(8, onlineProcessors())),
                               progress: (@Sendable (String, Int, Int) -> Void)? = nil) throws -> Prepared {
        guard profile.allows(transferSyntax: Transcoder.target.uid) else {
            throw ImagingError("profile \(profile.name) does not allow Explicit VR Little Endian, the only syntax dicomfs transcodes to")
        }
        let walker = try DirectoryWalker(root: source)
        let files = walker.files.filter { !excluded.contains($0) }
        let mirror = scratch + "/source"
        try FileOps.makeDirectories(mirror)
        let counter = WorkCounter()
        let results = parallelMap(files.count, workers: workers) { i -> (Int, String?, String?) in
            let rel = files[i]
            let done = counter.increment()
            if done % 64 == 0 { progress?("transcoding", done, files.count) }
            let from = source + "/" + rel, to = mirror + "/" + rel
            do { try FileOps.makeDirectories(directoryName(to)) } catch { return (i, nil, "cannot make a folder in the scratch area: \(error)") }
            // Only a readable DICOM header whose syntax the profile refuses is transcoded.
            if let header = try? DICOMFile.read(path: from, options: .headerOnly), header.hasMetaInformation,
               !profile.allows(transferSyntax: header.transferSyntax.uid), header.sopInstanceUID != nil {
                do {
                    let bytes = try Transcoder.explicitLittleEndian(try DICOMFile.read(path: from))
                    try FileOps.writeAtomically(bytes, to: to)
                    return (i, header.transferSyntax.uid, nil)
                } catch {
                    link(from, to)
                    return (i, nil, "\(error)")
                }
            }
            link(from, to)
            return (i, nil, nil)
        }
        var prepared = Prepared(source: mirror, transcoded: [], failed: [])
        for (i, from, failure) in results {
            if let from { prepared.transcoded.append((files[i], from)) }
            if let failure { prepared.failed.append((files[i], failure)) }
        }
        return prepared
    }

    /// A hard link (the same bytes, no copy); a copy across file systems.
    private static func link(_ from: String, _ to: String) {
        if Glibc.link(from, to) != 0 { try? FileOps.copyFile(from: from, to: to) }
    }
}
