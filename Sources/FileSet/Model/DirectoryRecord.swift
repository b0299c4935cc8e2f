import DICOM

/// One directory record of a DICOMDIR (PS3.3 §F.3.2.2): its type, its keys, the instance it
/// references (leaf records), and the records one level below it.
public final class DirectoryRecord {
    public var type: RecordType
    /// The record's keys. Records read from a DICOMDIR also hold their (0004,xxxx) structure
    /// elements here; they are not keys, and the writer always rebuilds them.
    public var keys: DataSet
    public var reference: InstanceReference?
    /// (0004,1432), for PRIVATE records.
    public var privateRecordUID: String?
    /// (0004,1410): false for records marked inactive (0000H) by other writers.
    public var inUse = true
    public var children: [DirectoryRecord] = []
    /// Where the record's item starts in the DICOMDIR it was read from (nil for new records).
    public var offset: Int?
    /// The record type exactly as written, for types this reader does not know (retired ones).
    public var typeText: String

    public init(type: RecordType, keys: DataSet = DataSet(), reference: InstanceReference? = nil) {
        self.type = type
        self.keys = keys
        self.reference = reference
        typeText = type.rawValue
    }

    /// Records of this subtree in depth-first order, this one first.
    public func preorder() -> [DirectoryRecord] {
        var out: [DirectoryRecord] = []
        var stack: [DirectoryRecord] = [self]
        while let r = stack.popLast() {
            out.append(r)
            stack.append(contentsOf: r.children.reversed())
        }
        return out
    }
}

/// What a leaf record says of the file it references: (0004,1500) and (0004,1510–151A).
public struct InstanceReference: Sendable, Hashable {
    public var fileID: FileID
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var transferSyntaxUID: String
    public var relatedGeneralSOPClassUID: String?

    public init(fileID: FileID, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
                relatedGeneralSOPClassUID: String? = nil) {
        self.fileID = fileID
        self.sopClassUID = sopClassUID
        self.sopInstanceUID = sopInstanceUID
        self.transferSyntaxUID = transferSyntaxUID
        self.relatedGeneralSOPClassUID = relatedGeneralSOPClassUID
    }
}
