import DICOM
import FileSet
import Foundation
import Samples
import TestSupport

/// A store of generated instances (CT-like, `rows` × `cols`), and their SOP Instance UIDs.
func makeStore(patients: Int = 2, studies: Int = 2, series: Int = 1, images: Int = 5, rows: Int = 64, cols: Int = 64) throws -> (store: String, dir: String, uids: [String]) {
    let dir = try External.tempDirectory().path
    var g = CorpusGenerator()
    g.patients = patients; g.studiesPerPatient = studies; g.seriesPerStudy = series; g.imagesPerSeries = images
    g.rows = rows; g.columns = cols; g.naming = .ids; g.extras = false
    let files = try g.write(to: dir + "/store")
    var uids: [String] = []
    for f in files.sorted() {
        let path = f.hasPrefix("/") ? f : dir + "/store/" + f
        if let uid = try? DICOMFile.read(path: path, options: .headerOnly).sopInstanceUID { uids.append(uid) }
    }
    return (dir + "/store", dir, uids)
}
