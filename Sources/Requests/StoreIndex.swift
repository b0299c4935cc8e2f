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
    /// Instances by their Study or Series Instance UID, when a request names one of those
    /// instead of instances (store order).
    var byGroup: [String: [Entry]] = [:]

    init(store: String, wanted: Set<String>) throws {
        let files: [String]
        // A store may hold what a PACS or a hot folder received: links are not followed.
        do { files = try DirectoryWalker(root: store, followLinks: false).files } catch { throw RequestError("store \(store): \(userText(error))") }
        let options: ReadOptions = {
            var o = ReadOptions(stopBefore: .pixelData, bulkDataThreshold: 1024)
            o.keepOnly = [.sopClassUID, .sopInstanceUID, .patientID, .studyInstanceUID, .seriesInstanceUID]
            return o
        }()
        let found = parallelMap(files.count) { i -> Entry? in
            let path = store + "/" + files[i]
            guard let f = try? DICOMFile.read(path: path, options: options), let uid = f.sopInstanceUID,
                  wanted.contains(uid) || wanted.contains(f.dataSet.string(.studyInstanceUID) ?? "") || wanted.contains(f.dataSet.string(.seriesInstanceUID) ?? "")
            else { return nil }
            var st = stat()
            let size = stat(path, &st) == 0 ? Int64(st.st_size) : 0
            return Entry(path: path, sopInstanceUID: uid, sopClassUID: f.sopClassUID ?? "", transferSyntaxUID: f.meta.string(.transferSyntaxUID) ?? "",
                         patient: f.dataSet.string(.patientID) ?? "", study: f.dataSet.string(.studyInstanceUID) ?? "",
                         series: f.dataSet.string(.seriesInstanceUID) ?? "", bytes: size)
        }
        // The first file in walk order wins when a store holds an instance twice.
        for case let e? in found where byInstance[e.sopInstanceUID] == nil {
            byInstance[e.sopInstanceUID] = e
            if wanted.contains(e.study) { byGroup[e.study, default: []].append(e) }
            if wanted.contains(e.series) { byGroup[e.series, default: []].append(e) }
        }
    }
}
