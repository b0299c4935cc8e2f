/// A DA value. Reads "YYYYMMDD" and the pre-1993 form "YYYY.MM.DD" (PS3.5 §6.2 note).
public struct DICOMDate: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...daysIn(month, year)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    public init?(parsing text: String) {
        let digits = text.utf8.filter { $0 != UInt8(ascii: ".") }
        guard digits.count == 8, text.utf8.count == 8 || text.utf8.count == 10,
              let y = number(digits[0..<4]), let m = number(digits[4..<6]), let d = number(digits[6..<8]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var description: String { pad(year, 4) + pad(month, 2) + pad(day, 2) }
    /// ISO 8601: 2024-03-01.
    public var iso: String { "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))" }

    public static func < (a: DICOMDate, b: DICOMDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// A TM value: "HH", "HHMM", "HHMMSS" or "HHMMSS.F…" (up to 6 fraction digits); also "HH:MM:SS".
public struct DICOMTime: Sendable, Equatable, CustomStringConvertible {
    public var hour: Int
    public var minute: Int?
    public var second: Int?
    /// Fraction of a second in microseconds, when given.
    public var microsecond: Int?

    public init?(parsing text: String) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let main = Array(parts[0].utf8.filter { $0 != UInt8(ascii: ":") })
        guard [2, 4, 6].contains(main.count), let h = number(main[0..<2]), h < 24 else { return nil }
        hour = h
        if main.count >= 4 {
            guard let m = number(main[2..<4]), m < 60 else { return nil }
            minute = m
        }
        if main.count == 6 {
            guard let s = number(main[4..<6]), s <= 60 else { return nil }
            second = s
        }
        if parts.count == 2 {
            let f = Array(parts[1].utf8)
            guard main.count == 6, (1...6).contains(f.count), let v = number(f[...]) else { return nil }
            var us = v
            for _ in f.count..<6 { us *= 10 }
            microsecond = us
        }
    }

    public var description: String {
        var s = pad(hour, 2)
        if let minute { s += pad(minute, 2) }
        if let second { s += pad(second, 2) }
        if let microsecond { s += "." + pad(microsecond, 6) }
        return s
    }
}

/// A DT value: "YYYY[MM[DD[HH[MM[SS[.F…]]]]]][&ZZXX]".
public struct DICOMDateTime: Sendable, Equatable, CustomStringConvertible {
    public var year: Int
    public var month: Int?
    public var day: Int?
    public var time: DICOMTime?
    /// Offset from UTC in minutes, when given.
    public var utcOffsetMinutes: Int?

    public init?(parsing text: String) {
        var body = Substring(text)
        if let signIndex = body.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let zone = Array(body[body.index(after: signIndex)...].utf8)
            guard zone.count == 4, let hh = number(zone[0..<2]), let mm = number(zone[2..<4]), hh <= 14, mm < 60 else { return nil }
            utcOffsetMinutes = (body[signIndex] == "-" ? -1 : 1) * (hh * 60 + mm)
            body = body[..<signIndex]
        }
        let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = Array(parts[0].utf8)
        guard [4, 6, 8, 10, 12, 14].contains(digits.count), let y = number(digits[0..<4]) else { return nil }
        year = y
        if digits.count >= 6 { guard let m = number(digits[4..<6]), (1...12).contains(m) else { return nil }; month = m }
        if digits.count >= 8 {
            guard let d = number(digits[6..<8]), let m = month, (1...daysIn(m, y)).contains(d) else { return nil }
            day = d
        }
        if digits.count >= 10 {
            let timeText = String(decoding: digits[8...], as: UTF8.self) + (parts.count == 2 ? "." + parts[1] : "")
            guard let t = DICOMTime(parsing: timeText) else { return nil }
            time = t
        } else if parts.count == 2 {
            return nil
        }
    }

    public var description: String {
        var s = pad(year, 4)
        if let month { s += pad(month, 2) }
        if let day { s += pad(day, 2) }
        if let time { s += time.description }
        if let z = utcOffsetMinutes { s += (z < 0 ? "-" : "+") + pad(abs(z) / 60, 2) + pad(abs(z) % 60, 2) }
        return s
    }
}

private func number(_ digits: ArraySlice<UInt8>) -> Int? {
    var v = 0
    for d in digits {
        guard (0x30...0x39).contains(d) else { return nil }
        v = v * 10 + Int(d - 0x30)
    }
    return digits.isEmpty ? nil : v
}

private func daysIn(_ month: Int, _ year: Int) -> Int {
    switch month {
    case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
}

func pad(_ v: Int, _ width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
