/// The XHTML pages: root INDEX.HTM (patients and studies, links into IHE_PDI/ and to the
/// viewer), and IHE_PDI/Pnnnnnnn.HTM, Snnnnnnn.HTM, Rnnnnnnn.HTM per patient, study and
/// series, the series pages showing the JPEG renderings.
enum Pages {
    static let css = """
    body { font-family: sans-serif; margin: 1.5em; color: #111; }
    h1 { font-size: 1.4em; } h2 { font-size: 1.2em; }
    table { border-collapse: collapse; } td, th { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; }
    .notice { margin-top: 2em; font-size: 0.9em; color: #a00; }
    .frame { display: inline-block; margin: 0.4em; text-align: center; font-size: 0.85em; }
    img { border: 1px solid #444; background: #000; }

    """

    static func write(_ model: ContentModel, fileSetID: String, viewer: Bool, into out: inout Output, renderedFrames: [String: Rendered],
                      reports: [String: Reports.Link]) throws {
        try out.write("IHE_PDI/STYLE.CSS", css)
        var body = "<h1>DICOM images\(fileSetID.isEmpty ? "" : " – " + HTML.escape(fileSetID))</h1>\n"
        body += "<p>This medium holds DICOM images and reports (in the DICOM folder, listed in the DICOMDIR file) and these web pages, which show reduced renderings of the images.</p>\n"
        if viewer { body += "<p><a href=\"VIEWER/INDEX.HTM\">Open the image viewer</a> (scrolling, zoom, window and level; runs in this browser, offline).</p>\n" }
        body += "<table>\n<tr><th>Patient</th><th>ID</th><th>Birth date</th><th>Sex</th><th>Study date</th><th>Study</th><th>Institution</th></tr>\n"
        for p in model.patients {
            for (k, s) in p.studies.enumerated() {
                let who = k == 0 ? "<a href=\"IHE_PDI/\(p.name).HTM\">\(HTML.escape(p.patientName.isEmpty ? "(no name)" : p.patientName))</a>" : ""
                body += "<tr><td>\(who)</td><td>\(k == 0 ? HTML.escape(p.id) : "")</td><td>\(k == 0 ? HTML.escape(p.birthDate) : "")</td><td>\(k == 0 ? HTML.escape(p.sex) : "")</td>"
                body += "<td>\(HTML.escape(s.date))</td><td><a href=\"IHE_PDI/\(s.name).HTM\">\(HTML.escape(s.description.isEmpty ? "(no description)" : s.description))</a></td>"
                body += "<td>\(HTML.escape(s.institution))</td></tr>\n"
            }
        }
        body += "</table>\n"
        try out.write("INDEX.HTM", HTML.page(title: "DICOM images", stylesheet: "IHE_PDI/STYLE.CSS", body: body))

        for p in model.patients {
            var b = "<p><a href=\"../INDEX.HTM\">All patients</a></p>\n<h1>\(HTML.escape(p.patientName))</h1>\n"
            b += "<p>Patient ID \(HTML.escape(p.id))\(p.birthDate.isEmpty ? "" : ", born " + HTML.escape(p.birthDate))\(p.sex.isEmpty ? "" : ", sex " + HTML.escape(p.sex))</p>\n"
            b += "<table>\n<tr><th>Date</th><th>Study</th><th>Accession</th><th>Series</th></tr>\n"
            for s in p.studies {
                b += "<tr><td>\(HTML.escape(s.date))</td><td><a href=\"\(s.name).HTM\">\(HTML.escape(s.description.isEmpty ? "(no description)" : s.description))</a></td>"
                b += "<td>\(HTML.escape(s.accession))</td><td>\(s.series.count)</td></tr>\n"
            }
            b += "</table>\n"
            try out.write("IHE_PDI/\(p.name).HTM", HTML.page(title: p.patientName, stylesheet: "STYLE.CSS", body: b))

            for s in p.studies {
                var sb = "<p><a href=\"\(p.name).HTM\">\(HTML.escape(p.patientName))</a></p>\n"
                sb += "<h1>\(HTML.escape(s.description.isEmpty ? "Study" : s.description))</h1>\n<p>\(HTML.escape(s.date))\(s.id.isEmpty ? "" : ", study ID " + HTML.escape(s.id))</p>\n"
                let facts = [("Accession", s.accession), ("Referring physician", s.referring), ("Institution", s.institution)].filter { !$0.1.isEmpty }
                if !facts.isEmpty { sb += "<p>" + facts.map { "\($0.0): \(HTML.escape($0.1))" }.joined(separator: "; ") + "</p>\n" }
                // Reports first: what the referring doctor looks for.
                let studyReports = s.series.flatMap { r in r.instances.compactMap { reports[r.name + "/" + $0.name] } }
                if !studyReports.isEmpty {
                    sb += "<h2>Reports</h2>\n<ul>\n"
                    for link in studyReports {
                        sb += "<li><a href=\"\(link.path.dropFirst(8))\">\(HTML.escape(link.title))</a>\(link.date.isEmpty ? "" : " (" + HTML.escape(link.date) + ")")\(link.kind == .pdf ? " – PDF" : "")</li>\n"
                    }
                    sb += "</ul>\n<h2>Series</h2>\n"
                }
                sb += "<table>\n<tr><th>Series</th><th>Modality</th><th>Description</th><th>Instances</th><th></th></tr>\n"
                for r in s.series {
                    let first = r.instances.lazy.compactMap { renderedFrames[r.name + "/" + $0.name]?.paths.first }.first
                    let thumb = first.map { "<img src=\"\($0.dropFirst(8))\" width=\"96\" alt=\"\" />" } ?? ""
                    sb += "<tr><td><a href=\"\(r.name).HTM\">\(HTML.escape(r.number))</a></td><td>\(HTML.escape(r.modality))</td>"
                    sb += "<td>\(HTML.escape(r.description))</td><td>\(r.instances.count)</td><td>\(thumb)</td></tr>\n"
                }
                sb += "</table>\n"
                try out.write("IHE_PDI/\(s.name).HTM", HTML.page(title: s.description, stylesheet: "STYLE.CSS", body: sb))

                for r in s.series {
                    var rb = "<p><a href=\"\(s.name).HTM\">\(HTML.escape(s.description.isEmpty ? "Study" : s.description))</a></p>\n"
                    rb += "<h1>Series \(HTML.escape(r.number)) \(HTML.escape(r.modality)) \(HTML.escape(r.description))</h1>\n"
                    for i in r.instances {
                        if let link = reports[r.name + "/" + i.name] {
                            rb += "<p class=\"frame\"><a href=\"\(link.path.dropFirst(8))\">\(HTML.escape(link.title))</a></p>\n"
                            continue
                        }
                        guard let rendered = renderedFrames[r.name + "/" + i.name] else {
                            rb += "<p class=\"frame\">Instance \(HTML.escape(i.number)): \(i.isImage ? "no rendering" : "not an image (open it in a DICOM viewer)")</p>\n"
                            continue
                        }
                        for (f, path) in rendered.paths.enumerated() {
                            let src = path.dropFirst(8)
                            let caption = "Instance \(HTML.escape(i.number))" + (rendered.total > 1 ? ", frame \(f + 1) of \(rendered.total)" : "")
                            rb += "<div class=\"frame\"><img src=\"\(src)\" alt=\"\(caption)\" /><br />\(caption)</div>\n"
                        }
                    }
                    try out.write("IHE_PDI/\(r.name).HTM", HTML.page(title: "Series \(r.number)", stylesheet: "STYLE.CSS", body: rb))
                }
            }
        }
    }
}

/// README.TXT: what is on the medium and how to open it. Plain ASCII, so it can serve as
/// the File-set descriptor without a character set.
enum Readme {
    /// The line that records how the pictures were made, read back by `recorded(in:)` so an
    /// update makes its renderings as the disc's first ones were made.
    static func picturesLine(_ o: WebContentWriter.Options) -> String {
        "Pictures: at most \(o.imageSize) pixels on the longer side, JPEG quality \(o.jpegQuality)"
            + (o.viewerValues ? ", viewer with modality values." : ".")
    }

    static func text(_ model: ContentModel, fileSetID: String, viewer: Bool, creator: String, options: WebContentWriter.Options = .init()) -> String {
        let studies = model.patients.reduce(0) { $0 + $1.studies.count }
        return """
        DICOM medium\(fileSetID.isEmpty ? "" : " " + fileSetID)
        \(String(repeating: "=", count: 13 + (fileSetID.isEmpty ? 0 : fileSetID.count + 1)))

        This medium holds medical images and reports in DICOM format (DICOM PS3.10
        file-set, application profile STD-GEN-CD or the one named in the DICOMDIR),
        with web pages that show them (IHE Portable Data for Imaging, "DICOM PLUS WEB").

        Contents: \(model.patients.count) patient(s), \(studies) study(ies), \(model.imageCount) image(s).

        DICOMDIR      the index of the DICOM files; point a DICOM viewer or an
                      importing PACS at it (or at this medium)
        DICOM/        the DICOM files (names without extensions, as DICOM requires)
        INDEX.HTM     open in a web browser to see the images
        IHE_PDI/      the web pages and JPEG renderings of the images
        \(viewer ? "VIEWER/       an image viewer that runs in the browser, offline\n" : "")
        The renderings are for reference and are not for diagnosis. Nothing on this
        medium starts by itself; open INDEX.HTM yourself.
        \(picturesLine(options))

        Created by \(creator).

        """.split(separator: "\n", omittingEmptySubsequences: false).map { $0.unicodeScalars.allSatisfy(\.isASCII) ? String($0) : String($0.unicodeScalars.map { $0.isASCII ? Character($0) : "?" }) }.joined(separator: "\r\n")
    }
}
