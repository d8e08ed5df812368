import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Elements and text where evidence.xsd allows none: a `<candidate>` inside a candidate or inside an item, an
/// `<evidence>` below the root, an element inside an item (with or without a `target`), an element of the
/// evidence namespace that is no item, text inside a candidate or an item (CDATA too), text outside any
/// candidate. Each is the file's error at its line:column; nothing of it is read; the candidate it is in is in
/// doubt as a whole (every outcome incomplete, no credit); its evidence never goes to another candidate; and
/// the valid candidates are scored exactly as without it.
@Suite("Nested candidates, elements inside items and stray text are refused at their place; nothing moves to another candidate")
struct NestedEvidenceTests {
    /// S0 and S9 are valid. Line numbers and columns matter: the diagnostics name them.
    static let text = """
        <?xml version="1.0" encoding="UTF-8"?>
        <evidence xmlns="urn:assay:evidence:1" xmlns:x="urn:x" program="faults">
          <candidate id="S0">
            <grade target="C" node="exam" value="45"/>
            <grade target="C" node="lab" value="30.5"/>
          </candidate>
          <candidate id="S1">
            <grade target="C" node="exam" value="50"><candidate id="S8"> </candidate></grade>
            <grade target="C" node="lab" value="40"/>
          </candidate>
          <candidate id="S2">
            <grade target="C" node="exam" value="50"/>
            <candidate id="S8">
              <grade target="C" node="lab" value="40"/>
            </candidate>
            <grade target="C" node="lab" value="30"/>
          </candidate>
          <candidate id="S3">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="30"/>
            <award competition="nmit" award="third" date="2025-05-18"><x:award award="first"/></award>
          </candidate>
          <candidate id="S4">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="20">40</grade>
          </candidate>
          <candidate id="S5">
            <grade target="C" node="exam" value="50"/>
            <evidence program="faults"><candidate id="S8"/></evidence>
            <grade target="C" node="lab" value="30"/>
          </candidate>
          <candidate id="S6">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="30"/>
            <awrd competition="nmit" award="first" date="2025-05-18"/>
          </candidate>
          <candidate id="S7">
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="30"><![CDATA[35]]></grade>
          </candidate>
          S8 <grade target="C" node="exam" value="60"/>
          <candidate id="S9">
            <!-- a comment and a processing instruction are not evidence, and not errors -->
            <?note checked?>
            <grade target="C" node="exam" value="50"/>
            <grade target="C" node="lab" value="20"/>
          </candidate>
        </evidence>
        """

    /// The same S0 and S9, alone (the look-alike tests' clean file).
    static let valid = ForeignNamespaceEvidenceTests.valid

    @Test("each misplaced element or text is an error at its line:column")
    func diagnostics() throws {
        let r = try EvidenceFaultTests.run("nested.xml", Self.text)
        let p = r.path
        #expect(
            r.diagnostics.map(\.formatted) == [
                "\(p):8:46: error: <candidate id=\"S8\"> is inside <grade> (line 8) of candidate 'S1': a <candidate> belongs directly inside <evidence>; it and the rest of that item's content are not read, and no credit is issued to candidate 'S1' until the evidence is corrected [evidence-nested]",
                "\(p):13:5: error: <candidate id=\"S8\"> is inside candidate 'S2': a <candidate> belongs directly inside <evidence>; it and what it holds are not read, and no credit is issued to candidate 'S2' until the evidence is corrected [evidence-nested]",
                "\(p):21:63: error: <x:award> is inside <award> (line 21) of candidate 'S3': evidence items hold no elements; it is not read, and no credit is issued to candidate 'S3' until the evidence is corrected [evidence-nested]",
                "\(p):25:45: error: the text \"40\" is inside <grade> (line 25) of candidate 'S4': text is not evidence (an item's value is read only from its attributes); no credit is issued to candidate 'S4' until the evidence is corrected [evidence-text]",
                "\(p):29:5: error: <evidence> is inside candidate 'S5': an evidence file has one <evidence>, its root; it and what it holds are not read, and no credit is issued to candidate 'S5' until the evidence is corrected [evidence-nested]",
                "\(p):35:5: error: <awrd> in candidate 'S6' is not an evidence item (use mark, measure, grade, deduction, certificate, award or artifact); it is not counted, and no credit is issued to the candidate until it is corrected [evidence-unknown-item]",
                "\(p):39:54: error: the text \"35\" is inside <grade> (line 39) of candidate 'S7': text is not evidence (an item's value is read only from its attributes); no credit is issued to candidate 'S7' until the evidence is corrected [evidence-text]",
                "\(p):41:3: error: the text \"S8\" is inside <evidence>, outside any candidate: text is not evidence, and it is not read [evidence-text]",
                "\(p):41:6: error: <grade> must be inside a <candidate> [evidence-invalid]",
            ])
    }

    @Test("a nested candidate gets nothing; the outer candidates are in doubt as a whole; the valid ones are unchanged")
    func outcomes() throws {
        let r = try EvidenceFaultTests.run("nested.xml", Self.text)
        let p = r.path
        // S8 (nested three times, and named by stray text) is never a candidate.
        #expect(r.outcomes.map(\.candidate) == ["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S6", "S7", "S9"])
        func status(_ id: String) -> OutcomeStatus? { EvidenceFaultTests.find(r.outcomes, id, "C")?.status }
        #expect(
            status("S1")
                == .incomplete([
                    "<candidate id=\"S8\"> is inside <grade> (line 8) of this candidate: a <candidate> belongs directly inside <evidence>; it and the rest of that item's content are not read (\(p):8)"
                ]))
        #expect(
            status("S2")
                == .incomplete([
                    "<candidate id=\"S8\"> is inside this candidate: a <candidate> belongs directly inside <evidence>; it and what it holds are not read (\(p):13)"
                ]))
        #expect(
            status("S3")
                == .incomplete([
                    "<x:award> is inside <award> (line 21) of this candidate: evidence items hold no elements; it is not read (\(p):21)"
                ]))
        #expect(status("S4") == .incomplete(["the text \"40\" is inside <grade> (line 25) of this candidate: text is not evidence; remove it (\(p):25)"]))
        #expect(
            status("S5")
                == .incomplete(["<evidence> is inside this candidate: an evidence file has one <evidence>, its root; it and what it holds are not read (\(p):29)"]))
        // <awrd> (no item) is left out as before, on its own outcome; S6's grades are scored (not part of this fix).
        #expect(status("S6") == .complete)
        #expect(status("S7") == .incomplete(["the text \"35\" is inside <grade> (line 39) of this candidate: text is not evidence; remove it (\(p):39)"]))
        // The outer candidates keep their own items (nothing of theirs went to S8, nothing of S8's came to them).
        for id in ["S1", "S2", "S3", "S4", "S5", "S7"] {
            #expect(EvidenceFaultTests.find(r.outcomes, id, "C")?.value == nil)
        }

        // The valid candidates are scored exactly as without the rest.
        let clean = try EvidenceFaultTests.run("valid.xml", Self.valid)
        #expect(clean.diagnostics.isEmpty)
        for id in ["S0", "S9"] {
            let o = try #require(EvidenceFaultTests.find(r.outcomes, id, "C"))
            let c = try #require(EvidenceFaultTests.find(clean.outcomes, id, "C"))
            #expect(o.status == .complete)
            #expect(o.score == c.score)
            #expect(o.passed == c.passed)
        }
        #expect(EvidenceFaultTests.find(r.outcomes, "S0", "C")?.score == dec("75.5"))
        #expect(EvidenceFaultTests.find(r.outcomes, "S9", "C")?.score == dec("70"))
    }

    @Test("every candidate with a misplaced element or text is in doubt as a whole (recognition issues it no credit); S2's later grade is its own")
    func wholeCandidate() throws {
        let path = try writeTemporaryFile("nested.xml", Self.text)
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        var doubted: [String] = []
        var s2: CandidateEvidence?
        _ = EvidenceReader(program: "faults").read([path]) { c in
            if c.problems.contains(where: \.concernsWholeCandidate) { doubted.append(c.id) }
            if c.id == "S2" { s2 = c }
        }
        #expect(doubted == ["S1", "S2", "S3", "S4", "S5", "S6", "S7"])  // S6: a misspelt item, <awrd>
        // S2: its exam (line 12) and its own lab grade after the nested candidate (line 16), not S8's (line 14).
        #expect(s2?.items.map { "\($0.node)=\($0.value)@\($0.origin.line)" } == ["exam=50@12", "lab=30@16"])
    }
}
