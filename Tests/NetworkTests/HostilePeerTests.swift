import DICOM
import Foundation
import Logging
import Testing
import TestSupport
@testable import Network

/// Peers that break PS3.8 against an in-process server on 127.0.0.1: each gets an A-ABORT (or
/// a closed connection after the timeout), never an allocation of what it announced, and the
/// server keeps serving others.
@Suite(.serialized, .tags(.unit)) struct HostilePeerTests {
    final class Harness {
        let server: DICOMServer
        let port: Int
        let spool: String
        init(timeout: Double = 30) throws {
            spool = try External.tempDirectory().path
            var config = ServerConfiguration()
            config.idleSeconds = timeout
            config.artimSeconds = timeout
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            server = DICOMServer(configuration: config, storage: try Spool(root: spool), logger: logger, threads: 1)
            port = try server.start(host: "127.0.0.1", port: 0)
        }
        deinit { server.stop() }
    }

    /// A TCP connection with a receive timeout, for writing raw bytes.
    final class RawPeer {
        let fd: Int32
        init(port: Int, timeout: Int = 10) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = in_port_t(UInt16(port).bigEndian)
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { throw ServeTestError("connect failed") }
            var tv = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd) }
        func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
        /// Everything until the peer closes (or the timeout): the bytes, and whether it closed.
        func readUntilClosed() -> (bytes: [UInt8], closed: Bool) {
            var out: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 { return (out, true) }
                if n < 0 { return (out, false) }
                out += buf[0..<n]
            }
        }
    }

    func associateRQ(contexts: [ProposedContext] = [ProposedContext(id: 1, abstractSyntax: ServerConfiguration.verification, transferSyntaxes: ["1.2.840.10008.1.2"])]) -> [UInt8] {
        var a = Association()
        a.calledAE = Association.aeField("DICOMFS")
        a.callingAE = Association.aeField("RAW")
        a.proposed = contexts
        a.maxLength = 16_384
        return PDUCodec.encode(.associateRQ(a))
    }

    /// The server still answers an ordinary association afterwards.
    func stillServes(_ h: Harness) throws -> Bool {
        let p = try RawPeer(port: h.port)
        p.send(associateRQ())
        var buf = [UInt8](repeating: 0, count: 6)
        let n = buf.withUnsafeMutableBytes { recv(p.fd, $0.baseAddress, 6, Int32(MSG_WAITALL)) }
        return n == 6 && buf[0] == 2
    }

    @Test func aPDUAnnouncing4GBIsAbortedNotAllocated() throws {
        let h = try Harness()
        let p = try RawPeer(port: h.port)
        p.send(associateRQ())
        var ac = [UInt8](repeating: 0, count: 6)
        _ = ac.withUnsafeMutableBytes { recv(p.fd, $0.baseAddress, 6, Int32(MSG_WAITALL)) }
        #expect(ac[0] == 2)
        let length = Int(ac[2]) << 24 | Int(ac[3]) << 16 | Int(ac[4]) << 8 | Int(ac[5])
        var rest = [UInt8](repeating: 0, count: length)
        _ = rest.withUnsafeMutableBytes { recv(p.fd, $0.baseAddress, length, Int32(MSG_WAITALL)) }
        p.send([4, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0])
        let (bytes, closed) = p.readUntilClosed()
        #expect(closed && bytes == [7, 0, 0, 0, 0, 4, 0, 0, 2, 6], "\(bytes)")
        #expect(try stillServes(h))
    }

    @Test func unknownPDUTypeAndMalformedRequestAreAborted() throws {
        let h = try Harness()
        let unknown = try RawPeer(port: h.port)
        unknown.send([9, 0, 0, 0, 0, 4, 1, 2, 3, 4])
        let a = unknown.readUntilClosed()
        #expect(a.closed && a.bytes == [7, 0, 0, 0, 0, 4, 0, 0, 2, 1], "\(a.bytes)")
        // An RQ whose presentation context item claims more than the PDU holds.
        var rq = associateRQ()
        if let i = (74..<rq.count).first(where: { rq[$0] == 0x20 }) { rq[i + 2] = 0xFF; rq[i + 3] = 0xFF }
        let malformed = try RawPeer(port: h.port)
        malformed.send(rq)
        let b = malformed.readUntilClosed()
        #expect(b.closed && b.bytes.first == 7, "\(b.bytes)")
        #expect(try stillServes(h))
    }

    @Test func aDataFragmentWithoutItsCommandIsAborted() throws {
        let h = try Harness()
        let p = try RawPeer(port: h.port)
        p.send(associateRQ())
        p.send(PDUCodec.encode(.pData([PDV(contextID: 1, isCommand: false, isLast: true, fragment: [0, 0])])))
        let r = p.readUntilClosed()
        #expect(r.closed && r.bytes.first == 2 && Array(r.bytes.suffix(10)) == [7, 0, 0, 0, 0, 4, 0, 0, 2, 2], "\(r.bytes.suffix(12))")
    }

    @Test func aPeerThatStopsMidPDUIsDroppedAfterTheTimeout() throws {
        let h = try Harness(timeout: 1)
        let p = try RawPeer(port: h.port)
        p.send(Array(associateRQ().prefix(20)))
        let start = Date()
        let r = p.readUntilClosed()
        let took = Date().timeIntervalSince(start)
        #expect(r.closed && took < 5, "closed \(r.closed) after \(took) s")
        // Nothing at all: ARTIM closes the connection too.
        let silent = try RawPeer(port: h.port)
        #expect(silent.readUntilClosed().closed)
    }
}

struct ServeTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
