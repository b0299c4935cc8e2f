import Testing

/// The three lanes every suite belongs to (exactly one each; `scripts/test` checks).
/// `scripts/test --fast` runs the `unit` suites only, chosen by these tags in the sources;
/// CI runs every lane.
extension Tag {
    /// No external tool, no browser, no burn, no kill loop: seconds, on any machine.
    @Tag public static var unit: Self
    /// Judged by a tool we did not write (DCMTK, dicom3tools, pydicom, GDCM, xorriso,
    /// Chromium, Orthanc, pynetdicom) or exercising the built command end to end with one.
    @Tag public static var interop: Self
    /// Crashes, kills, concurrency and volume: servers killed mid-send, 32 associations,
    /// interrupted burns and commits.
    @Tag public static var stress: Self
}
