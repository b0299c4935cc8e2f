import FileSet

/// The medium an image is mastered for: it sets the PS3.12 naming form and the capacity.
public enum MediaKind: String, Sendable, CaseIterable, Codable {
    case cd, dvd, dvdDL = "dvd-dl", bd, usb

    /// Capacity in bytes, from the nominal sizes people buy (CD-R 700 MB = 360,000 sectors;
    /// DVD±R 4.7 GB; DVD+R DL 8.5 GB; BD-R 25 GB). USB sticks vary: nil (use --capacity).
    public var capacity: Int64? {
        switch self {
        case .cd: return 360_000 * 2048
        case .dvd: return 2_295_104 * 2048
        case .dvdDL: return 4_173_824 * 2048
        case .bd: return 12_219_392 * 2048
        case .usb: return nil
        }
    }

    /// How a File ID component becomes an ISO 9660 file identifier. PS3.12 Annex F (CD-R)
    /// keeps the separator: `NAME.;1`; Annex P (DVD) drops it: `NAME;1`. BD (Annex X) and USB
    /// (Annex U) do not use ISO 9660 at all; their images use the DVD form.
    public var keepsDot: Bool { self == .cd }

    /// What the standard says about ISO 9660 on this medium, when it is not what it asks for.
    public var conformanceWarning: String? {
        switch self {
        case .bd: return "PS3.12 Annex X specifies UDF for BD; this ISO 9660 image is not a PS3.12-conformant BD file-set (libisofs writes no UDF)"
        case .usb: return "PS3.12 Annex U specifies a FAT file system for USB media; an ISO 9660 image is not a PS3.12 USB file-set"
        default: return nil
        }
    }

    /// The medium a profile is written on; STD-GEN-MIME has none, CD is the safe default.
    public static func `for`(_ profile: ApplicationProfile) -> MediaKind {
        switch profile.medium {
        case .cd, .mime: return .cd
        case .dvd: return .dvd
        case .bd: return .bd
        case .usb: return .usb
        }
    }

    /// Parses "700MB", "4.7GB", "25G", "650M", "1000000" (bytes); decimal units as on disc labels.
    public static func parseSize(_ text: String) -> Int64? {
        let t = text.uppercased().trimmingSuffix("B")
        let units: [(String, Double)] = [("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("KI", 1024), ("MI", 1_048_576), ("GI", 1_073_741_824)]
        for (suffix, factor) in units.sorted(by: { $0.0.count > $1.0.count }) where t.hasSuffix(suffix) {
            // (Bounded before the conversion: Int64(Double) traps beyond its range.)
            guard let n = Double(t.dropLast(suffix.count)), n > 0, n * factor < 9e18 else { return nil }
            return Int64(n * factor)
        }
        return Int64(t).flatMap { $0 > 0 ? $0 : nil }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ s: String) -> String { hasSuffix(s) ? String(dropLast(s.count)) : self }
}
