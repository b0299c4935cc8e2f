import CLabel
import DICOM
import FileSet
import Foundation

/// The two label styles dicomfs draws, as Label Style Selection (2200,0003) names them (its
/// terms are the device's own).
public enum LabelStyle: String, Sendable, CaseIterable {
    case full = "FULL", compact = "COMPACT"
    /// A request's Label Style Selection: FULL or COMPACT; anything else the default.
    public init(selection: String?) {
        self = selection.flatMap { LabelStyle(rawValue: $0.trimmingCharacters(in: .whitespaces).uppercased()) } ?? .full
    }
}

/// The printable label of one volume (PDF, PNG at 300 dpi, SVG) on a 120 mm disc template:
/// patients (name, ID, birth date, sex) and studies, from the instances when the request
/// says so, the Label Text, the institution and the sending AE title, the number of studies
/// and images, the creation date, "DICOM ONLY" or "DICOM PLUS WEB" (IHE PDI), "Volume n of
/// N", the Barcode Value in its symbology, and a logo when the station has one.
///
/// Two styles (Label Style Selection, PS3.4 S.3.2.1.1, whose terms are the device's own):
/// FULL (the default) lists up to three studies per patient; COMPACT one larger line per
/// patient and none per study.
enum Labels {
    /// `header(patient)`: the header of one of the patient's instances, for what the profile's
    /// records leave out (STD-GEN-CD's PATIENT records carry no birth date or sex).
    static func write(base: String, dicomdir: DICOMDIR, request: MediaRequest, institution: String?, sender: String? = nil, web: Bool,
                      volume n: Int, of total: Int, fileSetID: String, logo: String? = nil,
                      header: (DirectoryRecord) -> DataSet? = { _ in nil }) throws -> [String] {
        let style = LabelStyle(selection: request.labelStyle)
        var lines: [String] = []
        if request.labelFromInstances {
            let patients = dicomdir.roots.filter { $0.type == .patient }
            for p in patients.prefix(3) {
                let name = p.keys.personName(.patientName)?.forPeople ?? ""
                var line = name.isEmpty ? "(no name)" : name
                if let id = p.keys.string(.patientID), !id.isEmpty { line += "  ID " + id }
                let file = p.keys.date(.patientBirthDate) == nil || p.keys.string(.patientSex) == nil ? header(p) : nil
                if let b = p.keys.date(.patientBirthDate) ?? file?.date(.patientBirthDate) { line += "  born " + b.iso }
                if let sex = p.keys.string(.patientSex) ?? file?.string(.patientSex), !sex.isEmpty { line += "  sex " + sex }
                lines.append(line)
                let studies = p.children.filter { $0.type == .study }
                guard style == .full else { continue }
                for s in studies.prefix(3) {
                    lines.append(([s.keys.date(.studyDate)?.iso, s.keys.string(.studyDescription)].compactMap { $0 }).joined(separator: "  "))
                }
                if studies.count > 3 { lines.append("+ \(studies.count - 3) more studies") }
            }
            if patients.count > 3 { lines.append("+ \(patients.count - 3) more patients") }
        }
        if let t = request.labelText, !t.isEmpty { lines.append(t) }
        let from = [institution, sender.map { "sent by \($0)" }].compactMap { $0 }.filter { !$0.isEmpty }
        if !from.isEmpty { lines.append(from.joined(separator: ", ")) }
        var studies = 0, images = 0
        dicomdir.forEachRecord { r in
            if r.type == .study { studies += 1 } else if r.reference != nil { images += 1 }
        }
        let counts = "\(studies) \(studies == 1 ? "study" : "studies"), \(images) \(images == 1 ? "instance" : "instances")"
        let date = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])
        let footer = [web ? "DICOM PLUS WEB" : "DICOM ONLY", counts, "Created \(date)", "Volume \(n) of \(total)", fileSetID]
            .filter { !$0.isEmpty }.joined(separator: "\n")
        var error = [CChar](repeating: 0, count: 256)
        let rc = dicomfs_label_write(base, lines.joined(separator: "\n"), footer, request.barcodeValue, request.barcodeSymbology, logo,
                                     style == .compact ? 1 : 0, &error)
        guard rc == 0 else {
            throw RequestError("label \(base): \(String(decoding: error.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        return ["pdf", "png", "svg"].map { (base.split(separator: "/").last.map(String.init) ?? base) + "." + $0 }
    }
}
