import AssayCLI
import Foundation
import Testing

/// A `<candidate>` nested inside another candidate's item, run as a registrar runs `recognize --key --ledger`:
/// no record for the nested candidate, none for the outer one, the others' records as from the clean cohort;
/// and an element inside an item with no `target` (`<x:award>` inside `<award>`) refused at its line:column.
@Suite("assay refuses a nested <candidate> and an element inside an item: no record for the wrong person", .serialized)
struct NestedEvidenceCommandTests {
    static let certificate = "    <certificate ref=\"us-tech\" level=\"junior\" issued=\"2021-07-12\" serial=\"US-2021-001187\"/>"

    /// The cohort with `replacement` for S2025013's us-tech certificate line (line 913).
    static func cohort(replacing with: String, in dir: URL, name: String) throws -> String {
        let cohort = try String(contentsOfFile: RecordsCLI.root.appendingPathComponent(RecordsCLI.cohort).path, encoding: .utf8)
        #expect(cohort.components(separatedBy: certificate).count == 2)
        let path = dir.appendingPathComponent(name).path
        try cohort.replacingOccurrences(of: certificate, with: with).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("<candidate id=\"S9\"> inside S2025013's <certificate>: error at 913:91, exit 1, no record for S9 or S2025013, the others' records unchanged")
    func nestedCandidateSignsNothing() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let nested = String(Self.certificate.dropLast(2)) + "><candidate id=\"S9\"> </candidate></certificate>"
        let evidence = try Self.cohort(replacing: nested, in: dir, name: "nested.xml")
        let key = dir.appendingPathComponent("issuer.pem").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)

        let db = dir.appendingPathComponent("nested.db").path
        let issuing = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2025-09-01", "--key", key, "--ledger", db])
        #expect(issuing.code == 1)
        #expect(
            RecordsCLI.lines(issuing.err).contains(
                "\(evidence):913:91: error: <candidate id=\"S9\"> is inside <certificate> (line 913) of candidate 'S2025013': a <candidate> belongs directly inside <evidence>; it and the rest of that item's content are not read, and no credit is issued to candidate 'S2025013' until the evidence is corrected [evidence-nested]"
            ))
        let out = RecordsCLI.lines(issuing.out)
        #expect(!out.contains { $0.hasPrefix("S9:") || $0.contains("  S9  ") || $0.contains("  S9:") })
        let issued = out.filter { $0.hasPrefix("issued ") }
        #expect(!issued.contains { $0.contains("  S2025013  ") })
        #expect(out.contains { $0.hasPrefix("not issued  S2025013: ") })

        // The other candidates get exactly the records the clean cohort gives them.
        let cleanDB = dir.appendingPathComponent("clean.db").path
        let clean = runAssay(["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2025-09-01", "--key", key, "--ledger", cleanDB])
        let cleanIssued = RecordsCLI.lines(clean.out).filter { $0.hasPrefix("issued ") }
        #expect(cleanIssued.contains { $0.contains("  S2025013  ") })
        #expect(issued == cleanIssued.filter { !$0.contains("  S2025013  ") })
        #expect(!issued.isEmpty)
    }

    @Test("<x:award award=\"first\"/> inside S2025013's <award award=\"third\">: recognize --dry-run exits 1 with the error at 914:68")
    func elementInsideItemWithoutTarget() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let real = "    <award competition=\"nmit-2025\" award=\"second\" date=\"2025-05-18\"/>"
        let cohortText = try String(contentsOfFile: RecordsCLI.root.appendingPathComponent(RecordsCLI.cohort).path, encoding: .utf8)
        let lines = cohortText.components(separatedBy: "\n")
        #expect(lines[913] == real)
        var forged = lines
        forged[913] = "    <award competition=\"nmit-2025\" award=\"third\" date=\"2025-05-18\"><x:award xmlns:x=\"urn:x\" award=\"first\"/></award>"
        let evidence = dir.appendingPathComponent("inner.xml").path
        try forged.joined(separator: "\n").write(toFile: evidence, atomically: true, encoding: .utf8)
        let dry = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2025-09-01", "--dry-run"])
        #expect(dry.code == 1)
        #expect(
            RecordsCLI.lines(dry.err).contains(
                "\(evidence):914:68: error: <x:award> is inside <award> (line 914) of candidate 'S2025013': evidence items hold no elements; it is not read, and no credit is issued to candidate 'S2025013' until the evidence is corrected [evidence-nested]"
            ))
    }
}
