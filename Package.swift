// swift-tools-version:6.0
import PackageDescription
import Foundation

// Dependencies point one way: dicomfs (CLI) → feature modules → FileSet → DICOM.
let package = Package(
    name: "dicomfs",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "DICOM", targets: ["DICOM"]),
        .library(name: "FileSet", targets: ["FileSet"]),
        .library(name: "Media", targets: ["Media"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Interchange", targets: ["Interchange"]),
        .library(name: "Network", targets: ["Network"]),
        .executable(name: "dicomfs", targets: ["dicomfs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // zlib, for the Deflated Explicit VR Little Endian transfer syntax and PNG output (not
        // "CZlib": ZIPFoundation has a module of that name).
        .systemLibrary(name: "SystemZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "DICOM", dependencies: ["SystemZlib"]),
        // File IDs, DICOMDIR model, reading and writing, record rules, profiles, FSC/FSR/FSU.
        .target(name: "FileSet", dependencies: ["DICOM", "CConfined"]),
        // copy_file_range and syncfs, which need _GNU_SOURCE.
        .target(name: "CConfined"),
        // libisoburn, libisofs and libburn (Debian 1.5.4): ISO 9660 mastering, burning, reading.
        .systemLibrary(
            name: "CIsoBurn", pkgConfig: "libisoburn-1",
            providers: [.apt(["libisoburn-dev", "libisofs-dev", "libburn-dev"])]
        ),
        // ISO images, drives, burning, multi-session updates, reading discs without mounting.
        .target(name: "Media", dependencies: ["FileSet", "DICOM", "CIsoBurn"]),
        // libjpeg-turbo, GDCM's IJG builds (12-bit decoding, lossless encoding), OpenJPEG and CharLS behind plain C calls
        // (libjpeg reports errors by longjmp, which Swift cannot catch).
        .target(
            name: "CCodecs",
            exclude: ["jpegll_body.inc"],
            linkerSettings: [.linkedLibrary("jpeg"), .linkedLibrary("gdcmjpeg8"), .linkedLibrary("gdcmjpeg12"), .linkedLibrary("gdcmjpeg16"), .linkedLibrary("openjp2"), .linkedLibrary("charls")]
        ),
        // Pixel data to display: decoders, the LUT pipeline, icons, JPEG and PNG output.
        .target(name: "Imaging", dependencies: ["DICOM", "FileSet", "CCodecs", "SystemZlib"]),
        // IHE PDI web content (XHTML pages, JPEG renderings, README.TXT) and the offline viewer.
        .target(name: "WebContent", dependencies: ["FileSet", "Imaging", "DICOM"]),
        // A file-set as MIME (PS3.10 Annex K) and as ZIP (PS3.12), out and back in.
        .target(name: "Interchange", dependencies: ["FileSet", "DICOM", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Disc labels: cairo + pango for layout and PDF/PNG/SVG, libqrencode and libzint for barcodes.
        .systemLibrary(name: "CPangoCairo", pkgConfig: "pangocairo",
                       providers: [.apt(["libcairo2-dev", "libpango1.0-dev", "libqrencode-dev", "libzint-dev"])]),
        .target(name: "CLabel", dependencies: ["CPangoCairo"],
                linkerSettings: [.linkedLibrary("qrencode"), .linkedLibrary("zint"), .linkedLibrary("m")]),
        // The DICOM Upper Layer (PS3.8) on SwiftNIO, DIMSE (PS3.7), Verification and Storage SCP,
        // the spool received instances go to. Beside FileSet: it needs only the DICOM codec.
        .target(name: "Network", dependencies: ["DICOM", "CConfined", .product(name: "NIOCore", package: "swift-nio"),
                                                .product(name: "NIOPosix", package: "swift-nio"),
                                                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                                                .product(name: "Logging", package: "swift-log")]),
        // The disc station: received studies become media creation jobs after an idle time.
        .target(name: "Station", dependencies: ["Network", "Requests", "FileSet", "Media", "Imaging", "DICOM", .product(name: "Logging", package: "swift-log"),
                                             .product(name: "TOMLKit", package: "TOMLKit")]),
        // PS3.4 Annex S media creation requests, run offline: jobs, volumes, copies, hot folder.
        .target(name: "Requests", dependencies: ["FileSet", "DICOM", "Imaging", "Media", "WebContent", "CLabel"]),
        // Deterministic sample files: bundled under samples/ and used as test fixtures.
        .target(name: "Samples", dependencies: ["DICOM"]),
        .executableTarget(name: "dicomfs-samples", dependencies: ["Samples"]),
        .executableTarget(
            name: "dicomfs",
            dependencies: ["DICOM", "FileSet", "Media", "Imaging", "WebContent", "Interchange", "Requests", "Network", "Station",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Logging", package: "swift-log")]
        ),
        // Helpers shared by the test targets: running external tools, temp folders, fixtures.
        .target(name: "TestSupport", dependencies: ["DICOM", "Samples"], path: "Tests/TestSupport"),
        .testTarget(name: "DICOMTests", dependencies: ["DICOM", "Samples", "TestSupport"]),
        .testTarget(name: "FileSetTests", dependencies: ["FileSet", "DICOM", "Samples", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "DICOM", "Samples", "TestSupport"]),
        .testTarget(name: "InterchangeTests", dependencies: ["Interchange", "FileSet", "DICOM", "Samples", "TestSupport"]),
        .testTarget(name: "RequestsTests", dependencies: ["Requests", "FileSet", "DICOM", "Media", "Samples", "TestSupport"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "FileSet", "DICOM", "Samples", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "DICOM", "TestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "dicomfsTests", dependencies: ["dicomfs", "Samples", "TestSupport"], exclude: ["Fixtures"]),
    ]
)

// The libFuzzer driver (Fuzz/Targets): only in a build that links libFuzzer, which Fuzz/run.sh
// makes with DICOMFS_FUZZ=1 and --sanitize fuzzer; an ordinary build never sees it.
if ProcessInfo.processInfo.environment["DICOMFS_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "dicomfs-fuzz", dependencies: ["DICOM", "FileSet", "Imaging", "Interchange", "Media", "Network"],
                                             path: "Fuzz/Targets"))
}
