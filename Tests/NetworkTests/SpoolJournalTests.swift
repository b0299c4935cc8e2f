import DICOM
import Foundation
import Testing
import TestSupport
@testable import Network

/// The spool's journal: what was answered with success comes back after a crash that lost the
/// files, what a checkpoint retired does not, a torn record ends the replay, and a full journal
/// checkpoints and goes on.
@Suite(.tags(.unit)) struct SpoolJournalTests {
    static let study = "1.2.826.0.1.3680043.10.1338.1"

    /// A small instance's network data set (Implicit VR LE), `size` bytes of pixels.
    func dataSet(_ uid: String, fill: UInt8 = 7, size: Int = 9000) throws -> [UInt8] {
        var ds = DataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.7")
        ds.set(.sopInstanceUID, .UI, uid)
        ds.set(.studyInstanceUID, .UI, Self.study)
        ds.set(.patientID, .LO, "JOURNAL")
        ds.set(DataElement(.pixelData, .OW, bytes: [UInt8](repeating: fill, count: size)))
        return try DataSetEncoder(explicitVR: false).encode(ds)
    }

    @discardableResult
    func store(_ spool: Spool, _ uid: String, fill: UInt8 = 7, size: Int = 9000) throws -> StoreOutcome {
        let incoming = try spool.begin(StoreRequest(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: uid,
                                                    transferSyntaxUID: "1.2.840.10008.1.2", callingAE: "SENDER", calledAE: "DICOMFS"))
        try incoming.append(try dataSet(uid, fill: fill, size: size))
        return incoming.finish()
    }

    func path(_ root: String, _ uid: String) -> String { root + "/DICOMFS/" + Self.study + "/" + uid + ".dcm" }

    /// Stores `uids` in a spool at `root`, then loses their files as a crash before the next
    /// checkpoint would (`before` sees each file first); the spool is closed on return.
    func storeThenLoseFiles(_ root: String, _ uids: [String], before: (String) throws -> Void = { _ in }) throws {
        let spool = try Spool(root: root, idleCheckpoints: false)
        for uid in uids { #expect(try store(spool, uid).status == Status.success) }
        spool.filed()
        for uid in uids {
            try before(uid)
            try FileManager.default.removeItem(atPath: path(root, uid))
        }
    }

    let uids = (1...3).map { "1.2.826.0.1.3680043.10.1338.1.\($0)" }

    @Test func answeredInstancesComeBackFromTheJournal() throws {
        let root = try External.tempDirectory().path
        var copies: [String: Data] = [:]
        try storeThenLoseFiles(root, uids) { copies[$0] = try Data(contentsOf: URL(fileURLWithPath: path(root, $0))) }
        _ = try Spool(root: root, idleCheckpoints: false)
        for uid in uids {
            let back = try Data(contentsOf: URL(fileURLWithPath: path(root, uid)))
            #expect(back == copies[uid])
            #expect(try DICOMFile.read(path: path(root, uid)).sopInstanceUID == uid)
        }
    }

    @Test func aCheckpointRetiresTheJournal() throws {
        let root = try External.tempDirectory().path
        do {
            let spool = try Spool(root: root, idleCheckpoints: false)
            for uid in uids { try store(spool, uid) }
            spool.checkpoint()
            // A study that left for a job after the checkpoint must not come back.
            try FileManager.default.removeItem(atPath: root + "/DICOMFS")
        }
        _ = try Spool(root: root, idleCheckpoints: false)
        #expect(!FileManager.default.fileExists(atPath: root + "/DICOMFS"))
    }

    @Test func aTornRecordEndsTheReplay() throws {
        let root = try External.tempDirectory().path
        try storeThenLoseFiles(root, uids)
        // One byte of the third record's pixels changed, as a write cut short would leave it.
        let journal = try FileHandle(forUpdating: URL(fileURLWithPath: root + "/.journal"))
        let all = try Data(contentsOf: URL(fileURLWithPath: root + "/.journal"))
        let marks = all.indices.filter { all[$0] == 0x44 && all[$0 ..< min($0 + 4, all.count)].elementsEqual("DFSJ".utf8) }
        #expect(marks.count == 3)
        try journal.seek(toOffset: UInt64(marks[2] + 2000))
        journal.write(Data([0x55]))
        try journal.close()
        _ = try Spool(root: root, idleCheckpoints: false)
        #expect(FileManager.default.fileExists(atPath: path(root, uids[0])))
        #expect(FileManager.default.fileExists(atPath: path(root, uids[1])))
        #expect(!FileManager.default.fileExists(atPath: path(root, uids[2])))
    }

    @Test func aFullJournalCheckpointsAndGoesOn() throws {
        let root = try External.tempDirectory().path
        let spool = try Spool(root: root, journalBytes: 64 << 10, idleCheckpoints: false)
        let many = (1...40).map { "1.2.826.0.1.3680043.10.1338.2.\($0)" }
        for uid in many { #expect(try store(spool, uid).status == Status.success) }
        spool.filed()
        for uid in many { #expect(try DICOMFile.read(path: path(root, uid)).sopInstanceUID == uid) }
        // Larger than the journal: written and synced as a file of its own.
        #expect(try store(spool, "1.2.826.0.1.3680043.10.1338.3", size: 100 << 10).status == Status.success)
    }

    @Test func duplicatesAreMergedOrKeptBeside() throws {
        let root = try External.tempDirectory().path
        let spool = try Spool(root: root, idleCheckpoints: false)
        let uid = uids[0]
        #expect(try store(spool, uid).status == Status.success)
        // Same contents while the first is still with the filer: one file, success.
        #expect(try store(spool, uid).status == Status.success)
        // Other contents: a warning, and the copy kept beside.
        #expect(try store(spool, uid, fill: 9).status == Status.coercion)
        spool.filed()
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/DICOMFS/" + Self.study).sorted()
        #expect(names == [uid + ".1.dcm", uid + ".dcm"])
    }
}

extension SpoolJournalTests {
    /// Records of a retired round that a shorter new round did not overwrite are not replayed.
    @Test func anEarlierRoundIsNeverReplayed() throws {
        let root = try External.tempDirectory().path
        do {
            let spool = try Spool(root: root, idleCheckpoints: false)
            for uid in uids { try store(spool, uid) }
            spool.checkpoint()
        }
        // A new run stores one instance of the same size, then "crashes" before a checkpoint.
        do {
            let spool = try Spool(root: root, idleCheckpoints: false)
            try FileManager.default.removeItem(atPath: root + "/DICOMFS")
            try store(spool, "1.2.826.0.1.3680043.10.1338.9.1")
            spool.filed()
            try FileManager.default.removeItem(atPath: root + "/DICOMFS")
        }
        _ = try Spool(root: root, idleCheckpoints: false)
        let back = try FileManager.default.contentsOfDirectory(atPath: root + "/DICOMFS/" + Self.study)
        #expect(back == ["1.2.826.0.1.3680043.10.1338.9.1.dcm"])
    }
}

extension SpoolJournalTests {
    /// Two servers on one spool would write into one journal: the second is refused, named.
    @Test func aSpoolServesOneServerAtATime() throws {
        let root = try External.tempDirectory().path
        let first = try Spool(root: root, idleCheckpoints: false)
        let refusal = #expect(throws: StoreFailure.self) { _ = try Spool(root: root, idleCheckpoints: false) }
        #expect(refusal?.comment.contains("in use by another dicomfs serve") == true)
        withExtendedLifetime(first) {}
    }
}
