import Foundation
import Samples
import Testing
import TestSupport

@Suite(.tags(.interop)) struct IconTests {
    @Test(.enabled(if: External.has("dciodvfy") && External.hasPydicom, "needs dciodvfy, pydicom")) func iconsInImageAndSeriesRecordsPassDciodvfy() throws {
        let (dir, source) = try CLI.sampleSource()
        for (size, out) in [(64, dir + "/fs64"), (128, dir + "/fs128")] {
            let r = try CLI.run(["create", source, "-o", out, "--icons", "--series-icons", "--icon-size", String(size)])
            #expect(r.status == 0, Comment(rawValue: r.stderr))
            do {
                let v = try External.run("dciodvfy", [out + "/DICOMDIR"])
                #expect(!v.stderr.contains("Error"), Comment(rawValue: v.stderr))
            }
            let p = try External.python("""
            import sys, pydicom
            ds = pydicom.dcmread(sys.argv[1])
            for r in ds.DirectoryRecordSequence:
                if 'IconImageSequence' in r:
                    ic = r.IconImageSequence[0]
                    print(r.DirectoryRecordType, ic.Rows, ic.Columns, ic.BitsAllocated, ic.PhotometricInterpretation, len(ic.PixelData))
            """, [out + "/DICOMDIR"])
            let lines = p.stdout.split(separator: "\n").map(String.init)
            // Five IMAGE records (CT ×2, MR, US, CT) and their four series; the SR has none.
            #expect(lines.filter { $0.hasPrefix("IMAGE") }.count == 5, "\(lines)")
            #expect(lines.filter { $0.hasPrefix("SERIES") }.count == 4, "\(lines)")
            #expect(lines.allSatisfy { $0.contains(" \(size) \(size) 8 ") && $0.hasSuffix(" \(size * size)") }, "\(lines)")
            #expect(lines.contains { $0.contains("PALETTE COLOR") })   // the colour ultrasound
            #expect(lines.contains { $0.contains("MONOCHROME2") })
        }
        #expect(try CLI.run(["create", source, "-o", dir + "/x", "--icons", "--icon-size", "32"]).status == 2)
    }
}
