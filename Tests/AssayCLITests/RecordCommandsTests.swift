import AssayModel
import AssayRecognition
import Foundation

@testable import AssayCLI
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Helpers shared by the record command tests: a scratch folder, in-process runs, the built binary.
enum RecordsCLI {
    static let root = ValidateCommandTests.root
    static let rubric = "rubrics/medical-imaging-technology.xml"
    static let cohort = "examples/evidence/cohort-2025.xml"
    static let schema = "Tests/AssayRecordsTests/Fixtures/achievementcredential.json"

    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-records-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The Python of the virtual environment `make pydeps` makes under `.build/venv` (PyJWT, cryptography,
    /// jsonschema): the independent verifier never runs on the system's Python, which Debian keeps closed to pip.
    static func python() throws -> URL {
        let venv = root.appendingPathComponent(".build/venv/bin/python3")
        try #require(
            FileManager.default.isExecutableFile(atPath: venv.path),
            "no Python virtual environment at .build/venv: run the tests with `make test` (it runs `make pydeps`)")
        return venv
    }

    /// The built `assay` executable next to the test bundle.
    static func binary() throws -> URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("assay"), bundle.appendingPathComponent("assay")]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) })
    }

    /// Runs an executable to completion in the repository root; returns exit status and standard output.
    static func exec(_ executable: URL, _ args: [String], environment: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        p.currentDirectoryURL = root
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        final class Box: @unchecked Sendable { var data = Data() }
        let errData = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.data, as: UTF8.self))
    }

    static func lines(_ s: String) -> [String] { s.split(separator: "\n").map(String.init) }
}

@Suite("assay keygen, recognize, records, verify, revoke, export — a registrar's session", .serialized)
struct RecordCommandsTests {
    @Test("keygen writes an owner-only key, prints its did:key, and refuses to overwrite")
    func keygen() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let r = runAssay(["keygen", "--out", key])
        #expect(r.code == 0)
        #expect(r.out.hasPrefix("did:key:z6Mk") && r.out.hasSuffix("\n") && RecordsCLI.lines(r.out).count == 1)
        #expect(r.err == "wrote \(key) (Ed25519, mode 0600)\n")
        #expect(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int == 0o600)
        let again = runAssay(["keygen", "--out", key])
        #expect(again.code == 1)
        #expect(again.err == "assay: \(key) already exists; not overwritten (give --force to replace it)\n")
        let rsa = runAssay(["keygen", "--out", dir.appendingPathComponent("rsa.pem").path, "--alg", "RS256"])
        #expect(rsa.code == 0 && rsa.out.hasPrefix("did:key:z4MX"))
        #expect(runAssay(["keygen"]).code == 2)
        #expect(runAssay(["keygen", "--out", key + "2", "--alg", "ES256"]).err.hasPrefix("assay: --alg must be one of EdDSA, RS256, not 'ES256'"))
    }

    @Test("recognize issues 12 records for the example cohort (S2025005's 2 held back: awaiting evidence), idempotently; records, verify, export, revoke work on them")
    func registrarSession() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        let recognize = ["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", key, "--ledger", db]

        let first = runAssay(recognize)
        #expect(first.code == 1)  // the cohort's deliberate evidence faults; the other candidates' grants are issued
        #expect(
            RecordsCLI.lines(first.out).filter { $0.hasPrefix("not issued ") } == [
                "not issued  S2025005: 2 granted decisions held back: rule basics-exempt-radtech-theory waits for an incomplete result; issue them once the results are complete"
            ])
        let issued = RecordsCLI.lines(first.out).filter { $0.hasPrefix("issued ") }
        #expect(issued.count == 12)
        #expect(issued.first == "issued b9042946-8f72-8074-8f03-08812da8a0c2  S2025001  MIT-201  rule radtech-exempts-dr")
        #expect(issued.contains("issued 2e2b1815-401c-8d27-bb6d-6b53539bf90f  S2025002  rad-tech/theory-basic  rule basics-exempt-radtech-theory"))
        #expect(RecordsCLI.lines(first.out).dropLast().last == "12 issued, 0 already issued, 2 held back (awaiting evidence) in \(db)")
        #expect(RecordsCLI.lines(first.out).last?.hasPrefix("head: row 12 sha256 ") == true)

        let second = runAssay(recognize)
        #expect(RecordsCLI.lines(second.out).filter { $0.hasPrefix("issued ") }.isEmpty)
        #expect(RecordsCLI.lines(second.out).filter { $0.hasPrefix("already issued ") }.count == 12)
        #expect(second.out.contains("already issued b9042946-8f72-8074-8f03-08812da8a0c2  S2025001  MIT-201  rule radtech-exempts-dr\n"))
        #expect(RecordsCLI.lines(second.out).dropLast().last == "0 issued, 12 already issued, 2 held back (awaiting evidence) in \(db)")

        let all = runAssay(["records", "--ledger", db])
        #expect(all.code == 0)
        #expect(RecordsCLI.lines(all.out).count == 13)
        #expect(RecordsCLI.lines(all.out).last == "12 records (12 active, 0 revoked)")
        let s2 = runAssay(["records", "--ledger", db, "--candidate", "S2025002"])
        #expect(RecordsCLI.lines(s2.out).last == "5 records (5 active, 0 revoked)")
        let mit301 = runAssay(["records", "--ledger", db, "--course", "MIT-301"])
        #expect(RecordsCLI.lines(mit301.out).dropLast().allSatisfy { $0.contains("  MIT-301  equip-cert-or-prize  ") })
        #expect(RecordsCLI.lines(mit301.out).last == "3 records (3 active, 0 revoked)")

        let verified = runAssay(["verify", "--ledger", db])
        #expect(verified.code == 0)
        #expect(RecordsCLI.lines(verified.out).first == "checked 12 records in \(db): 12 valid, 0 revoked, 0 failed")
        #expect(RecordsCLI.lines(verified.out).last?.hasPrefix("chain: 12 rows, intact; head row 12 sha256 ") == true)

        let id = "2e2b1815-401c-8d27-bb6d-6b53539bf90f"
        let exported = dir.appendingPathComponent("record.json").path
        #expect(runAssay(["export", id, "--ledger", db, "--out", exported]).code == 0)
        let file = runAssay(["verify", exported])
        #expect(file.code == 0)
        #expect(RecordsCLI.lines(file.out).first?.hasPrefix("\(exported): record \(id) verifies: signed by did:key:z6Mk") == true)
        #expect(file.out.hasSuffix(", candidate S2025002, rule basics-exempt-radtech-theory\nissuer not checked: give --issuer DID (the institution's did:key) to check who signed it\nstatus not checked: a file cannot say whether the issuer has since revoked it; the issuer's 'assay verify --ledger' does\n"))
        let jwt = runAssay(["export", id, "--ledger", db, "--jwt"])
        #expect(jwt.out.split(separator: ".").count == 3)
        let jwtFile = dir.appendingPathComponent("record.jwt").path
        try jwt.out.write(toFile: jwtFile, atomically: true, encoding: .utf8)
        #expect(runAssay(["verify", jwtFile]).code == 0)
        // Change one whole base64url character inside the signature (6 signature bits; the last characters
        // can carry padding bits, so changing them may leave the signature as it was).
        var forgedChars = Array(jwt.out.trimmingCharacters(in: .newlines))
        forgedChars[forgedChars.count - 10] = forgedChars[forgedChars.count - 10] == "A" ? "B" : "A"
        let forged = String(forgedChars)
        try forged.write(toFile: jwtFile, atomically: true, encoding: .utf8)
        let bad = runAssay(["verify", jwtFile])
        #expect(bad.code == 1)
        #expect(RecordsCLI.lines(bad.out).first?.hasPrefix("\(jwtFile): record \(id): the signature does not verify against the issuer key did:key:z6Mk") == true)
        #expect(RecordsCLI.lines(bad.out).last == "\(jwtFile): record \(id) FAILED verification (1 problem)")

        let revoke = runAssay(["revoke", id, "--ledger", db, "--reason", "component exemption granted in error"])
        #expect(revoke.code == 0)
        #expect(revoke.out.hasPrefix("revoked \(id)  S2025002  rad-tech/theory-basic  "))
        #expect(RecordsCLI.lines(revoke.out)[0].hasSuffix(": component exemption granted in error"))
        #expect(RecordsCLI.lines(revoke.out)[1].hasPrefix("head: row 13 sha256 "))
        let after = runAssay(["verify", "--ledger", db])
        #expect(after.code == 1)
        let afterLines = RecordsCLI.lines(after.out)
        #expect(afterLines.count == 3)
        #expect(afterLines[0].hasPrefix("record \(id) (row 6): revoked on "))
        #expect(afterLines[0].hasSuffix(": component exemption granted in error"))
        #expect(afterLines[1] == "checked 12 records in \(db): 11 valid, 1 revoked, 0 failed")
        #expect(afterLines[2].hasPrefix("chain: 13 rows, intact; head row 13 sha256 "))
        let one = runAssay(["verify", "--ledger", db, "--id", "b9042946-8f72-8074-8f03-08812da8a0c2"])
        #expect(one.code == 0)
        #expect(RecordsCLI.lines(one.out).first == "checked 1 record in \(db): 1 valid, 0 revoked, 0 failed")
        #expect(RecordsCLI.lines(runAssay(["records", "--ledger", db, "--status", "revoked"]).out).last == "1 record (0 active, 1 revoked)")
        let twice = runAssay(["revoke", id, "--ledger", db, "--reason", "again"])
        #expect(twice.code == 1)
        #expect(twice.err.hasPrefix("assay: record \(id) is already revoked ("))
        let exportedRevoked = dir.appendingPathComponent("revoked.json").path
        #expect(runAssay(["export", id, "--ledger", db, "--out", exportedRevoked]).code == 0)
        let revokedFile = runAssay(["verify", exportedRevoked])
        #expect(revokedFile.code == 1)
        #expect(revokedFile.out.hasSuffix(": component exemption granted in error\n"))
    }

    @Test("the ledger is tied to its issuer's key; heads, --issuer, re-running after revoke, and export refusing to overwrite")
    func reviewFixes() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let other = dir.appendingPathComponent("other.pem").path
        let db = dir.appendingPathComponent("records.db").path
        let did = RecordsCLI.lines(runAssay(["keygen", "--out", key]).out)[0]
        let otherDID = RecordsCLI.lines(runAssay(["keygen", "--out", other]).out)[0]
        let recognize = ["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--ledger", db]
        let first = runAssay(recognize + ["--key", key])
        let head = try #require(RecordsCLI.lines(first.out).last)
        #expect(head.hasPrefix("head: row 12 sha256 "))
        let kept = String(head.dropFirst("head: row ".count).prefix { $0 != " " }) + ":" + String(head.dropFirst("head: row 12 sha256 ".count).prefix(64))

        // Another key cannot issue into the ledger.
        let wrongKey = runAssay(recognize + ["--key", other])
        #expect(wrongKey.code == 1)
        #expect(wrongKey.err.hasSuffix(
            "assay: the key is not this ledger's issuer: the records in \(db) are issued by \(did), and the key given is \(otherDID); issue with the ledger's key, or into a new ledger for a new issuer\n"))
        #expect(RecordsCLI.lines(runAssay(["records", "--ledger", db]).out).last == "12 records (12 active, 0 revoked)")

        // The kept head verifies; a wrong one does not.
        #expect(runAssay(["verify", "--ledger", db, "--head", kept, "--issuer", did]).code == 0)
        let wrongIssuer = runAssay(["verify", "--ledger", db, "--issuer", otherDID])
        #expect(wrongIssuer.code == 1)
        #expect(wrongIssuer.out.contains("the ledger's issuer is \(did), not \(otherDID)\n"))

        // The record's credential carries the decision date.
        let id = "2e2b1815-401c-8d27-bb6d-6b53539bf90f"
        let exported = dir.appendingPathComponent("record.json").path
        #expect(runAssay(["export", id, "--ledger", db, "--out", exported]).code == 0)
        #expect(try String(contentsOfFile: exported, encoding: .utf8).contains(#""decisionDate": "2026-07-01""#))
        // verify FILE --issuer: the right one passes, another fails naming the signer.
        let good = runAssay(["verify", exported, "--issuer", did])
        #expect(good.code == 0 && !good.out.contains("issuer not checked"))
        let bad = runAssay(["verify", exported, "--issuer", otherDID])
        #expect(bad.code == 1)
        #expect(bad.out.contains("\(exported): record \(id): signed by \(did), not by the issuer \(otherDID)\n"))

        // export refuses to overwrite a file (here: the private key) unless --force.
        let keyText = try String(contentsOfFile: key, encoding: .utf8)
        let overwrite = runAssay(["export", id, "--ledger", db, "--out", key])
        #expect(overwrite.code == 1)
        #expect(overwrite.err == "assay: \(key) already exists; not overwritten (give --force to replace it)\n")
        #expect(try String(contentsOfFile: key, encoding: .utf8) == keyText)
        #expect(runAssay(["export", id, "--ledger", db, "--out", exported, "--force"]).code == 0)

        // After revoke, re-running recognize does not say "already issued" and exits 1.
        let revoke = runAssay(["revoke", id, "--ledger", db, "--reason", "granted in error"])
        #expect(revoke.code == 0)
        let again = runAssay(recognize + ["--key", key])
        #expect(again.code == 1)
        let revokedLine = try #require(RecordsCLI.lines(again.out).first { $0.hasPrefix("revoked ") })
        #expect(revokedLine.hasPrefix("revoked \(id)  S2025002  rad-tech/theory-basic  rule basics-exempt-radtech-theory: revoked on "))
        #expect(revokedLine.hasSuffix(" (granted in error); not issued again"))
        #expect(
            RecordsCLI.lines(again.out).dropLast().last
                == "0 issued, 11 already issued, 1 revoked (not issued again), 2 held back (awaiting evidence) in \(db)")
        #expect(again.err.contains(
            "assay: a revoked record is never issued again for the same candidate, rule and evidence; a corrected record needs new evidence or a new rule\n"))
        // The old head still verifies (history before it is unchanged); a rewritten row 12 would not.
        #expect(runAssay(["verify", "--ledger", db, "--head", kept]).out.contains("chain: 13 rows, intact"))
        let cut = runAssay(["verify", "--ledger", db, "--head", "14:" + String(repeating: "0", count: 64)])
        #expect(cut.code == 1)
        #expect(cut.out.contains("the ledger has no row 14 (it ends at row 13), but you kept row 14 as a head: rows were cut off\n"))
    }

    @Test("a candidate who appears twice in one evidence file, or whose element is malformed, gets no records until the file is corrected; exit 1")
    func heldBackWhenReadTwice() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        let evidence = dir.appendingPathComponent("twice.xml").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        // S2025001's whole <candidate> element from the cohort (lines 3–…), then the same id again, empty.
        let cohort = try String(contentsOf: RecordsCLI.root.appendingPathComponent(RecordsCLI.cohort), encoding: .utf8)
        let start = try #require(cohort.range(of: "  <candidate id=\"S2025001\">"))
        let end = try #require(cohort.range(of: "</candidate>\n", range: start.upperBound..<cohort.endIndex))
        let block = String(cohort[start.lowerBound..<end.upperBound])
        let text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"mit-bsc\">\n"
            + block + "  <candidate id=\"S2025001\"/>\n</evidence>\n"
        try text.write(toFile: evidence, atomically: true, encoding: .utf8)
        let again = 3 + block.split(separator: "\n").count
        let doubt =
            "candidate 'S2025001' appears again (first at line 3); put all of a candidate's items in one <candidate> element, or in separate files (\(evidence):\(again))"

        let dry = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2026-07-01", "--dry-run"])
        #expect(dry.code == 1)
        #expect(dry.err.contains("assay: \(doubt): no credit is issued to S2025001 until the evidence is corrected\n"))

        let issuing = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2026-07-01", "--key", key, "--ledger", db])
        #expect(issuing.code == 1)
        let lines = RecordsCLI.lines(issuing.out).filter { !$0.hasPrefix(" ") && !$0.isEmpty }
        #expect(lines.contains("not issued  S2025001: 2 granted decisions held back: \(doubt); correct the evidence and run again"))
        #expect(!lines.contains { $0.hasPrefix("issued ") })
        #expect(lines.dropLast().last == "0 issued, 0 already issued, 2 held back (evidence to correct) in \(db)")

        // Malformed inside the candidate (an attribute value without quotes on its last line): said once,
        // though every one of S2025001's outcomes carries it.
        let lastGrade = try #require(block.range(of: "value=\"", options: .backwards))
        let broken = block.replacingCharacters(in: lastGrade, with: "value=")
        try ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"mit-bsc\">\n" + broken
            + "</evidence>\n").write(toFile: evidence, atomically: true, encoding: .utf8)
        let misread = runAssay(["recognize", RecordsCLI.rubric, evidence, "--as-of", "2026-07-01", "--dry-run"])
        #expect(misread.code == 1)
        let said = RecordsCLI.lines(misread.err).filter { $0.hasSuffix(": no credit is issued to S2025001 until the evidence is corrected") }
        #expect(said.count == 1)
        #expect(said.first?.components(separatedBy: "the evidence file is malformed at line").count == 2)
    }

    @Test("record issuing holds back the grants of a candidate whose decisions await evidence")
    func heldBackWhileAwaiting() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        let program = try #require(ValidRubric.load(RecordsCLI.root.appendingPathComponent(RecordsCLI.rubric).path, pluginDirectory: nil, output: Output.captured())).program
        let decision = { (candidate: String) in
            RecognitionDecision(
                candidate: candidate, ruleID: "radtech-exempts-dr", grant: .exemptCourse(ref: "MIT-201", origin: .synthetic()), verdict: .granted,
                credits: 4, reason: "holds rad-tech")
        }
        let output = Output.captured()
        let code = RecordIssuing.issue(
            [decision("S2025001"), decision("S2025013")], program: program, rubricSHA256: "x", keyPath: key, ledgerPath: db,
            issuedAt: Date(timeIntervalSince1970: 1_782_806_400), holdBack: ["S2025013": .awaitingEvidence(rules: ["basics-exempt-radtech-theory"])], output: output)
        #expect(code == 1)
        let lines = RecordsCLI.lines(output.standardOutput)
        #expect(lines.first == "not issued  S2025013: 1 granted decision held back: rule basics-exempt-radtech-theory waits for an incomplete result; issue them once the results are complete")
        #expect(lines[1].hasPrefix("issued ") && lines[1].hasSuffix("  S2025001  MIT-201  rule radtech-exempts-dr"))
        #expect(lines[2] == "1 issued, 0 already issued, 1 held back (awaiting evidence) in \(db)")
        // Held back again after S2025001's record was issued: it is said to stay as it is.
        let again = Output.captured()
        _ = RecordIssuing.issue(
            [decision("S2025001")], program: program, rubricSHA256: "x", keyPath: key, ledgerPath: db,
            issuedAt: Date(timeIntervalSince1970: 1_782_806_400), holdBack: ["S2025001": .awaitingEvidence(rules: [])], output: again)
        #expect(
            RecordsCLI.lines(again.standardOutput).first
                == "not issued  S2025001: 1 granted decision held back: other decisions await an incomplete result; issue them once the results are complete (the 1 active record S2025001 already has stays as it is)")
    }

    @Test("verify, records and export read a ledger they cannot write; keygen leaves no temporary file")
    func readOnlyLedger() throws {
        let dir = try RecordsCLI.scratch()
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: dir.path)
            try? FileManager.default.removeItem(at: dir)
        }
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("received.db").path
        #expect(runAssay(["keygen", "--out", key]).code == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["issuer.pem"])
        _ = runAssay(["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", key, "--ledger", db])
        // A received copy, as `.backup` or another tool may leave it: rollback journal, not WAL.
        let python = URL(fileURLWithPath: "/usr/bin/env")
        let converted = try RecordsCLI.exec(
            python, ["python3", "-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute('PRAGMA journal_mode=DELETE').fetchone()[0])", db])
        #expect(converted.out == "delete\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        #expect(runAssay(["verify", "--ledger", db]).code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)  // not switched to WAL
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: db)
        let verified = runAssay(["verify", "--ledger", db])
        #expect(verified.err == "")
        #expect(verified.code == 0)
        #expect(RecordsCLI.lines(runAssay(["records", "--ledger", db]).out).last == "12 records (12 active, 0 revoked)")
        #expect(runAssay(["export", "2e2b1815-401c-8d27-bb6d-6b53539bf90f", "--ledger", db, "--jwt"]).code == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    @Test("commands say what is wrong with a missing ledger, an unknown record or a missing reason")
    func mistakes() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("none.db").path
        let missing = runAssay(["records", "--ledger", db])
        #expect(missing.code == 1)
        #expect(missing.err == "assay: there is no ledger at \(db); records are issued into one with 'assay recognize … --key KEY --ledger \(db)'\n")
        #expect(runAssay(["revoke", "x", "--ledger", db]).err == "assay: revoke needs --reason TEXT: say why the record is withdrawn\nRun 'assay --help' for usage.\n")
        #expect(runAssay(["verify"]).code == 2)
        let noKey = runAssay([
            "recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", dir.appendingPathComponent("k.pem").path,
            "--ledger", db,
        ])
        #expect(noKey.code == 1)
        #expect(noKey.err.hasSuffix("assay: cannot read the key file \(dir.appendingPathComponent("k.pem").path); check the path, or make a key with 'assay keygen --out \(dir.appendingPathComponent("k.pem").path)'\n"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}

@Suite("Records another institution can verify without Assay", .serialized)
struct IndependentVerifierTests {
    @Test("PyJWT + cryptography verify every issued JWT with the key from its did:key, and jsonschema validates every credential against the official OB 3.0 schema")
    func pythonVerifier() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let python = try RecordsCLI.python()
        let ed = dir.appendingPathComponent("ed.pem").path
        let rsa = dir.appendingPathComponent("rsa.pem").path
        #expect(runAssay(["keygen", "--out", ed]).code == 0)
        #expect(runAssay(["keygen", "--out", rsa, "--alg", "RS256"]).code == 0)
        for (key, name) in [(ed, "ed.db"), (rsa, "rsa.db")] {
            let db = dir.appendingPathComponent(name).path
            _ = runAssay(["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", key, "--ledger", db])
            let r = try RecordsCLI.exec(python, ["scripts/verify-records", "--schema", RecordsCLI.schema, "--ledger", db])
            #expect(r.err == "")
            #expect(r.code == 0)
            let lines = RecordsCLI.lines(r.out)
            #expect(lines.filter { $0.hasPrefix("ok ") }.count == 12)
            #expect(lines.last?.hasPrefix("verified 12 records independently: 12 valid, 0 revoked, 0 failed (PyJWT ") == true)
            #expect(lines.dropLast().last?.hasPrefix("chain: 12 rows, intact; head row 12 sha256 ") == true)
        }
        // It reads revocations, recomputes the chain as Assay does, and checks the ledger's issuer.
        let edDB = dir.appendingPathComponent("ed.db").path
        #expect(runAssay(["revoke", "b9042946-8f72-8074-8f03-08812da8a0c2", "--ledger", edDB, "--reason", "granted in error"]).code == 0)
        let head = try #require(RecordsCLI.lines(runAssay(["verify", "--ledger", edDB]).out).last)
        let afterRevoke = try RecordsCLI.exec(python, ["scripts/verify-records", "--schema", RecordsCLI.schema, "--ledger", edDB])
        #expect(afterRevoke.code == 1)
        let revokedLines = RecordsCLI.lines(afterRevoke.out)
        #expect(revokedLines.filter { $0.hasPrefix("revoked b9042946-8f72-8074-8f03-08812da8a0c2 urn:uuid:b9042946-8f72-8074-8f03-08812da8a0c2: revoked on ") }.count == 1)
        #expect(revokedLines.dropLast().last == head)  // the same chain head as Assay's
        #expect(revokedLines.last?.hasPrefix("verified 12 records independently: 11 valid, 1 revoked, 0 failed (PyJWT ") == true)
        let edited = try RecordsCLI.exec(python, ["scripts/verify-records", "--schema", RecordsCLI.schema, "--ledger", edDB, "--issuer", "did:key:z6MkothER"])
        #expect(edited.code == 1)
        #expect(edited.out.contains("FAIL chain: the ledger's issuer is did:key:z6Mk"))
        // The same verifier rejects a record whose signed payload was changed, and a credential the schema refuses.
        let db = dir.appendingPathComponent("ed.db").path
        let jwt = runAssay(["export", "b9042946-8f72-8074-8f03-08812da8a0c2", "--ledger", db, "--jwt"]).out
        let parts = jwt.trimmingCharacters(in: .newlines).split(separator: ".").map(String.init)
        let payload = try #require(Data(base64Encoded: base64(parts[1])))
        let changed = String(decoding: payload, as: UTF8.self).replacingOccurrences(of: "\"creditsEarned\":4", with: "\"creditsEarned\":9")
        let forged = dir.appendingPathComponent("forged.jwt").path
        try [parts[0], Data(changed.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: ""), parts[2]].joined(separator: ".").write(toFile: forged, atomically: true, encoding: .utf8)
        let r = try RecordsCLI.exec(python, ["scripts/verify-records", "--schema", RecordsCLI.schema, forged])
        #expect(r.code == 1)
        #expect(RecordsCLI.lines(r.out) == [
            "FAIL \(forged): PyJWT rejects the token: Signature verification failed",
            "verified 1 record independently: 0 valid, 0 revoked, 1 failed (PyJWT 2.15.1, jsonschema draft 2019-09)",
        ].map { $0.replacingOccurrences(of: "2.15.1", with: pyjwtVersion(r.out)) })
    }

    func base64(_ s: String) -> String {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        t += String(repeating: "=", count: (4 - t.count % 4) % 4)
        return t
    }

    func pyjwtVersion(_ out: String) -> String {
        guard let r = out.range(of: "(PyJWT ") else { return "?" }
        return String(out[r.upperBound...].prefix { $0 != "," })
    }
}

@Suite("Crash safety: a batch killed with SIGKILL and run again", .serialized)
struct CrashTests {
    @Test("kill -9 during a 10,000-record batch, re-run: exactly one record per grant and the chain verifies")
    func killedBatch() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let assay = try RecordsCLI.binary()
        let key = dir.appendingPathComponent("issuer.pem").path
        let db = dir.appendingPathComponent("records.db").path
        let evidence = dir.appendingPathComponent("cohort-10000.xml").path
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"mit-bsc\">\n"
        for i in 0..<10_000 {
            let id = String(format: "C%05d", i)
            xml += "  <candidate id=\"\(id)\"><certificate ref=\"rad-tech\" level=\"junior\" issued=\"2025-08-28\" serial=\"RT-\(id)\"/></candidate>\n"
        }
        xml += "</evidence>\n"
        try xml.write(toFile: evidence, atomically: true, encoding: .utf8)
        #expect(try RecordsCLI.exec(assay, ["keygen", "--out", key]).code == 0)
        let args = [
            "recognize", RecordsCLI.root.appendingPathComponent(RecordsCLI.rubric).path, evidence, "--as-of", "2026-07-01", "--key", key, "--ledger", db, "--format", "csv",
        ]
        // Every one of the 10,000 candidates holds the certificate that exempts MIT-201: 10,000 grants.
        let dry = try RecordsCLI.exec(assay, Array(args.prefix(5)) + ["--dry-run", "--format", "csv"])
        #expect(RecordsCLI.lines(dry.out).filter { $0.contains(",granted,") }.count == 10_000)

        // Start the batch, wait until some records are committed, and kill it without warning.
        var pid: pid_t = 0
        let argv = [assay.path] + args
        let cargs = argv.map { strdup($0) } + [nil]
        defer { cargs.forEach { free($0) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        defer { posix_spawn_file_actions_destroy(&actions) }
        #expect(posix_spawn(&pid, assay.path, &actions, nil, cargs, environ) == 0)
        var before = 0
        let deadline = Date().addingTimeInterval(600)
        while before == 0, Date() < deadline {
            usleep(20_000)
            if FileManager.default.fileExists(atPath: db) {
                let count = try? RecordsCLI.exec(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"select count(*) from ledger where kind='issue'\").fetchone()[0])", db])
                before = Int(count?.out.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
            }
        }
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status & 0x7f == SIGKILL)  // it was killed, not finished
        let records = runAssay(["records", "--ledger", db])
        let partial = Int(RecordsCLI.lines(records.out).last?.split(separator: " ").first ?? "") ?? -1
        #expect(partial >= 1 && partial < 10_000, "killed part-way: \(partial) records")

        // Run it again: the rest is issued, nothing twice.
        let rerun = try RecordsCLI.exec(assay, args)
        #expect(RecordsCLI.lines(rerun.err).dropLast().last == "\(10_000 - partial) issued, \(partial) already issued in \(db)")
        #expect(RecordsCLI.lines(rerun.err).last?.hasPrefix("head: row 10000 sha256 ") == true)
        let final = runAssay(["records", "--ledger", db])
        let lines = RecordsCLI.lines(final.out)
        #expect(lines.last == "10000 records (10000 active, 0 revoked)")
        let candidates = Set(lines.dropLast().map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] })
        #expect(candidates.count == 10_000)
        let verify = try RecordsCLI.exec(assay, ["verify", "--ledger", db])
        #expect(verify.code == 0)
        #expect(RecordsCLI.lines(verify.out).first == "checked 10000 records in \(db): 10000 valid, 0 revoked, 0 failed")
        #expect(RecordsCLI.lines(verify.out).last?.hasPrefix("chain: 10000 rows, intact; head row 10000 sha256 ") == true)
    }

    @Test("the same inputs, key and SOURCE_DATE_EPOCH give byte-identical records")
    func deterministic() throws {
        let dir = try RecordsCLI.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let assay = try RecordsCLI.binary()
        let key = dir.appendingPathComponent("issuer.pem").path
        #expect(try RecordsCLI.exec(assay, ["keygen", "--out", key]).code == 0)
        var exports: [String] = []
        for name in ["a.db", "b.db"] {
            let db = dir.appendingPathComponent(name).path
            _ = try RecordsCLI.exec(
                assay, ["recognize", RecordsCLI.rubric, RecordsCLI.cohort, "--as-of", "2026-07-01", "--key", key, "--ledger", db],
                environment: ["SOURCE_DATE_EPOCH": "1782806400"])
            exports.append(try RecordsCLI.exec(assay, ["export", "a08c073e-a9a5-8c64-972d-ebbfbdd7a24e", "--ledger", db]).out)
            let verify = try RecordsCLI.exec(assay, ["verify", "--ledger", db])
            exports.append(RecordsCLI.lines(verify.out).last ?? "")
        }
        #expect(exports[0] == exports[2])
        #expect(exports[0].contains("\"validFrom\": \"2026-06-30T08:00:00Z\""))
        #expect(exports[1] == exports[3])  // the same chain head
    }
}
