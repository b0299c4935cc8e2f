import DICOM
import Foundation

/// Reads the PS3.18 §F.2 DICOM JSON model into a DataSet: the value kinds a request uses
/// (strings, numbers, person names, sequences, InlineBinary). Unknown members are ignored;
/// a malformed attribute is an error naming its tag.
enum JSONDataSet {
    static func decode(_ data: Data) throws -> DataSet {
        let root = try JSONSerialization.jsonObject(with: data)
        // A QIDO-style array of one dataset is accepted too.
        if let array = root as? [Any], array.count == 1, let object = array[0] as? [String: Any] { return try dataSet(object, depth: 0) }
        guard let object = root as? [String: Any] else { throw RequestError("the JSON is not an object of attributes") }
        return try dataSet(object, depth: 0)
    }

    static func dataSet(_ object: [String: Any], depth: Int) throws -> DataSet {
        guard depth < 16 else { throw RequestError("sequences nested deeper than 16") }
        var ds = DataSet()
        for (key, value) in object {
            guard key.count == 8, let raw = UInt32(key, radix: 16) else { throw RequestError("\"\(key)\" is not a tag (8 hex digits)") }
            let tag = Tag(UInt16(raw >> 16), UInt16(raw & 0xFFFF))
            guard let attribute = value as? [String: Any], let vrText = attribute["vr"] as? String, let vr = VR(rawValue: vrText) else {
                throw RequestError("\(tag): no valid \"vr\"")
            }
            let values = attribute["Value"] as? [Any] ?? []
            switch vr {
            case .SQ:
                let items = try values.map { item -> DataSet in
                    guard let o = item as? [String: Any] else { throw RequestError("\(tag): a sequence item is not an object") }
                    return try dataSet(o, depth: depth + 1)
                }
                ds.set(tag, sequence: items)
            case .PN:
                ds.set(tag, vr, values.map { v -> String in
                    guard let o = v as? [String: Any] else { return "" }
                    return [o["Alphabetic"], o["Ideographic"], o["Phonetic"]].map { ($0 as? String) ?? "" }
                        .reversed().drop(while: \.isEmpty).reversed().joined(separator: "=")
                })
            case .US, .SS, .UL, .SL, .FL, .FD, .UV, .SV:
                ds.set(tag, vr, numbers: try values.map { v in
                    guard let n = v as? NSNumber else { throw RequestError("\(tag): \(vr) value is not a number") }
                    return n.doubleValue
                })
            case .OB, .OW, .OD, .OF, .OL, .OV, .UN:
                if let b64 = attribute["InlineBinary"] as? String {
                    guard let bytes = Data(base64Encoded: b64) else { throw RequestError("\(tag): InlineBinary is not base64") }
                    ds.set(DataElement(tag, vr, bytes: [UInt8](bytes)))
                }
            default:
                ds.set(tag, vr, values.map { v -> String in
                    if let s = v as? String { return s }
                    if let n = v as? NSNumber { return n.stringValue }
                    return ""
                })
            }
        }
        return ds
    }
}
