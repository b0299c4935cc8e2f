@testable import FileSet
import DICOM
import Testing
import TestSupport

/// Large directories are encoded in parallel runs of records: the offsets that link them must
/// still lead a reader through exactly the tree that was written.
@Suite(.tags(.unit)) struct WriterTests {
    static func tree() -> [DirectoryRecord] {
        (1...3).map { p in
            var keys = DataSet()
            keys.set(.patientID, .LO, "P\(p)")
            var patient = DirectoryRecord(type: .patient, keys: keys)
            patient.children = (1...2).map { s in
                var keys = DataSet()
                keys.set(.studyInstanceUID, .UI, "1.2.3.\(p).\(s)")
                var study = DirectoryRecord(type: .study, keys: keys)
                study.children = (1...3).map { r in
                    var keys = DataSet()
                    keys.set(.seriesInstanceUID, .UI, "1.2.3.\(p).\(s).\(r)")
                    var series = DirectoryRecord(type: .series, keys: keys)
                    series.children = (1...200).map { i in
                        var keys = DataSet()
                        keys.set(.instanceNumber, .IS, String(i))
                        if i % 50 == 0 {
                            // Keys holding a sequence: their size is known only by encoding.
                            var item = DataSet()
                            item.set(.codeValue, .SH, "C\(i)")
                            keys.set(.contentSequence, sequence: [item])
                        }
                        let id = FileID(trusted: ["P\(p)", "S\(s)", "R\(r)", "I\(i)"])
                        return DirectoryRecord(type: .image, keys: keys, reference: InstanceReference(
                            fileID: id, sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.\(p).\(s).\(r).\(i)",
                            transferSyntaxUID: "1.2.840.10008.1.2.1"))
                    }
                    return series
                }
                return study
            }
            return patient
        }
    }

    static func shape(_ records: [DirectoryRecord]) -> [String] {
        records.flatMap { $0.preorder() }.map { r in
            "\(r.typeText) \(r.children.count) \(r.keys.string(.patientID) ?? r.keys.string(.studyInstanceUID) ?? r.keys.string(.seriesInstanceUID) ?? r.reference?.fileID.path ?? "")"
        }
    }

    @Test(arguments: [false, true])
    func parallelRunsLinkTheSameTree(undefinedLengths: Bool) throws {
        let roots = Self.tree()
        let dir = DICOMDIR(fileSetID: "TEST", fileSetUID: "1.2.3.4", roots: roots)
        #expect(dir.allRecords.count > 3000)  // several runs of 512 records
        let bytes = try DICOMDIRWriter(undefinedLengths: undefinedLengths).encode(dir)
        let read = try DICOMDIRReader.read(try DICOMFile.read(bytes: bytes))
        #expect(read.findings.isEmpty, Comment(rawValue: read.findings.map(\.description).joined(separator: "\n")))
        #expect(Self.shape(read.dicomdir.roots) == Self.shape(roots))
        let withSequences = read.dicomdir.allRecords.filter { $0.keys.sequence(.contentSequence) != nil }
        #expect(withSequences.count == 3 * 2 * 3 * 4)
        #expect(withSequences.first?.keys.sequence(.contentSequence)?.first?.string(.codeValue) == "C50")
        // Offsets are absolute and point at each record's item; the last root is the last patient.
        let ds = try DICOMFile.read(bytes: bytes).dataSet
        let last = try #require(ds.int(.offsetOfTheLastDirectoryRecordOfTheRootDirectoryEntity))
        #expect(read.dicomdir.roots.last?.offset == last)
    }

    /// The same tree with every leaf in the creator's encoded form.
    static func encodedTree() throws -> [DirectoryRecord] {
        var roots = tree()
        for i in roots.indices {
            try roots[i].modifyAll { r in
                r.children = try r.children.map { leaf in
                    guard let ref = leaf.reference else { return leaf }
                    let encoded = try EncodedLeaf(sopClassUID: ref.sopClassUID, sopInstanceUID: ref.sopInstanceUID,
                                                  transferSyntaxUID: ref.transferSyntaxUID,
                                                  relatedGeneralSOPClassUID: ref.relatedGeneralSOPClassUID,
                                                  keys: leaf.keys, encoder: DataSetEncoder())
                    var record = DirectoryRecord(type: leaf.type, encoded: encoded)
                    record.setFileID(path: ref.fileID.path)
                    return record
                }
            }
        }
        return roots
    }

    @Test(arguments: [false, true])
    func encodedLeavesWriteTheSameBytes(undefinedLengths: Bool) throws {
        let writer = DICOMDIRWriter(undefinedLengths: undefinedLengths)
        let plain = try writer.encode(DICOMDIR(fileSetID: "TEST", fileSetUID: "1.2.3.4", roots: Self.tree()))
        let encoded = try Self.encodedTree()
        #expect(try writer.encode(DICOMDIR(fileSetID: "TEST", fileSetUID: "1.2.3.4", roots: encoded)) == plain)
        // Read back as values: the keys and reference an encoded leaf holds.
        var leaf = try #require(encoded.first?.children.first?.children.first?.children.last)
        #expect(leaf.reference == InstanceReference(fileID: FileID(trusted: ["P1", "S1", "R1", "I200"]),
                                                    sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.1.1.1.200",
                                                    transferSyntaxUID: "1.2.840.10008.1.2.1"))
        #expect(leaf.keys.string(.instanceNumber) == "200")
        #expect(leaf.keys.sequence(.contentSequence)?.first?.string(.codeValue) == "C200")
        guard case .encoded(let e) = leaf.content else { Issue.record("not encoded"); return }
        #expect(Array(e.sopInstanceUID) == Array("1.2.3.1.1.1.200".utf8))
        // Changing a key turns the record into values, reference kept.
        leaf.keys.set(.instanceNumber, .IS, "7")
        #expect(leaf.reference?.sopInstanceUID == "1.2.3.1.1.1.200")
        #expect(leaf.keys.string(.instanceNumber) == "7")
    }

    /// Duplicate SOP Instance UIDs are found by hash; a UID that only shares a hash with an
    /// earlier one must still be told apart.
    @Test func seenInstancesKeepCollidingUIDsApart() {
        var seen = SeenInstances(capacity: 4, hash: { _ in 42 })  // every UID collides
        #expect(seen.add("1.2.1", path: "A", size: 1) == nil)
        #expect(seen.add("1.2.2", path: "B", size: 2)?.path == "A")   // only a candidate: the caller settles it
        seen.insert("1.2.2", path: "B", size: 2)                       // settled: a different UID
        #expect(seen.add("1.2.2", path: "C", size: 3)?.path == "B")
        #expect(seen.add("1.2.1", path: "D", size: 4)?.path == "A")
        var real = SeenInstances(capacity: 4)
        #expect(real.add("1.2.1", path: "A", size: 1) == nil)
        #expect(real.add("1.2.2", path: "B", size: 2) == nil)
        #expect(real.add("1.2.1", path: "C", size: 3)?.size == 1)
    }
}
