import DICOM
import FileSet
import Foundation

/// Where the instances a request names are in the store: a header-only scan (up to Pixel
/// Data, keeping the few keys planning needs) of every file under it, on all cores.
struct StoreIndex {
    struct Entry: Sendable {
        var path: String
        var sopInstanceUID: String
        var sopClassUID: String
        var transferSyntaxUID: String
        var patient: String, study: String, series: String
        var bytes: Int64
    }

    var byInstance: [String: Entry] = [:]

    init(store: String, wanted: Set<String>) throws {
        let files: [String]
        do { files = try DirectoryWalker(root: store).files } catch { throw RequestError("store \(store): \(error)") }
        let options: ReadOptions = {
            var o = ReadOptions(stopBefore: .pixelData, bulkDataThreshold: 1024)
            o.keepOnly = [.sopClassUID, .sopInstanceUID, .patientID, .studyInstanceUID, .seriesInstanceUID]
            return o
        }()
        let found = Collected<Entry>(count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { i in
            let path = store + "/" + files[i]
            guard let f = try? DICOMFile.read(path: path, options: options), let uid = f.sopInstanceUID, wanted.contains(uid) else { return }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64) ?? 0
            found.set(i, Entry(path: path, sopInstanceUID: uid, sopClassUID: f.sopClassUID ?? "", transferSyntaxUID: f.meta.string(.transferSyntaxUID) ?? "",
                               patient: f.dataSet.string(.patientID) ?? "", study: f.dataSet.string(.studyInstanceUID) ?? "",
                               series: f.dataSet.string(.seriesInstanceUID) ?? "", bytes: size))
        }
        // The first file in walk order wins when a store holds an instance twice.
        for case let e? in found.values where byInstance[e.sopInstanceUID] == nil { byInstance[e.sopInstanceUID] = e }
    }
}

final class Collected<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [T?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); values[i] = v; lock.unlock() }
}
