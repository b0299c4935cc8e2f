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
    }
    struct Series {
        var name: String          // R0000001
        var modality: String, number: String, description: String
        var instances: [Instance]
    }
    struct Study {
        var name: String          // S0000001
        var date: String, time: String, description: String, id: String, accession: String
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
        for patient in dir.roots where patient.type == .patient {
            p += 1
            let pn = patient.keys.personName(.patientName)
            let display = [pn?.alphabetic.replacingOccurrences(of: "^", with: " "), pn?.ideographic.replacingOccurrences(of: "^", with: " ")]
                .compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " / ")
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
                                                  name: "I" + pad(instances.count + 1)))
                    }
                    series.append(Series(name: "R" + pad(r), modality: text(se.keys, .modality), number: text(se.keys, .seriesNumber),
                                         description: text(se.keys, .seriesDescription), instances: instances))
                }
                studies.append(Study(name: "S" + pad(s), date: date(study.keys, .studyDate), time: text(study.keys, .studyTime),
                                     description: text(study.keys, .studyDescription), id: text(study.keys, .studyID),
                                     accession: text(study.keys, .accessionNumber), series: series))
            }
            patients.append(Patient(name: "P" + pad(p), patientName: display, id: text(patient.keys, .patientID),
                                    birthDate: date(patient.keys, .patientBirthDate), sex: text(patient.keys, .patientSex), studies: studies))
        }
    }
}

func pad(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: max(0, 7 - s.count)) + s
}
