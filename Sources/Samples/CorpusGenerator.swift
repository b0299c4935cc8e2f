import DICOM
#if canImport(Glibc)
import Glibc
#endif

/// Writes folders of synthetic Part 10 files: patients → studies → series → instances, with
/// either File-ID-shaped paths (for in-place benchmarks) or messy real-world names (lower
/// case, spaces, extensions, deep folders), and per study an SR, a KO, a PR and a PDF.
public struct CorpusGenerator {
    public enum Naming: String, Sendable { case ids, messy }

    public var patients = 2
    public var studiesPerPatient = 1
    public var seriesPerStudy = 2
    public var imagesPerSeries = 3
    public var rows = 16
    public var columns = 16
    public var naming = Naming.messy
    /// SR, KO, PR and encapsulated PDF instances, one each per study.
    public var extras = true

    public init() {}

    /// Writes the corpus under `directory`; returns the relative paths written.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        var written: [String] = []
        let pixels = [UInt16](repeating: 1000, count: rows * columns)
        for p in 1...patients {
            let latin = p % 3 == 2
            let name = latin ? "Müller^Jürgen\(p)" : "Doe^Patient\(p)"
            var patient = SampleFactory.patient(name: name, id: "CORPUS\(p)", birth: "19600101", sex: p % 2 == 0 ? "F" : "M",
                                                charset: latin ? "ISO_IR 100" : nil)
            for s in 1...studiesPerPatient {
                let studyUID = SampleFactory.uid(9, p, s)
                SampleFactory.study(&patient, uid: studyUID, date: "2024\(pad2(1 + s % 12))01", time: "1000\(pad2(s % 60))",
                                    id: "ST\(s)", description: "STUDY \(s)", accession: "ACC\(p)X\(s)")
                var firstImage: (sopClass: String, uid: String)?
                for r in 1...seriesPerStudy {
                    var series = patient
                    let modality = r % 2 == 1 ? "CT" : "MR"
                    SampleFactory.series(&series, uid: SampleFactory.uid(9, p, s, r), modality: modality, number: r, description: "SERIES \(r)")
                    series.set(.imageType, .CS, ["ORIGINAL", "PRIMARY", "AXIAL"])
                    SampleFactory.plane(&series, z: 0, spacing: "1")
                    SampleFactory.image(&series, rows: rows, columns: columns, bits: 16, signed: false, photometric: "MONOCHROME2", pixels: pixels)
                    let sopClass = modality == "CT" ? "1.2.840.10008.5.1.4.1.1.2" : "1.2.840.10008.5.1.4.1.1.4"
                    for i in 1...imagesPerSeries {
                        var ds = series
                        ds.set(.instanceNumber, .IS, String(i))
                        let uid = SampleFactory.uid(9, p, s, r, i)
                        if firstImage == nil { firstImage = (sopClass, uid) }
                        let bytes = try SampleFactory.instanceFile(ds, sopClass: sopClass, sopInstance: uid)
                        written.append(try put(bytes, in: directory, path(p, s, r, i, name: name, modality: modality)))
                    }
                }
                if extras, let ref = firstImage {
                    let base = (p, s, seriesPerStudy + 1)
                    let docs: [(String, [UInt8])] = [
                        ("report", try sr(patient, series: SampleFactory.uid(9, p, s, 90), uid: SampleFactory.uid(9, p, s, 90, 1))),
                        ("keyimages", try ko(patient, series: SampleFactory.uid(9, p, s, 91), uid: SampleFactory.uid(9, p, s, 91, 1), ref: ref, studyUID: studyUID)),
                        ("pstate", try pr(patient, series: SampleFactory.uid(9, p, s, 92), uid: SampleFactory.uid(9, p, s, 92, 1), ref: ref,
                                          imageSeries: SampleFactory.uid(9, p, s, 1))),
                        ("document", try pdf(patient, series: SampleFactory.uid(9, p, s, 93), uid: SampleFactory.uid(9, p, s, 93, 1))),
                    ]
                    for (k, (label, bytes)) in docs.enumerated() {
                        let relative = naming == .ids
                            ? "PAT\(pad5(p))/STU\(pad5(s))/DOC\(pad5(k + 1))/DOC00001"
                            : "Patient \(base.0)/Study \(base.1)/other/\(label).\(["SR", "KO", "PR", "pdf"][k]).dcm"
                        written.append(try put(bytes, in: directory, relative))
                    }
                }
            }
        }
        return written
    }

    private func path(_ p: Int, _ s: Int, _ r: Int, _ i: Int, name: String, modality: String) -> String {
        switch naming {
        case .ids:
            return "PAT\(pad5(p))/STU\(pad5(s))/SER\(pad5(r))/IMG\(pad5(i))"
        case .messy:
            // Every few files sit deeper than eight levels, some have upper-case extensions.
            if i % 5 == 4 { return "archive/2024/x/y/z/w/v/u/t/\(modality.lowercased())-\(p)-\(s)-\(r)-\(i).DCM" }
            return "Patient \(p) (\(name.split(separator: "^").first ?? ""))/study \(s)/Series \(r) - \(modality)/img_\(i).dcm"
        }
    }

    private func put(_ bytes: [UInt8], in directory: String, _ relative: String) throws -> String {
        let full = directory + "/" + relative
        var current = ""
        for part in full.split(separator: "/").dropLast() {
            current += (full.hasPrefix("/") || !current.isEmpty ? "/" : "") + part
            mkdir(current, 0o755)
        }
        guard let f = fopen(full, "wb") else { throw DICOMError(.io, "cannot write \(full)") }
        defer { fclose(f) }
        _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        return relative
    }

    // MARK: Non-image instances

    private func document(_ patient: DataSet, series: String, modality: String, number: Int) -> DataSet {
        var ds = patient
        SampleFactory.series(&ds, uid: series, modality: modality, number: number, description: modality + " DOCUMENT")
        ds.set(.instanceNumber, .IS, "1")
        ds.set(.contentDate, .DA, "20240301")
        ds.set(.contentTime, .TM, "120000")
        return ds
    }

    private func sr(_ patient: DataSet, series: String, uid: String) throws -> [UInt8] {
        var ds = document(patient, series: series, modality: "SR", number: 90)
        ds.set(.valueType, .CS, "CONTAINER")
        ds.set(.continuityOfContent, .CS, "SEPARATE")
        ds.set(.completionFlag, .CS, "COMPLETE")
        ds.set(.verificationFlag, .CS, "UNVERIFIED")
        ds.set(.conceptNameCodeSequence, sequence: [SampleFactory.code("18748-4", "LN", "Diagnostic Imaging Report")])
        var language = DataSet()
        language.set(.relationshipType, .CS, "HAS CONCEPT MOD")
        language.set(.valueType, .CS, "CODE")
        language.set(.conceptNameCodeSequence, sequence: [SampleFactory.code("121049", "DCM", "Language of Content Item and Descendants")])
        language.set(.conceptCodeSequence, sequence: [SampleFactory.code("en", "RFC5646", "English")])
        var text = DataSet()
        text.set(.relationshipType, .CS, "CONTAINS")
        text.set(.valueType, .CS, "TEXT")
        text.set(.conceptNameCodeSequence, sequence: [SampleFactory.code("121071", "DCM", "Finding")])
        text.set(.textValue, .UT, "Unremarkable.")
        ds.set(.contentSequence, sequence: [language, text])
        return try SampleFactory.instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.88.11", sopInstance: uid)
    }

    private func ko(_ patient: DataSet, series: String, uid: String, ref: (sopClass: String, uid: String), studyUID: String) throws -> [UInt8] {
        var ds = document(patient, series: series, modality: "KO", number: 91)
        ds.set(.valueType, .CS, "CONTAINER")
        ds.set(.continuityOfContent, .CS, "SEPARATE")
        ds.set(.conceptNameCodeSequence, sequence: [SampleFactory.code("113000", "DCM", "Of Interest")])
        var sop = DataSet()
        sop.set(.referencedSOPClassUID, .UI, ref.sopClass)
        sop.set(.referencedSOPInstanceUID, .UI, ref.uid)
        var item = DataSet()
        item.set(.relationshipType, .CS, "CONTAINS")
        item.set(.valueType, .CS, "IMAGE")
        item.set(.referencedSOPSequence, sequence: [sop])
        ds.set(.contentSequence, sequence: [item])
        return try SampleFactory.instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.88.59", sopInstance: uid)
    }

    private func pr(_ patient: DataSet, series: String, uid: String, ref: (sopClass: String, uid: String), imageSeries: String) throws -> [UInt8] {
        var ds = document(patient, series: series, modality: "PR", number: 92)
        ds.set(.contentLabel, .CS, "KEY_VIEW")
        ds.set(.contentDescription, .LO, "Window for review")
        ds.set(.contentCreatorName, .PN, "Reader^One")
        ds.set(.presentationCreationDate, .DA, "20240301")
        ds.set(.presentationCreationTime, .TM, "121500")
        var image = DataSet()
        image.set(.referencedSOPClassUID, .UI, ref.sopClass)
        image.set(.referencedSOPInstanceUID, .UI, ref.uid)
        var seriesItem = DataSet()
        seriesItem.set(.referencedImageSequence, sequence: [image])
        seriesItem.set(.seriesInstanceUID, .UI, imageSeries)
        ds.set(.referencedSeriesSequence, sequence: [seriesItem])
        ds.set(.presentationLUTShape, .CS, "IDENTITY")
        return try SampleFactory.instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.11.1", sopInstance: uid)
    }

    private func pdf(_ patient: DataSet, series: String, uid: String) throws -> [UInt8] {
        var ds = document(patient, series: series, modality: "DOC", number: 93)
        ds.set(.documentTitle, .ST, "Referral letter")
        ds.set(.conceptNameCodeSequence, sequence: [])
        ds.set(.mimeTypeOfEncapsulatedDocument, .LO, "application/pdf")
        ds.set(.burnedInAnnotation, .CS, "YES")
        let body = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        ds.set(DataElement(.encapsulatedDocument, .OB, bytes: Array(body.utf8)))
        return try SampleFactory.instanceFile(ds, sopClass: "1.2.840.10008.5.1.4.1.1.104.1", sopInstance: uid)
    }
}

private func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
private func pad5(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 5 - s.count)) + s }
