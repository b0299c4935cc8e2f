import DICOM
import FileSet
import Foundation

/// The file-set as the pages show it: patients, studies, series and their instances, each
/// with the 8.3 names its pages and images get. Built from the DICOMDIR's records, in
/// record order, so names are deterministic.
struct ContentModel {
    struct Instance: Sendable {
        var number: String
        var fileID: FileID
        var source: String
        var isImage: Bool
        var name: String          // I0000001
        var sopInstanceUID: String
        /// SR, Key Object Selection, encapsulated PDF or CDA: a report to show first.
        var report: Reports.Kind?
    }
    struct Series {
        var name: String          // R0000001
        var modality: String, number: String, description: String
        var instances: [Instance]
    }
    struct Study {
        var name: String          // S0000001
        var date: String, time: String, description: String, id: String, accession: String
        /// Referring Physician's Name (for people) and Institution Name, from the instances.
        var referring = "", institution = ""
        var series: [Series]
    }
    struct Patient {
        var name: String          // P0000001
        var patientName: String, id: String, birthDate: String, sex: String
        var studies: [Study]
    }

    var patients: [Patient] = []
    var imageCount: Int { patients.reduce(0) { $0 + $1.studies.reduce(0) { $0 + $1.series.reduce(0) { $0 + $1.instances.filter(\.isImage).count } } } }

    init(_ dir: DICOMDIR, locate: (FileID) -> String?) {
        var p = 0, s = 0, r = 0
        func text(_ ds: DataSet, _ tag: Tag) -> String { ds.string(tag)?.trimmingCharacters(in: .whitespaces) ?? "" }
        func date(_ ds: DataSet, _ tag: Tag) -> String { ds.date(tag)?.iso ?? text(ds, tag) }
        /// The header of a record's first referenced file: what a profile's records leave out
        /// (STD-GEN-CD carries no birth date, sex or series description) is read from there.
        func firstHeader(_ record: DirectoryRecord) -> DataSet? {
            for leaf in record.preorder() {
                guard let ref = leaf.reference, let path = locate(ref.fileID) else { continue }
                return try? DICOMFile.read(path: path, options: .headerOnly).dataSet
            }
            return nil
        }
        /// The record's value, else the file's.
        func value(_ keys: DataSet, _ header: () -> DataSet?, _ tag: Tag, asDate: Bool = false) -> String {
            let v = asDate ? date(keys, tag) : text(keys, tag)
            if !v.isEmpty { return v }
            guard let h = header() else { return "" }
            return asDate ? date(h, tag) : text(h, tag)
        }
        for patient in dir.roots where patient.type == .patient {
            p += 1
            var header: DataSet??
            let patientHeader = { () -> DataSet? in
                if header == nil { header = .some(firstHeader(patient)) }
                return header ?? nil
            }
            let display = patient.keys.personName(.patientName)?.forPeople ?? ""
            var studies: [Study] = []
            for study in patient.children where study.type == .study {
                s += 1
                var series: [Series] = []
                for se in study.children where se.type == .series {
                    r += 1
                    var instances: [Instance] = []
                    for leaf in se.children {
                        guard let ref = leaf.reference, let source = locate(ref.fileID) else { continue }
                        instances.append(Instance(number: text(leaf.keys, .instanceNumber), fileID: ref.fileID, source: source,
                                                  isImage: leaf.type == .image,
                                                  name: "I" + pad(instances.count + 1), sopInstanceUID: ref.sopInstanceUID,
                                                  report: Reports.Kind(sopClass: ref.sopClassUID)))
                    }
                    let seriesHeader = { firstHeader(se) }
                    series.append(Series(name: "R" + pad(r), modality: text(se.keys, .modality), number: text(se.keys, .seriesNumber),
                                         description: value(se.keys, seriesHeader, .seriesDescription), instances: instances))
                }
                // (read once a study: referring physician and institution are in no record)
                let header = firstHeader(study)
                var st = Study(name: "S" + pad(s), date: date(study.keys, .studyDate), time: text(study.keys, .studyTime),
                               description: value(study.keys, { header }, .studyDescription), id: text(study.keys, .studyID),
                               accession: value(study.keys, { header }, .accessionNumber), series: series)
                st.referring = header?.personName(.referringPhysicianName)?.forPeople ?? ""
                st.institution = header.map { text($0, .institutionName) } ?? ""
                studies.append(st)
            }
            patients.append(Patient(name: "P" + pad(p), patientName: display, id: text(patient.keys, .patientID),
                                    birthDate: value(patient.keys, patientHeader, .patientBirthDate, asDate: true),
                                    sex: value(patient.keys, patientHeader, .patientSex), studies: studies))
        }
    }
}

func pad(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 7 - s.count)) + s
}
