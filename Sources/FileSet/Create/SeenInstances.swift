import DICOM

/// The SOP Instance UIDs a create has seen, for finding duplicates among tens of thousands of
/// files: each UID kept as a 64-bit hash beside its first file's path and size, not as a
/// string (the UIDs themselves would be a tenth of the memory a large create needs). A hash
/// match is only a candidate, which the caller settles from the files; a UID that merely
/// shares a hash with an earlier one is kept by name.
struct SeenInstances {
    private var byHash: [UInt64: Int32] = [:]
    private var byUID: [String: Int32] = [:]
    private var files: [(path: String, size: Int)] = []
    /// Nil: `fnv1a`, which a scan worker may already have applied (`add`'s `hashed`).
    private let customHash: ((String) -> UInt64)?

    /// `hash` is for tests, which make UIDs collide.
    init(capacity: Int, hash: ((String) -> UInt64)? = nil) {
        byHash.reserveCapacity(capacity)
        files.reserveCapacity(capacity)
        customHash = hash
    }

    private func hash(_ uid: String) -> UInt64 { customHash?(uid) ?? fnv1a(uid) }

    /// Records `uid` for this file, unless an earlier file has it or (when only the hashes are
    /// equal) may have it: that file is returned instead, for the caller to settle, and
    /// `insert(_:path:size:)` then records a UID that proved different. `hashed`: `fnv1a(uid)`
    /// as the scan worker computed it (on the one thread that folds a scan in, the hash and
    /// its retain were 1.6% of a 75,000-file create's CPU in perf).
    mutating func add(_ uid: String, hashed: UInt64? = nil, path: String, size: Int) -> (path: String, size: Int)? {
        let h = (customHash == nil ? hashed : nil) ?? hash(uid)
        if !byUID.isEmpty, let i = byUID[uid] { return files[Int(i)] }
        if let i = byHash[h] { return files[Int(i)] }
        byHash[h] = Int32(files.count)
        files.append((path, size))
        return nil
    }

    /// Records a UID whose hash an earlier, different UID has.
    mutating func insert(_ uid: String, path: String, size: Int) {
        let index = Int32(files.count)
        files.append((path, size))
        let h = hash(uid)
        if byHash[h] == nil { byHash[h] = index } else { byUID[uid] = index }
    }

    /// The SOP Instance UID of a file, read again from its header (to settle a hash match).
    static func sopInstanceUID(ofFile path: String) -> String? {
        guard let file = try? DICOMFile.read(path: path, options: .headerOnly) else { return nil }
        return nonEmpty(file.dataSet.string(.sopInstanceUID)) ?? nonEmpty(file.meta.string(.mediaStorageSOPInstanceUID))
    }
}
