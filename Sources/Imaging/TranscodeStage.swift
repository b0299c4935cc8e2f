import DICOM
import FileSet
#if canImport(Glibc)
import Glibc
#endif

/// `--transcode`: before staging, the source is mirrored into a scratch folder — every file
/// hard-linked (copied where links cannot be made) except the instances whose transfer
/// syntax the profile does not allow, which are written there in the profile's target syntax
/// (`Transcoder.targetSyntax(for:)`: compressed losslessly where the profile allows it; an instance
/// that cannot be compressed — no pixels, a colour model the codec does not take — goes in
/// Explicit VR Little Endian when the profile allows that).
/// Staging then runs on the mirror, so the paths, File IDs and reports are the source's own,
/// and the source is never touched. An instance that cannot be decoded is linked as it is,
/// and staging refuses it (or `--skip-invalid` leaves it out) with the syntax rule, the
/// decoder's reason noted beside.
///
/// With `lossyQuality` (`--allow-lossy`, or Allow Lossy Compression YES in a media request)
/// every image not already in a lossy syntax the profile allows is compressed lossily in the
/// profile's (`LossySyntax.target`), as a new instance (`Transcoder.rewriteLossy`); an image
/// that cannot be (signed samples in a JPEG profile, palette colour, enhanced multi-frame)
/// follows the lossless rules. Never without it.
public enum TranscodeStage {
    public struct Prepared: Sendable {
        /// The folder to stage from.
        public var source: String
        /// Relative paths transcoded, with the syntax they had and the one they got.
        public var transcoded: [(path: String, from: String, to: String)]
        /// Relative paths that could not be transcoded, with why.
        public var failed: [(path: String, reason: String)]
        /// The bytes of the transcoded files before and after.
        public var bytesBefore: Int64 = 0, bytesAfter: Int64 = 0
    }

    /// The lossless compressed syntax a profile allows, to make a set fit its medium: JPEG-LS
    /// (the smallest of the three on medical images) where allowed, else JPEG 2000, else
    /// JPEG Lossless; nil for a profile that allows none (STD-GEN-CD).
    public static func compressedTarget(for profile: ApplicationProfile) -> String? {
        [LosslessSyntax.jpegLS, .jpeg2000, .jpegLossless].first { profile.allows(transferSyntax: $0.rawValue) }?.rawValue
    }

    /// The bytes of every file under `folder` (links not followed), for a capacity check.
    public static func totalBytes(_ folder: String) throws -> Int64 {
        let walker = try DirectoryWalker(root: folder, followLinks: false)
        var total: Int64 = 0
        var st = stat()
        for f in walker.files where stat(folder + "/" + f, &st) == 0 { total += Int64(st.st_size) }
        return total
    }

    /// `requested`: every image not in that syntax is written in it (`nativeOnly`: only
    /// those stored natively — compressing to fit a medium leaves compressed ones as they
    /// are).
    public static func prepare(source: String, profile: ApplicationProfile, scratch: String, excluded: Set<String> = [],
                               to requested: String? = nil, nativeOnly: Bool = false, lossyQuality: Int? = nil,
                               workers: Int = max(1, min(8, onlineProcessors())),
                               progress: (@Sendable (String, Int, Int) -> Void)? = nil,
                               bytesRead: (@Sendable (Int64) -> Void)? = nil) throws -> Prepared {
        let target = try Transcoder.targetSyntax(for: profile, requested: requested)
        if let q = lossyQuality {
            guard (1...100).contains(q) else { throw ImagingError("--allow-lossy \(q): a quality from 1 to 100") }
            guard LossySyntax.allowed(by: profile) else {
                throw ImagingError("--allow-lossy: profile \(profile.name) allows no lossy syntax (the JPEG and J2K profiles do)")
            }
        }
        let fallback = target != Transcoder.target.uid && profile.allows(transferSyntax: Transcoder.target.uid) ? Transcoder.target.uid : nil
        let walker = try DirectoryWalker(root: source)
        let files = walker.files.filter { !excluded.contains($0) }
        let mirror = scratch + "/source"
        try FileOps.makeDirectories(mirror)
        /// The bytes to write and their syntax: lossy when asked and possible, else the
        /// target; an image that cannot be compressed (no pixels, a colour model the codec
        /// does not take) goes native when the profile refuses it as it is.
        @Sendable func rewrite(_ file: DICOMFile, lossy: LossySyntax?, refused: Bool) throws -> ([UInt8], String) {
            if let lossy, let quality = lossyQuality {
                do { return (try Transcoder.rewriteLossy(file, to: lossy, quality: quality), lossy.rawValue) } catch {
                    // Kept as it is, with why, when the profile takes it so; else lossless below.
                    if !refused && requested == nil { throw error }
                }
            }
            do { return (try Transcoder.rewrite(file, to: target), target) } catch let first as ImagingError {
                guard refused, let fallback else { throw first }
                return (try Transcoder.rewrite(file, to: fallback), fallback)
            }
        }
        let counter = WorkCounter(), bytes = WorkCounter()
        let results = parallelMap(files.count, workers: workers) { i -> (Int, (String, String, Int64, Int64)?, String?) in
            let rel = files[i]
            let from = source + "/" + rel, to = mirror + "/" + rel
            var st = stat()
            let size = stat(from, &st) == 0 ? Int(st.st_size) : 0
            // Counted when done: a file is the unit of work (a cine may take seconds), the
            // bytes read give the rate (the bar throttles its own drawing).
            defer {
                let done = counter.increment() + 1
                bytesRead?(Int64(bytes.increment(by: size) + size))
                progress?("transcoding", done, files.count)
            }
            do { try FileOps.makeDirectories(directoryName(to)) } catch { return (i, nil, "cannot make a folder in the scratch area: \(error)") }
            // A readable DICOM header whose syntax the profile refuses is transcoded; with
            // --transcode-to, every image not in that syntax too; with --allow-lossy, every
            // image not already in a lossy syntax the profile allows.
            if let header = try? DICOMFile.read(path: from, options: .headerOnly), header.hasMetaInformation, header.sopInstanceUID != nil {
                let syntax = header.transferSyntax.uid
                let refused = !profile.allows(transferSyntax: syntax)
                let isImage = header.dataSet[.rows] != nil && header.dataSet[.columns] != nil
                let lossy = lossyQuality == nil || !isImage || LossySyntax(rawValue: syntax).map({ profile.allows(transferSyntax: $0.rawValue) }) == true
                    ? nil : (try? PixelDescription(header.dataSet)).flatMap { LossySyntax.target(for: profile, image: $0) }
                let asked = requested != nil && syntax != target && isImage && !(nativeOnly && header.transferSyntax.isEncapsulated)
                if refused || lossy != nil || asked {
                    do {
                        let file = try DICOMFile.read(path: from)
                        let (bytes, written) = try rewrite(file, lossy: lossy, refused: refused)
                        try FileOps.writeAtomically(bytes, to: to)
                        return (i, (syntax, written, Int64(size), Int64(bytes.count)), nil)
                    } catch {
                        link(from, to)
                        return (i, nil, userText(error, otherwise: "cannot be rewritten"))
                    }
                }
            }
            link(from, to)
            return (i, nil, nil)
        }
        var prepared = Prepared(source: mirror, transcoded: [], failed: [])
        for (i, done, failure) in results {
            if let done {
                prepared.transcoded.append((files[i], done.0, done.1))
                prepared.bytesBefore += done.2
                prepared.bytesAfter += done.3
            }
            if let failure { prepared.failed.append((files[i], failure)) }
        }
        return prepared
    }

    /// A hard link (the same bytes, no copy); a copy across file systems.
    private static func link(_ from: String, _ to: String) {
        if Glibc.link(from, to) != 0 { try? FileOps.copyFile(from: from, to: to) }
    }
}
