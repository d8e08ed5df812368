import AssayModel
import Foundation
import Testing

@testable import AssayLoader

/// Direction controls (U+202E and its kin) make an id show in another order than it is stored: `S2` followed by
/// U+202E and `1S` shows as another candidate's id on screen. Both readers refuse them in ids and values as they
/// refuse control characters; elsewhere in the text (Chinese punctuation, typographic quotes: the same lead
/// byte 0xE2) nothing changes.
@Suite("Direction controls in ids")
struct DirectionControlTests {
    @Test("the scalars recognised are exactly U+200E, U+200F, U+202A–U+202E and U+2066–U+2069")
    func scalars() {
        var found: [UInt32] = []
        for b1 in UInt8(0x80)...0xBF {
            for b2 in UInt8(0x80)...0xBF { if let s = DirectionControl.scalar(0xE2, b1, b2) { found.append(s) } }
        }
        #expect(found == [0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069])
        // Each is the scalar its UTF-8 bytes encode.
        for s in found {
            let bytes = Array(String(Unicode.Scalar(s)!).utf8)
            #expect(DirectionControl.scalar(bytes[0], bytes[1], bytes[2]) == s)
        }
    }

    @Test("a CSV mark sheet: the row whose candidate id holds U+202E is refused at its line:column; “quotes” in a reason are fine")
    func csv() throws {
        let csv = "candidate,target,node,judge,value,reason\nS1,K,B1,J1,2,\n\u{202E}1S,K,B1,J1,3,\nS3,K,B1,J1,1,“checked” — 已复核\n"
        let r = try CSVMarkSheetStreamTests.read("bidi.csv", csv)
        #expect(r.diagnostics == [
            "\(r.path):3:1: error: the candidate id in column A (candidate) of row 3 holds the control character U+202E; the row is not read [csv-control-character]"
        ])
        #expect(r.candidates == ["S1: B1/J1=2@2", "S3: B1/J1=1@4"])
    }

    @Test("evidence XML: a judge written with &#x202E; is an error at its attribute; the candidate is in doubt")
    func xml() throws {
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <evidence xmlns="urn:assay:evidence:1" program="faults">
              <candidate id="S1">
                <mark target="K" node="B1" judge="J1&#x202E;" value="2"/>
              </candidate>
            </evidence>
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-bidi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bidi.xml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var doubted: [String] = []
        let diagnostics = EvidenceReader(program: "faults").read([path]) { c in
            if c.problems.contains(where: \.concernsWholeCandidate) { doubted.append(c.id) }
        }
        #expect(diagnostics.map(\.formatted) == [
            "\(path):4:32: error: the judge of <mark> in candidate 'S1' holds the control character U+202E (a direction control: the id would show in another order); the <mark> is not counted, and no credit is issued to the candidate until the evidence is corrected [evidence-control-character]"
        ])
        #expect(doubted == ["S1"])
    }
}
