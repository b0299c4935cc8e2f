import DICOM
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// One DICOM instance found by a scan: where it is and the header elements records need.
public struct ScannedInstance: Sendable {
    /// Path relative to the scanned folder, "/"-separated.
    public let relativePath: String
    public let size: Int
    public let sopClassUID: String
    public let sopInstanceUID: String
    public let transferSyntaxUID: String
    /// The top-level elements a directory record may need (see `InstanceScanner.keptTags`).
    public internal(set) var header: DataSet
    public let warnings: [ReadWarning]
    /// Grouping keys, decoded once by the scan workers: Patient ID, Study and Series UIDs.
    public internal(set) var patientID: String?
    public let studyUID: String?
    public let seriesUID: String?

    /// Drops every header element but `tags` (and the character set needed to decode them).
    mutating func reduceHeader(to tags: Set<Tag>) {
        header = DataSet(sortedElements: header.elements.filter { tags.contains($0.tag) || $0.tag == .specificCharacterSet },
                         characterSet: header.characterSet)
    }
}

/// What became of each file a scan looked at.
public enum ScanResult: Sendable {
    case instance(ScannedInstance)
    /// Not DICOM at all (a README, a thumbnail): left out, listed.
    case notDICOM(path: String, reason: String)
    /// DICOM that cannot be used (truncated, malformed, no meta information): left out, a finding.
    case unusable(path: String, reason: String)
}

/// Walks a folder and reads every file's header on all cores, reading only up to Pixel Data
/// and copying only the elements directory records use.
public struct InstanceScanner: Sendable {
    public var workers: Int

    public init(workers: Int = max(1, min(8, sysconfCores()))) { self.workers = workers }

    /// Every element any record type, profile or consistency check reads.
    public static let keptTags: Set<Tag> = {
        var tags: Set<Tag> = [
            .sopClassUID, .sopInstanceUID, .relatedGeneralSOPClassUID, .specificCharacterSet,
            .patientName, .patientID, .patientBirthDate, .patientSex,
            .studyInstanceUID, .studyDate, .studyTime, .studyID, .accessionNumber, .studyDescription,
            .seriesInstanceUID, .seriesNumber, .modality, .seriesDate, .seriesTime,
            .acquisitionDate, .acquisitionTime, .contentDate, .contentTime, .instanceNumber,
            .verifyingObserverSequence, .contentSequence, .sharedFunctionalGroupsSequence,
            .encapsulatedDocument,
        ]
        for type in RecordType.allCases { for k in RecordKeys.keys(for: type) { tags.insert(k.tag) } }
        for profile in ApplicationProfile.all {
            for type in RecordType.allCases { tags.formUnion(profile.extraKeys(for: type)) }
        }
        tags.remove(.encapsulatedDocument)  // large; only its presence matters, never read
        return tags
    }()

    static let readOptions: ReadOptions = {
        var o = ReadOptions.headerOnly
        o.keepOnly = keptTags
        return o
    }()

    /// Scans the files (paths relative to `root`) in parallel; results come back in input order.
    public func scan(root: String, files: [String], progress: (@Sendable (Int) -> Void)? = nil) -> [ScanResult] {
        var all: [ScanResult] = []
        all.reserveCapacity(files.count)
        scan(root: root, files: files, progress: progress) { all += $0 }
        return all
    }

    /// Scans in batches and hands each batch, in input order, to `consume` on the calling thread,
    /// so that callers can reduce results as they come and memory stays bounded by the batch.
    public func scan(root: String, files: [String], batchSize: Int = 4096, progress: (@Sendable (Int) -> Void)? = nil,
                     consume: ([ScanResult]) throws -> Void) rethrows {
        var start = 0
        while start < files.count {
            let end = min(files.count, start + batchSize)
            let results = ResultBuffer(count: end - start)
            let next = Counter()
            let base = start
            DispatchQueue.concurrentPerform(iterations: min(workers, end - start)) { _ in
                while true {
                    let i = next.increment()
                    guard base + i < end else { break }
                    results.set(i, Self.scanOne(root: root, relative: files[base + i]))
                }
            }
            progress?(end)
            try consume(results.values)
            start = end
        }
    }

    static func scanOne(root: String, relative: String) -> ScanResult {
        let path = root + "/" + relative
        let file: DICOMFile
        do {
            file = try DICOMFile.read(path: path, options: readOptions)
        } catch let e as DICOMError {
            if e.kind == .notDICOM { return .notDICOM(path: relative, reason: e.message) }
            return .unusable(path: relative, reason: e.description)
        } catch {
            return .unusable(path: relative, reason: "\(error)")
        }
        guard file.hasMetaInformation, file.preamble != nil else {
            return .unusable(path: relative, reason: "\(path): not a DICOM Part 10 file (no preamble or File Meta Information); a file-set holds Part 10 files only")
        }
        let ds = file.dataSet
        guard let sopClass = nonEmpty(ds.string(.sopClassUID)) ?? nonEmpty(file.meta.string(.mediaStorageSOPClassUID)),
              let sopInstance = nonEmpty(ds.string(.sopInstanceUID)) ?? nonEmpty(file.meta.string(.mediaStorageSOPInstanceUID)) else {
            return .unusable(path: relative, reason: "\(path): no SOP Class UID or SOP Instance UID")
        }
        var warnings = file.warnings
        if let metaInstance = nonEmpty(file.meta.string(.mediaStorageSOPInstanceUID)), metaInstance != sopInstance {
            warnings.append(ReadWarning(offset: nil, tag: .mediaStorageSOPInstanceUID,
                                        message: "meta SOP Instance UID \(metaInstance) differs from the data set's \(sopInstance)"))
        }
        let size = file.fileSize
        return .instance(ScannedInstance(relativePath: relative, size: size, sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                         transferSyntaxUID: file.meta.string(.transferSyntaxUID) ?? file.transferSyntax.uid,
                                         header: ds, warnings: warnings, patientID: nonEmpty(ds.string(.patientID)),
                                         studyUID: nonEmpty(ds.string(.studyInstanceUID)),
                                         seriesUID: nonEmpty(ds.string(.seriesInstanceUID))))
    }
}

func nonEmpty(_ s: String?) -> String? {
    guard let s, !s.isEmpty else { return nil }
    return s
}

public func sysconfCores() -> Int {
    #if canImport(Glibc)
    return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    #else
    return 2
    #endif
}

/// Slots written once each by concurrent workers (distinct indices, so no two writers meet).
final class ResultBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableBufferPointer<ScanResult?>
    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }
    deinit { storage.deinitialize(); storage.deallocate() }
    func set(_ i: Int, _ value: ScanResult) { storage[i] = value }
    var values: [ScanResult] { storage.map { $0! } }
}

/// A shared work counter for the scan workers.
final class Counter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    deinit { pthread_mutex_destroy(&lock) }
    func increment() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value - 1
    }
}
