@testable import DICOM
import Testing
import TestSupport

/// The VR decoder is a switch written apart from `letters`: every pair of bytes must decode
/// to the VR whose letters they are, and to nothing else.
@Suite(.tags(.unit)) struct VRTests {
    @Test func decodingAgreesWithLettersForEveryPair() {
        for vr in VR.allCases {
            let (a, b) = vr.letters
            #expect(VR(a, b) == vr)
            #expect(String(decoding: [a, b], as: UTF8.self) == vr.rawValue)
        }
        var decoded = 0
        for a in 0...255 {
            for b in 0...255 {
                let vr = VR(UInt8(a), UInt8(b))
                if let vr { decoded += 1; #expect(vr.letters == (UInt8(a), UInt8(b))) }
            }
        }
        #expect(decoded == VR.allCases.count)
    }
}
