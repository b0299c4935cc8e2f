import DICOM
import Foundation

/// Text for XHTML pages: every value escaped, so a name holding `<script>` or `&` stays text.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XHTML; DICOM text rarely has any.
                if c.value < 0x20 && c != "\n" && c != "\t" { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// A complete XHTML 1.0 Strict page in UTF-8 (declared twice: XML declaration and meta).
    static func page(title: String, stylesheet: String?, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
        <head>
        <meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
        <title>\(escape(title))</title>
        \(stylesheet.map { "<link rel=\"stylesheet\" type=\"text/css\" href=\"\($0)\" />" } ?? "")
        </head>
        <body>
        \(body)
        <p class="notice">Not for diagnostic use. Images are reduced renderings of the DICOM files on this medium; use a DICOM viewer for diagnosis.</p>
        </body>
        </html>

        """
    }

    /// Strings in JavaScript data files: JSON string syntax, with `<` escaped so a value can
    /// never close a script element.
    static func js(_ s: String) -> String {
        var out = ""
        for c in DICOMJSON.quote(s).unicodeScalars {
            switch c {
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

/// Base64 for the viewer's data scripts.
enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
