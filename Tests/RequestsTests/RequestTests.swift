import DICOM
import FileSet
import Foundation
import Media
@testable import Requests
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct RequestTests {
    func request(_ uids: [String]) -> MediaRequest {
        var r = MediaRequest()
        r.references = uids.map { MediaRequest.Reference(sopInstanceUID: $0) }
        return r
    }

    @Test func statusTransitionsAndRefusals() throws {
        let s = try makeStore()
        let job = s.dir + "/job"
        var r = request(s.uids)
        r.fileSetID = "REQUEST_1"
        r.fileSetUID = "1.2.826.0.1.3680043.10.9999.1"
        try Job.create(r, store: s.store, job: job)
        #expect(try Job.status(job).status == .IDLE)
        let done = try Job.run(job)
        #expect(done.status == .DONE && done.info == .NORMAL && done.piecesCreated == 1)
        #expect(done.volumes.count == 1 && done.volumes[0].fileSetID == "REQUEST_1" && done.volumes[0].fileSetUID == "1.2.826.0.1.3680043.10.9999.1")
        let report = try ISOVerifier.verify(job + "/" + done.volumes[0].image)
        #expect(report.errors == 0 && report.referencedFiles == s.uids.count)
        // A510: initiated twice. C201: cancel after the end.
        do { _ = try Job.run(job); Issue.record("ran twice") } catch let e as RequestError { #expect(e.code == "A510") }
        do { _ = try Job.cancel(job); Issue.record("canceled a finished job") } catch let e as RequestError { #expect(e.code == "C201") }

        // Cancel while IDLE: FAILURE, CANCELED; then it cannot be run.
        let job2 = s.dir + "/job2"
        try Job.create(r, store: s.store, job: job2)
        let canceled = try Job.cancel(job2)
        #expect(canceled.status == .FAILURE && canceled.info == .CANCELED)
        do { _ = try Job.run(job2); Issue.record("ran a canceled job") } catch let e as RequestError { #expect(e.code == "A510") }

        // C202 while creating (a live runner); a dead runner is settled as INTERRUPTED.
        let job3 = s.dir + "/job3"
        try Job.create(r, store: s.store, job: job3)
        var creating = try JobState.read(job3)
        creating.status = .CREATING; creating.info = .BUILDING; creating.pid = getpid()
        try creating.write(job3)
        do { _ = try Job.cancel(job3); Issue.record("canceled a job in progress") } catch let e as RequestError { #expect(e.code == "C202") }
        creating.pid = 999_999
        try creating.write(job3)
        let settled = try Job.status(job3)
        #expect(settled.status == .FAILURE && settled.info == .INTERRUPTED)
        // Invalid syntax is refused at create, and nothing is written.
        var bad = request(["1.2.x"])
        bad.invalidValues = ["Request Priority \"URGENT\": HIGH, MED or LOW"]
        #expect(throws: RequestError.self) { try Job.create(bad, store: s.store, job: s.dir + "/bad") }
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/bad"))
    }

    @Test func failuresNameTheInstances() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 3)
        // No such instance: 0112H, NO_INSTANCE.
        let job = s.dir + "/missing"
        try Job.create(request(s.uids + ["1.2.3.4.5.6.7"]), store: s.store, job: job)
        let state = try Job.run(job)
        #expect(state.status == .FAILURE && state.info == .NO_INSTANCE)
        #expect(state.failed.map(\.sopInstanceUID) == ["1.2.3.4.5.6.7"] && state.failed[0].failureReason == 0x0112)
        // Class mismatch: 0119H.
        var wrongClass = request([s.uids[0]])
        wrongClass.references[0].sopClassUID = "1.2.840.10008.5.1.4.1.1.4"
        try Job.create(wrongClass, store: s.store, job: s.dir + "/class")
        let c = try Job.run(s.dir + "/class")
        #expect(c.status == .FAILURE && c.failed.first?.failureReason == 0x0119)
        // A profile the instance cannot meet (Implicit VR is not STD-GEN-CD's): 0122H, never transcoded.
        var ds = try DICOMFile.read(path: try FileManager.default.subpathsOfDirectory(atPath: s.store).map { s.store + "/" + $0 }
            .first { (try? DICOMFile.read(path: $0, options: .headerOnly)) != nil } ?? "").dataSet
        let uid = UIDGenerator.make()
        ds.set(.sopInstanceUID, .UI, uid)
        let implicit = try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid, transferSyntax: .implicitVRLittleEndian)
        try Data(implicit).write(to: URL(fileURLWithPath: s.store + "/IMPLICIT"))
        var conflict = request([uid])
        conflict.references[0].profile = "STD-GEN-CD"
        try Job.create(conflict, store: s.store, job: s.dir + "/profile")
        let p = try Job.run(s.dir + "/profile")
        #expect(p.status == .FAILURE && p.info == .INST_AP_CONFLICT && p.failed.first?.failureReason == 0x0122)
    }

    @Test func splittingOverVolumes() throws {
        // 2 patients × 2 studies × 5 images of 128 × 128 × 16 bits (about 33 KB each).
        let s = try makeStore(images: 5, rows: 128, cols: 128)
        let capacity: Int64 = (1 << 20) + 250_000     // 1 MB fixed overhead + room for about 6 instances
        var options = Job.RunOptions()
        options.capacity = capacity
        var r = request(s.uids)
        r.fileSetID = "SPLIT_REQUEST_ID"
        r.fileSetUID = "1.2.826.0.1.3680043.10.9999.2"
        r.includeNonDICOM = "FOR_PATIENT"
        try Job.create(r, store: s.store, job: s.dir + "/split")
        let state = try Job.run(s.dir + "/split", options: options)
        #expect(state.status == .DONE, "\(state)")
        #expect(state.volumes.count >= 3)
        // Every volume verifies; together they hold every instance exactly once.
        var all: [String] = []
        for v in state.volumes {
            let image = s.dir + "/split/" + v.image
            #expect(try ISOVerifier.verify(image).errors == 0)
            let storage = try ISOStorage(try ISOImage.open(image))
            let dir = try DICOMDIRReader.read(storage: storage).dicomdir
            all += dir.allRecords.compactMap { $0.reference?.sopInstanceUID }
            #expect(dir.fileSetID == v.fileSetID && v.fileSetID.count <= 16 && v.fileSetID.hasSuffix("_\(v.number)"))
            #expect(storage.fileExists("INDEX.HTM"))   // each volume has its own web content
        }
        #expect(all.sorted() == s.uids.sorted())
        #expect(Set(state.volumes.map(\.fileSetUID)).count == state.volumes.count)
        // Splitting not allowed: SET_OVERSIZED. One instance larger than a volume: INST_OVERSIZED.
        r.allowSplitting = false
        try Job.create(r, store: s.store, job: s.dir + "/nosplit")
        #expect(try Job.run(s.dir + "/nosplit", options: options).info == .SET_OVERSIZED)
        options.capacity = (1 << 20) + 10_000
        try Job.create(request(s.uids), store: s.store, job: s.dir + "/tiny")
        let tiny = try Job.run(s.dir + "/tiny", options: options)
        #expect(tiny.info == .INST_OVERSIZED && (tiny.detail ?? "").contains(s.uids[0]) || (tiny.detail ?? "").contains("instance"))
    }

    /// `--transcode` in a job: a set too large for one volume is first compressed losslessly
    /// where the profile allows it (one volume, not two, and a note with the sizes); with the
    /// request's Allow Lossy Compression YES the images go lossy, each a new instance.
    @Test func transcodingJobsFitTheMediumAndHonourAllowLossy() throws {
        let s = try makeStore(patients: 1, studies: 2, images: 10, rows: 128, cols: 128)
        var r = request(s.uids)
        r.references = r.references.map { var ref = $0; ref.profile = "STD-GEN-DVD-J2K"; return ref }
        var options = Job.RunOptions()
        options.capacity = (1 << 20) + 450_000     // the 20 native instances need about 740 KB
        try Job.create(r, store: s.store, job: s.dir + "/plain")
        let plain = try Job.run(s.dir + "/plain", options: options)
        #expect(plain.status == .DONE && plain.volumes.count >= 2 && plain.notes == nil, "\(plain)")
        options.transcode = true
        try Job.create(r, store: s.store, job: s.dir + "/fit")
        let fit = try Job.run(s.dir + "/fit", options: options)
        #expect(fit.status == .DONE && fit.volumes.count == 1, "\(fit)")
        #expect(fit.notes?.first?.contains("20 images compressed losslessly in JPEG 2000") == true, "\(fit.notes ?? [])")
        let image = s.dir + "/fit/" + (fit.volumes.first?.image ?? "")
        #expect(try ISOVerifier.verify(image).errors == 0)
        let fitted = try DICOMDIRReader.read(storage: try ISOStorage(try ISOImage.open(image))).dicomdir
        #expect(fitted.allRecords.compactMap { $0.reference?.sopInstanceUID }.sorted() == s.uids.sorted())
        #expect(!FileManager.default.fileExists(atPath: s.dir + "/fit/.fit-1"), "the compressed copies are removed")

        r.allowLossy = true
        try Job.create(r, store: s.store, job: s.dir + "/lossy")
        let lossy = try Job.run(s.dir + "/lossy", options: options)
        #expect(lossy.status == .DONE && lossy.volumes.count == 1, "\(lossy)")
        let lossyImage = s.dir + "/lossy/" + (lossy.volumes.first?.image ?? "")
        #expect(try ISOVerifier.verify(lossyImage).errors == 0)
        let storage = try ISOStorage(try ISOImage.open(lossyImage))
        let dir = try DICOMDIRReader.read(storage: storage).dicomdir
        let uids = dir.allRecords.compactMap { $0.reference?.sopInstanceUID }
        #expect(uids.count == s.uids.count && Set(uids).isDisjoint(with: s.uids), "lossy copies are new instances")
        #expect(dir.allRecords.compactMap { $0.reference?.transferSyntaxUID }.allSatisfy { $0 == "1.2.840.10008.1.2.4.91" })
    }

    /// What a disc station is asked in practice: a study or series UID instead of every
    /// instance's; a job that failed run again (`Job.retry`); copies without a drive said
    /// plainly; a job's own REQUEST.json dropped into a hot folder.
    @Test func studyUIDsRetryCopiesAndHotFolder() throws {
        let s = try makeStore(patients: 1, studies: 2, images: 3)
        var studies: [String: [String]] = [:], series: [String: [String]] = [:]
        for f in try FileManager.default.subpathsOfDirectory(atPath: s.store) {
            guard let h = try? DICOMFile.read(path: s.store + "/" + f, options: .headerOnly), let uid = h.sopInstanceUID else { continue }
            studies[h.dataSet.string(.studyInstanceUID) ?? "", default: []].append(uid)
            series[h.dataSet.string(.seriesInstanceUID) ?? "", default: []].append(uid)
        }
        let (study, inStudy) = try #require(studies.first)
        let otherSeries = try #require(series.first { !inStudy.contains($0.value[0]) })
        var r = request([study, otherSeries.key])
        r.copies = 3
        try Job.create(r, store: s.store, job: s.dir + "/groups")
        let done = try Job.run(s.dir + "/groups")
        #expect(done.status == .DONE && done.volumes.first.map { Set($0.instances) } == Set(inStudy + otherSeries.value), "\(done)")
        #expect(done.notes?.contains { $0.contains("3 copies asked and no drive given") } == true, "\(done.notes ?? [])")
        // Retry: refused for a job that is DONE; a canceled one runs from the start.
        #expect(throws: RequestError.self) { try Job.retry(s.dir + "/groups") }
        try Job.create(request(s.uids), store: s.store, job: s.dir + "/canceled")
        _ = try Job.cancel(s.dir + "/canceled")
        let again = try Job.retry(s.dir + "/canceled")
        #expect(again.status == .DONE && again.volumes.count == 1 && again.volumes[0].instances.count == s.uids.count, "\(again)")
        // A job's REQUEST.json is a request too.
        let inbox = s.dir + "/inbox"
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: s.dir + "/groups/REQUEST.json", toPath: inbox + "/REPEAT.json")
        var hot = HotFolder(inbox: inbox, store: s.store, out: s.dir + "/hot")
        hot.runOptions = Job.RunOptions()
        #expect(try hot.processOnce() == ["REPEAT.json"])
        let repeated = try Job.status(s.dir + "/hot/REPEAT")
        #expect(repeated.status == .DONE && repeated.volumes.first?.instances.count == inStudy.count + otherSeries.value.count, "\(repeated)")
    }

    /// A volume of 5 MB with the web content and the viewer: planned with their size counted,
    /// every volume's image fits and verifies (they were planned without it before, and the
    /// first volume needed 6.6 MB).
    @Test func volumesWithTheViewerFitTheirCapacity() throws {
        let s = try makeStore(patients: 2, studies: 2, images: 10, rows: 256, cols: 256)
        var r = request(s.uids)
        r.includeNonDICOM = "FOR_PATIENT"
        r.includeDisplayApplication = true
        var options = Job.RunOptions()
        options.capacity = 5_000_000
        try Job.create(r, store: s.store, job: s.dir + "/five")
        let state = try Job.run(s.dir + "/five", options: options)
        #expect(state.status == .DONE && state.volumes.count >= 2, "\(state)")
        for v in state.volumes {
            var st = stat()
            #expect(stat(s.dir + "/five/" + v.image, &st) == 0 && st.st_size <= 5_000_000, "\(v.image): \(st.st_size) bytes")
            #expect(try ISOVerifier.verify(s.dir + "/five/" + v.image).errors == 0)
            #expect(try ISOStorage(try ISOImage.open(s.dir + "/five/" + v.image)).fileExists("VIEWER/INDEX.HTM"))
        }
        #expect(state.volumes.flatMap(\.instances).sorted() == s.uids.sorted())
    }

    @Test func copiesCarryTheSameFileSetUID() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 3)
        var r = request(s.uids)
        r.copies = 2
        try Job.create(r, store: s.store, job: s.dir + "/copies")
        var options = Job.RunOptions()
        options.drives = ["stdio:" + s.dir + "/disc-a.iso", "stdio:" + s.dir + "/disc-b.iso"]
        let state = try Job.run(s.dir + "/copies", options: options)
        #expect(state.status == .DONE && state.piecesCreated == 2 && state.volumes[0].burned == 2, "\(state)")
        let uids = try ["a", "b"].map { try DICOMDIRReader.read(storage: try ISOStorage(try ISOImage.open(s.dir + "/disc-\($0).iso"))).dicomdir.fileSetUID }
        #expect(uids[0] == uids[1] && uids[0] == state.volumes[0].fileSetUID)
    }

    @Test(.enabled(if: External.hasPydicom, "needs pydicom")) func requestWrittenByPydicomRunsEndToEnd() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 2)
        let r = try External.python("""
        import sys
        from pydicom.dataset import Dataset, FileMetaDataset
        from pydicom.uid import ExplicitVRLittleEndian, generate_uid
        out, uids = sys.argv[1], sys.argv[2:]
        ds = Dataset()
        ds.SOPClassUID = '1.2.840.10008.5.1.1.33'
        ds.SOPInstanceUID = generate_uid()
        ds.StorageMediaFileSetID = 'FROM_PYDICOM'
        ds.LabelText = 'Referral'
        ds.AllowMediaSplitting = 'YES'
        ds.IncludeNonDICOMObjects = 'NO'
        ds.IncludeDisplayApplication = 'NO'
        ds.NumberOfCopies = 1
        ds.RequestPriority = 'HIGH'
        items = []
        for u in uids:
            it = Dataset()
            it.ReferencedSOPClassUID = '1.2.840.10008.5.1.4.1.1.2'
            it.ReferencedSOPInstanceUID = u
            it.RequestedMediaApplicationProfile = 'STD-GEN-CD'
            items.append(it)
        ds.ReferencedSOPSequence = items
        ds.file_meta = FileMetaDataset()
        ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
        ds.save_as(out, enforce_file_format=True)
        """, [s.dir + "/request.dcm"] + s.uids)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let request = try MediaRequest.read(path: s.dir + "/request.dcm")
        #expect(request.fileSetID == "FROM_PYDICOM" && request.priority == .HIGH && request.references.count == 2)
        try Job.create(request, store: s.store, job: s.dir + "/py")
        let state = try Job.run(s.dir + "/py")
        #expect(state.status == .DONE, "\(state)")
        #expect(state.volumes.first?.fileSetID == "FROM_PYDICOM")
    }

    @Test func jsonRequest() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 2)
        let items = s.uids.map { "{\"00081155\": {\"vr\": \"UI\", \"Value\": [\"\($0)\"]}}" }.joined(separator: ",")
        let json = "{\"00880130\": {\"vr\": \"SH\", \"Value\": [\"JSONREQ\"]}, \"22000020\": {\"vr\": \"CS\", \"Value\": [\"LOW\"]}, \"20000010\": {\"vr\": \"IS\", \"Value\": [1]}, \"00081199\": {\"vr\": \"SQ\", \"Value\": [\(items)]}}"
        try Data(json.utf8).write(to: URL(fileURLWithPath: s.dir + "/r.json"))
        let request = try MediaRequest.read(path: s.dir + "/r.json")
        #expect(request.fileSetID == "JSONREQ" && request.priority == .LOW && request.references.count == 2)
    }
}

@Suite(.tags(.interop)) struct LabelTests {
    /// The label of a volume: text checked through pdftotext (names in Latin-1 and Japanese
    /// written for people, birth date and sex read from the instances,
    /// content type, volume, barcode text), the PDF rasterized by pdftoppm, and the PNG kept
    /// as a test artefact (.build/test-artefacts/labels/).
    @Test(.enabled(if: External.has("pdftotext", "pdftoppm", "pdfimages"), "needs pdftotext, pdftoppm and pdfimages")) func labelCarriesTheRequestedInformation() throws {
        let dir = try External.tempDirectory().path
        try FileManager.default.createDirectory(atPath: dir + "/store", withIntermediateDirectories: true)
        var uids: [String] = []
        for s in try SampleFactory.all() {
            try Data(s.bytes).write(to: URL(fileURLWithPath: dir + "/store/" + s.fileName))
            uids.append(try DICOMFile.read(bytes: s.bytes).sopInstanceUID ?? "")
        }
        var r = MediaRequest()
        r.references = uids.map { MediaRequest.Reference(sopInstanceUID: $0) }
        r.fileSetID = "LABELS"
        r.labelFromInstances = true
        r.labelText = "For Dr. Müller"
        r.barcodeValue = "ACC-2024-0001"
        r.barcodeSymbology = "CODE128"
        r.includeNonDICOM = "FOR_PATIENT"
        try Job.create(r, store: dir + "/store", job: dir + "/job")
        let state = try Job.run(dir + "/job")
        #expect(state.status == .DONE, "\(state)")
        #expect(state.volumes.first?.labels == ["VOL001.pdf", "VOL001.png", "VOL001.svg"])
        let text = String(decoding: try External.run("pdftotext", [dir + "/job/VOL001.pdf", "-"]).stdout, as: UTF8.self)
        // Names for people, and birth date and sex from the instances (STD-GEN-CD records have neither).
        for expected in ["Doe, Jane", "Müller, Jürgen", "山田 太郎", "DCMFS003", "2024-05-10", "born 1970-01-01", "sex F",
                         "For Dr. Müller", "dicomfs General Hospital", "4 studies, 6 instances", "DICOM PLUS WEB", "Volume 1 of 1", "ACC-2024-0001"] {
            #expect(text.contains(expected), "\(expected) missing from the label: \(text)")
        }
        // COMPACT (Label Style Selection): the patients, no study lines; with a logo (the
        // first label's own PNG) drawn above them.
        r.labelStyle = "COMPACT"
        try Job.create(r, store: dir + "/store", job: dir + "/compact")
        var options = Job.RunOptions()
        options.labelLogo = dir + "/job/VOL001.png"
        #expect(try Job.run(dir + "/compact", options: options).status == .DONE)
        let compact = String(decoding: try External.run("pdftotext", [dir + "/compact/VOL001.pdf", "-"]).stdout, as: UTF8.self)
        #expect(compact.contains("Doe, Jane") && compact.contains("born 1970-01-01") && !compact.contains("2024-05-10"), "\(compact)")
        let images = try External.run("pdfimages", ["-list", dir + "/compact/VOL001.pdf"])
        #expect(String(decoding: images.stdout, as: UTF8.self).split(separator: "\n").count >= 3, "the logo is an image in the PDF")
        options.labelLogo = dir + "/store/" + (try FileManager.default.contentsOfDirectory(atPath: dir + "/store").first ?? "")
        try Job.create(r, store: dir + "/store", job: dir + "/badlogo")
        let bad = try Job.run(dir + "/badlogo", options: options)
        #expect(bad.status == .FAILURE && (bad.detail ?? "").contains("a PNG file is expected"), "\(bad)")
        let png = try External.run("pdftoppm", ["-png", "-r", "150", "-singlefile", dir + "/job/VOL001.pdf", dir + "/label"])
        #expect(png.status == 0 && FileManager.default.fileExists(atPath: dir + "/label.png"))
        let svg = try String(contentsOfFile: dir + "/job/VOL001.svg", encoding: .utf8)
        #expect(svg.contains("<svg"))
        let artefacts = External.repoRoot.appendingPathComponent(".build/test-artefacts/labels").path
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: artefacts + "/label.png")
        try FileManager.default.copyItem(atPath: dir + "/job/VOL001.png", toPath: artefacts + "/label.png")
    }
}

@Suite(.tags(.unit)) struct RequestDetailTests {
    @Test func suppliedIconIsUsedAndBurnFailureIsMCDFailure() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 2)
        // A 64 × 64 icon of a diagonal ramp, given for the first instance.
        var icon = DataSet()
        icon.set(.samplesPerPixel, .US, numbers: [1])
        icon.set(.photometricInterpretation, .CS, "MONOCHROME2")
        icon.set(.rows, .US, numbers: [64]); icon.set(.columns, .US, numbers: [64])
        icon.set(.bitsAllocated, .US, numbers: [8]); icon.set(.bitsStored, .US, numbers: [8]); icon.set(.highBit, .US, numbers: [7])
        icon.set(.pixelRepresentation, .US, numbers: [0])
        let pixels = (0..<4096).map { UInt8(($0 / 64 + $0 % 64) % 256) }
        icon.set(DataElement(.pixelData, .OB, bytes: pixels))
        var r = MediaRequest()
        r.references = s.uids.map { MediaRequest.Reference(sopInstanceUID: $0) }
        r.references[0].iconJSON = DICOMJSON(inlineBinary: true).encode(icon, pretty: false)
        try Job.create(r, store: s.store, job: s.dir + "/icon")
        let state = try Job.run(s.dir + "/icon")
        #expect(state.status == .DONE, "\(state)")
        let dir = try DICOMDIRReader.read(storage: try ISOStorage(try ISOImage.open(s.dir + "/icon/VOL001.iso"))).dicomdir
        let record = try #require(dir.allRecords.first { $0.reference?.sopInstanceUID == s.uids[0] })
        #expect(record.keys.sequence(.iconImageSequence)?.first?[.pixelData]?.bytes == pixels)
        // The other instance gets an icon rendered by dicomfs.
        let other = try #require(dir.allRecords.first { $0.reference?.sopInstanceUID == s.uids[1] })
        #expect(other.keys.sequence(.iconImageSequence)?.first?[.pixelData]?.bytes?.count == 4096)

        // A burn that fails: FAILURE, MCD_FAILURE, with the drive's message.
        try Job.create(r, store: s.store, job: s.dir + "/full")
        var options = Job.RunOptions()
        options.drives = ["stdio:/dev/full"]
        let failed = try Job.run(s.dir + "/full", options: options)
        #expect(failed.status == .FAILURE && failed.info == .MCD_FAILURE, "\(failed)")
    }

    @Test func duplicateReferencesAreRefusedAtCreate() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 1)
        var r = MediaRequest()
        r.references = [MediaRequest.Reference(sopInstanceUID: s.uids[0]), MediaRequest.Reference(sopInstanceUID: s.uids[0])]
        do { try Job.create(r, store: s.store, job: s.dir + "/dup"); Issue.record("accepted") } catch let e as RequestError {
            #expect("\(e)".contains("DUPL_REF_INST"))
        }
    }

    /// Enumerated values are checked when read: a priority or YES/NO flag out of its terms is
    /// a problem of the request (refused at create), never silently taken as the default.
    @Test func enumeratedValuesOutOfTheirTermsAreProblems() throws {
        let dir = try External.tempDirectory().path
        let json = "{\"22000020\": {\"vr\": \"CS\", \"Value\": [\"URGENT\"]}, \"2200000F\": {\"vr\": \"CS\", \"Value\": [\"MAYBE\"]}, \"00081199\": {\"vr\": \"SQ\", \"Value\": [{\"00081155\": {\"vr\": \"UI\", \"Value\": [\"1.2.3\"]}}]}}"
        try Data(json.utf8).write(to: URL(fileURLWithPath: dir + "/r.json"))
        let request = try MediaRequest.read(path: dir + "/r.json")
        #expect(request.priority == .MED)
        #expect(request.problems() == ["Request Priority \"URGENT\": HIGH, MED or LOW", "Allow Lossy Compression \"MAYBE\": YES or NO"])
    }

    /// `request run --skip-invalid`: an instance the staging step refuses (here, no Series
    /// Number, a Type 1 key of the SERIES record) is listed as failed, 0110H, with why; the
    /// rest goes on the volume. Without it the job fails and makes no volume.
    @Test func skipInvalidListsTheInstancesLeftOut() throws {
        let s = try makeStore(patients: 1, studies: 1, images: 2)
        var ds = try DICOMFile.read(bytes: try SampleFactory.ct(instance: 7)).dataSet
        _ = ds.remove(.seriesNumber)
        let uid = "1.2.826.0.1.3680043.10.543.77"
        ds.set(.sopInstanceUID, .UI, uid)
        try Data(try Part10Writer.encode(ds, sopClassUID: ds.string(.sopClassUID) ?? "", sopInstanceUID: uid))
            .write(to: URL(fileURLWithPath: s.store + "/noseries.dcm"))
        var r = MediaRequest()
        r.references = (s.uids + [uid]).map { MediaRequest.Reference(sopInstanceUID: $0) }
        try Job.create(r, store: s.store, job: s.dir + "/strict")
        let refused = try Job.run(s.dir + "/strict")
        #expect(refused.status == .FAILURE && refused.volumes.isEmpty, "\(refused)")

        try Job.create(r, store: s.store, job: s.dir + "/lenient")
        var options = Job.RunOptions()
        options.skipInvalid = true
        let state = try Job.run(s.dir + "/lenient", options: options)
        #expect(state.status == .DONE, "\(state)")
        #expect(state.failed.map(\.sopInstanceUID) == [uid] && state.failed.first?.failureReason == 0x0110, "\(state.failed)")
        #expect(state.failed.first?.detail.contains("SeriesNumber") == true, "\(state.failed)")
        #expect(Set(state.volumes.flatMap(\.instances)) == Set(s.uids))
    }
}
