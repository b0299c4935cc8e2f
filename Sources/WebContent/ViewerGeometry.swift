import DICOM

/// What the viewer needs to measure and orient an image: the spacing of its rendered pixels
/// and the patient directions at its edges.
struct ViewerGeometry: Sendable {
    /// Millimetres between stored pixels: along a column (row spacing) and along a row. The
    /// viewer scales them to what it shows by `native` over the picture's own size.
    var spacing: (row: Double, column: Double)?
    var native: (width: Int, height: Int) = (0, 0)
    /// "patient" (Pixel Spacing) or "detector" (Imager Pixel Spacing of projection images,
    /// not corrected for magnification).
    var spacingKind = "patient"
    /// Letters at the left, right, top and bottom edges.
    var edges: [String]?

    /// From an instance's attributes; `width` × `height`: its stored size.
    init(_ ds: DataSet, width: Int, height: Int) {
        native = (width, height)
        if let s = ds.doubles(.pixelSpacing), s.count == 2, s[0] > 0, s[1] > 0 {
            spacing = (s[0], s[1])
        } else if let s = ds.doubles(.imagerPixelSpacing), s.count == 2, s[0] > 0, s[1] > 0 {
            spacing = (s[0], s[1])
            spacingKind = "detector"
        }
        if let o = ds.doubles(.imageOrientationPatient), o.count == 6 {
            let row = Array(o[0..<3]), column = Array(o[3..<6])
            let right = Self.letters(row), bottom = Self.letters(column)
            if !right.isEmpty && !bottom.isEmpty {
                edges = [Self.letters(row.map { -$0 }), right, Self.letters(column.map { -$0 }), bottom]
            }
        } else if let p = ds.strings(.patientOrientation), p.count == 2, !p[0].isEmpty, !p[1].isEmpty {
            // PS3.3 C.7.6.1.1.1: the direction of the rows (towards the right edge) and of the
            // columns (towards the bottom), in A P R L H F.
            edges = [Self.opposite(p[0]), p[0], Self.opposite(p[1]), p[1]]
        }
    }

    /// A direction in the patient coordinate system (+x left, +y posterior, +z head) as up to
    /// three letters, the strongest first; components under 0.25 are left out.
    static func letters(_ d: [Double]) -> String {
        guard d.count == 3 else { return "" }
        let named = [(d[0], d[0] > 0 ? "L" : "R"), (d[1], d[1] > 0 ? "P" : "A"), (d[2], d[2] > 0 ? "H" : "F")]
        return named.filter { abs($0.0) >= 0.25 }.sorted { abs($0.0) > abs($1.0) }.map(\.1).joined()
    }

    static func opposite(_ s: String) -> String {
        String(s.uppercased().map { c -> Character in
            switch c {
            case "A": return "P"
            case "P": return "A"
            case "L": return "R"
            case "R": return "L"
            case "H": return "F"
            case "F": return "H"
            default: return c
            }
        })
    }

    /// The viewer's JSON for it (fields left out when unknown).
    var json: String {
        var fields: [String] = []
        if let spacing {
            fields.append("\"spacing\":[\(spacing.row),\(spacing.column)],\"spacingKind\":\"\(spacingKind)\",\"native\":[\(native.width),\(native.height)]")
        }
        if let edges { fields.append("\"edges\":[" + edges.map(HTML.js).joined(separator: ",") + "]") }
        return fields.joined(separator: ",")
    }
}
