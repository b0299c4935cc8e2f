import DICOM
import FileSet
import Foundation

/// Reports as a referring doctor reads them, written under IHE_PDI/ beside the renderings:
/// every Structured Report (any SR IOD, Key Object Selection included) as an XHTML page —
/// title, patient and study, the content tree with its headings, text, codes (by meaning),
/// numbers with units, dates, names, and image references linked to their renderings, the
/// completion and verification flags and the verifying observer — and every Encapsulated
/// PDF or CDA document extracted to a file of its own and linked.
enum Reports {
    enum Kind: Sendable, Equatable {
        case structured, keyObjects, pdf, cda

        /// SR documents (1.2.840.10008.5.1.4.1.1.88.x, 88.59 Key Object Selection) and the
        /// encapsulated documents (104.1 PDF, 104.2 CDA).
        init?(sopClass: String) {
            switch sopClass {
            case "1.2.840.10008.5.1.4.1.1.88.59": self = .keyObjects
            case "1.2.840.10008.5.1.4.1.1.104.1": self = .pdf
            case "1.2.840.10008.5.1.4.1.1.104.2": self = .cda
            default:
                guard sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.88.") else { return nil }
                self = .structured
            }
        }
    }

    /// What the pages link to: the file written (its path on the medium) and its title.
    struct Link: Sendable {
        var path: String
        var title: String
        var date: String
        var kind: Kind
    }

    /// Writes every report of the model; the links by "Rnnnnnnn/Innnnnnn". A report that
    /// cannot be read is named in a warning and left out.
    static func write(_ model: ContentModel, into out: inout Output, renderedFrames: [String: Rendered]) -> (links: [String: Link], warnings: [String]) {
        // Images by SOP Instance UID, for the references inside reports.
        var images: [String: (series: String, rendering: String?)] = [:]
        for p in model.patients { for s in p.studies { for r in s.series { for i in r.instances {
            images[i.sopInstanceUID] = (r.name, renderedFrames[r.name + "/" + i.name]?.paths.first)
        } } } }
        var links: [String: Link] = [:], warnings: [String] = []
        for p in model.patients { for s in p.studies { for r in s.series { for i in r.instances {
            guard let kind = i.report else { continue }
            let key = r.name + "/" + i.name
            do {
                let file = try DICOMFile.read(path: i.source)
                let ds = file.dataSet
                let title = Self.title(ds, kind)
                let date = (ds.date(.contentDate)?.iso ?? ds.string(.contentDate)) ?? s.date
                switch kind {
                case .pdf, .cda:
                    guard let bytes = ds[.encapsulatedDocument]?.bytes, !bytes.isEmpty else {
                        warnings.append("\(i.fileID.path): an encapsulated document without its document"); continue
                    }
                    var document = bytes
                    if kind == .pdf { while document.count > 4 && document.last == 0 { document.removeLast() } }   // pad byte
                    let path = "IHE_PDI/\(r.name)/\(i.name).\(kind == .pdf ? "PDF" : "XML")"
                    try out.write(path, document)
                    links[key] = Link(path: path, title: title, date: date, kind: kind)
                case .structured, .keyObjects:
                    let path = "IHE_PDI/\(r.name)/\(i.name).HTM"
                    let html = page(ds, kind: kind, title: title, patient: p, study: s, images: images)
                    try out.write(path, html)
                    links[key] = Link(path: path, title: title, date: date, kind: kind)
                }
            } catch {
                warnings.append("\(i.fileID.path): report not written for the web pages (\(userText(error)))")
            }
        } } } }
        return (links, warnings)
    }

    static func title(_ ds: DataSet, _ kind: Kind) -> String {
        if let t = ds.string(.documentTitle), !t.isEmpty { return t }
        if let m = ds.sequence(.conceptNameCodeSequence)?.first?.string(.codeMeaning), !m.isEmpty { return m }
        switch kind {
        case .keyObjects: return "Key images"
        case .pdf: return "Report (PDF)"
        case .cda: return "Report (CDA)"
        case .structured: return "Report"
        }
    }

    /// The XHTML page of one SR document (pages sit in IHE_PDI/Rnnnnnnn/).
    static func page(_ ds: DataSet, kind: Kind, title: String, patient: ContentModel.Patient, study: ContentModel.Study,
                     images: [String: (series: String, rendering: String?)]) -> String {
        var b = "<p><a href=\"../\(study.name).HTM\">\(HTML.escape(study.description.isEmpty ? "Study" : study.description))</a></p>\n"
        b += "<h1>\(HTML.escape(title))</h1>\n<table>\n"
        func row(_ label: String, _ value: String) { if !value.isEmpty { b += "<tr><th>\(label)</th><td>\(HTML.escape(value))</td></tr>\n" } }
        row("Patient", patient.patientName)
        row("Patient ID", patient.id)
        row("Birth date", patient.birthDate)
        row("Sex", patient.sex)
        row("Study", [study.date, study.description].filter { !$0.isEmpty }.joined(separator: " "))
        row("Accession", study.accession)
        row("Report date", [ds.date(.contentDate)?.iso ?? "", ds.string(.contentTime).map(timeText) ?? ""].filter { !$0.isEmpty }.joined(separator: " "))
        row("Institution", ds.string(.institutionName) ?? "")
        row("Completion", ds.string(.completionFlag) ?? "")
        row("Verification", ds.string(.verificationFlag) ?? "")
        for v in ds.sequence(.verifyingObserverSequence) ?? [] {
            let who = v.personName(.verifyingObserverName)?.forPeople ?? ""
            let when = v.string(.verificationDateTime).map(dateTimeText) ?? ""
            row("Verified by", [who, when].filter { !$0.isEmpty }.joined(separator: ", "))
        }
        b += "</table>\n"
        b += content(ds.sequence(.contentSequence) ?? [], depth: 2, images: images)
        if kind == .keyObjects {
            // The images a Key Object Selection points at: its IMAGE items, then whatever else
            // Current Requested Procedure Evidence lists (a KO written without the one or the
            // other still shows its images).
            var refs: [String] = []
            func note(_ uid: String?) { if let uid, !refs.contains(uid) { refs.append(uid) } }
            func walk(_ items: [DataSet]) {
                for i in items {
                    for r in i.sequence(.referencedSOPSequence) ?? [] { note(r.string(.referencedSOPInstanceUID)) }
                    walk(i.sequence(.contentSequence) ?? [])
                }
            }
            walk(ds.sequence(.contentSequence) ?? [])
            for st in ds.sequence(.currentRequestedProcedureEvidenceSequence) ?? [] {
                for se in st.sequence(.referencedSeriesSequence) ?? [] {
                    for r in se.sequence(.referencedSOPSequence) ?? [] { note(r.string(.referencedSOPInstanceUID)) }
                }
            }
            if !refs.isEmpty {
                b += "<h2>Key images</h2>\n"
                for uid in refs { b += imageLink(uid, images: images, inline: true) }
            }
        }
        return HTML.page(title: title, stylesheet: "../STYLE.CSS", body: b)
    }

    /// The content tree: CONTAINERs as headings, other items as "Concept: value" lines.
    static func content(_ items: [DataSet], depth: Int, images: [String: (series: String, rendering: String?)]) -> String {
        var b = ""
        var list = ""
        func flush() { if !list.isEmpty { b += "<ul>\n" + list + "</ul>\n"; list = "" } }
        for item in items {
            let type = item.string(.valueType) ?? ""
            let concept = item.sequence(.conceptNameCodeSequence)?.first?.string(.codeMeaning) ?? ""
            if type == "CONTAINER" {
                flush()
                let h = min(6, depth)
                if !concept.isEmpty { b += "<h\(h)>\(HTML.escape(concept))</h\(h)>\n" }
                b += content(item.sequence(.contentSequence) ?? [], depth: depth + 1, images: images)
                continue
            }
            var value: String
            switch type {
            case "TEXT": value = HTML.escape(item.string(.textValue) ?? "")
            case "CODE": value = HTML.escape(item.sequence(.conceptCodeSequence)?.first?.string(.codeMeaning) ?? "")
            case "NUM":
                let m = item.sequence(.measuredValueSequence)?.first
                let number = m?.string(.numericValue) ?? ""
                let unit = m?.sequence(.measurementUnitsCodeSequence)?.first
                // UCUM codes are the units' symbols ("mm", "cm2"); otherwise the meaning.
                let symbol = unit.map { u in u.string(.codingSchemeDesignator) == "UCUM" ? (u.string(.codeValue) ?? "") : (u.string(.codeMeaning) ?? "") } ?? ""
                value = HTML.escape(number + (symbol.isEmpty || symbol == "1" ? "" : " " + symbol))
            case "DATE": value = HTML.escape(item.date(.date)?.iso ?? item.string(.date) ?? "")
            case "TIME": value = HTML.escape(item.string(.time).map(timeText) ?? "")
            case "DATETIME": value = HTML.escape(item.string(.dateTime).map(dateTimeText) ?? "")
            case "PNAME": value = HTML.escape(item.personName(.personName)?.forPeople ?? "")
            case "UIDREF": value = HTML.escape(item.string(.uid) ?? "")
            case "IMAGE", "COMPOSITE", "WAVEFORM":
                value = (item.sequence(.referencedSOPSequence) ?? []).compactMap { $0.string(.referencedSOPInstanceUID) }
                    .map { imageLink($0, images: images, inline: false) }.joined(separator: " ")
            default: value = ""
            }
            let nested = item.sequence(.contentSequence).map { content($0, depth: depth + 1, images: images) } ?? ""
            guard !value.isEmpty || !concept.isEmpty || !nested.isEmpty else { continue }
            list += "<li>" + (concept.isEmpty ? "" : "<strong>\(HTML.escape(concept))</strong>" + (value.isEmpty ? "" : ": ")) + value + nested + "</li>\n"
        }
        flush()
        return b
    }

    /// A link to an image's rendering (pages in IHE_PDI/Rnnnnnnn/), or its UID when it is not on the medium.
    static func imageLink(_ uid: String, images: [String: (series: String, rendering: String?)], inline: Bool) -> String {
        guard let hit = images[uid] else { return "<span>(image \(HTML.escape(uid)), not on this medium)</span>" }
        guard let rendering = hit.rendering else { return "<a href=\"../\(hit.series).HTM\">image</a>" }
        let src = "../../" + rendering
        return inline ? "<div class=\"frame\"><a href=\"\(src)\"><img src=\"\(src)\" width=\"256\" alt=\"key image\" /></a></div>\n"
            : "<a href=\"\(src)\">image</a>"
    }

    static func timeText(_ t: String) -> String {
        let d = t.prefix { $0.isNumber }
        guard d.count >= 4 else { return t }
        let c = Array(d)
        return "\(c[0])\(c[1]):\(c[2])\(c[3])" + (c.count >= 6 ? ":\(c[4])\(c[5])" : "")
    }

    static func dateTimeText(_ dt: String) -> String {
        let d = dt.prefix { $0.isNumber }
        guard d.count >= 8 else { return dt }
        let c = Array(d)
        let date = "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))"
        return d.count > 8 ? date + " " + timeText(String(c[8...])) : date
    }
}
