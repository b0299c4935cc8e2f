@testable import DICOM
import Foundation
import Samples
import TestSupport

/// Builders for test inputs: raw element bytes, temp files, and the samples.
enum Fixtures {
    static func tempDirectory() throws -> URL { try External.tempDirectory() }

    static func write(_ bytes: [UInt8], name: String = "file.dcm", in dir: URL? = nil) throws -> String {
        let dir = try dir ?? tempDirectory()
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A Part 10 file: preamble, DICM, Explicit VR LE meta for `ts`, then `body` verbatim.
    static func part10(body: [UInt8], ts: TransferSyntax = .explicitVRLittleEndian) throws -> [UInt8] {
        var meta = Part10Writer.meta(sopClassUID: "1.2.840.10008.5.1.4.1.1.7", sopInstanceUID: "1.2.3.4", transferSyntax: ts)
        meta.set(.transferSyntaxUID, .UI, ts.uid)
        let header = try Part10Writer.encode(DataSet(), meta: meta, transferSyntax: .explicitVRLittleEndian)
        return header + body
    }

    /// One explicit VR little-endian element header (+ value).
    static func element(_ tag: Tag, _ vr: String, _ value: [UInt8], length: UInt32? = nil) -> [UInt8] {
        var w = ByteWriter()
        w.tag(tag)
        w.append(Array(vr.utf8))
        let long = VR(rawValue: vr)?.hasLongLength ?? true
        if long { w.u16(0); w.u32(length ?? UInt32(value.count)) } else { w.u16(UInt16(truncatingIfNeeded: length ?? UInt32(value.count))) }
        w.append(value)
        return w.bytes
    }

    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    static func ct() throws -> [UInt8] { try SampleFactory.ct(instance: 1) }
}
