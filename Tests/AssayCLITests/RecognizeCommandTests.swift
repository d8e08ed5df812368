import AssayCLI
import Foundation
import Testing

/// `assay recognize --dry-run` on the bundled program and the class of 2025, as a registrar runs it.
///
/// Paths are given absolute (no change of working directory, so this suite can run beside others) and the
/// repository root is taken out of the output, so lines read as they do when run from the root.
@Suite("assay recognize on the bundled program and the class of 2025")
struct RecognizeCommandTests {
    static let root = ValidateCommandTests.root.path + "/"
    static let rubric = root + "rubrics/medical-imaging-technology.xml"
    static let cohort = root + "examples/evidence/cohort-2025.xml"

    func run(_ args: [String]) -> (code: Int32, out: String, err: String) {
        let output = Output.captured()
        let code = AssayCommand.run(args + ["--plugins", Self.root + "plugins"], output: output)
        return (
            code, output.standardOutput.replacingOccurrences(of: Self.root, with: ""),
            output.standardError.replacingOccurrences(of: Self.root, with: "")
        )
    }

    func recognize(_ extra: [String] = []) -> (code: Int32, out: String, err: String) {
        run(["recognize", Self.rubric, Self.cohort, "--dry-run", "--as-of", "2025-09-01"] + extra)
    }

    @Test("the text report gives each candidate's block: the cap, the supersession and the window refusal read as the registrar expects")
    func text() {
        let r = recognize()
        // Three refusals wait for incomplete course results (the cohort's deliberate faults): exit 1.
        #expect(r.code == 1)
        #expect(r.err == "")
        #expect(r.out.hasPrefix("Credit recognition for program mit-bsc 2025.1, decision date 2025-09-01\n\nS2025001: 4 credits recognised (cap 16); 2 granted, 7 refused\n"))
        #expect(
            r.out.contains(
                """
                S2025009: 4 credits recognised (cap 16); 1 granted, 1 capped, 7 refused
                  granted     radtech-exempts-dr: exempt-course MIT-201, 4 credits
                              holds rad-tech at intermediate (serial RT-2023-017366), issued 2023-05-20, within 3 years of 2025-09-01
                  refused     ustech-exempts-us: exempt-course MIT-204
                              holds no us-tech certificate

                """))
        #expect(
            r.out.contains(
                """
                  capped      radtech-intermediate-internship: transfer-credit MIT-401
                              the conditions hold (holds rad-tech at intermediate (serial RT-2023-017366), issued 2023-05-20, within 5 years of 2025-09-01; grade 85 by the grade map line for level intermediate), but its 24 credits would bring S2025009's recognised credits to 28, above the program's cap of 16 (4 already recognised)

                """))
        #expect(
            r.out.contains(
                """
                S2025013: 7 credits recognised (cap 16); 2 granted, 1 superseded, 6 refused
                  superseded  radtech-exempts-dr: exempt-course MIT-201 (by nmit-transfers-dr)
                              the conditions hold (holds rad-tech at junior (serial RT-2024-022815), issued 2024-06-30, within 3 years of 2025-09-01), but rule nmit-transfers-dr also grants credit for course MIT-201 and wins: a higher priority (20 over 10)
                  refused     ustech-exempts-us: exempt-course MIT-204
                              holds us-tech at junior (serial US-2021-001187), issued 2021-07-12; the rule needs it issued within 3 years of the decision date 2025-09-01 (that window ended on 2024-07-12)
                  granted     nmit-transfers-dr: transfer-credit MIT-201, 4 credits, grade 88
                              won second in nmit-2025 on 2025-05-18, within 2 years of 2025-09-01; grade 88 by the grade map line for award second

                """))
        #expect(
            r.out.contains(
                """
                  waiting     us-course-exempts-us-practical: exempt-component us-tech/practical
                              the MIT-204 result is incomplete (planes: value 56 is above the maximum 50 (examples/evidence/cohort-2025.xml:517)), and an incomplete result satisfies no condition

                """))
        #expect(
            r.out.hasSuffix(
                "\n13 candidates: 15 granted (40 credits), 1 superseded, 1 capped, 97 refused, 3 waiting for incomplete results\n"
            ))
    }

    @Test("the CSV has one row per candidate and rule, with grants of every kind")
    func csv() {
        let r = recognize(["--format", "csv"])
        #expect(r.code == 1)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(lines.first == "candidate,rule,grant,verdict,credits,grade,reason")
        #expect(lines.count == 1 + 13 * 9)
        #expect(
            lines.contains(
                "S2025002,nmit-transfers-dr,transfer-credit MIT-201,granted,4,95,\"won first in nmit-2025 on 2025-05-18, within 2 years of 2025-09-01; grade 95 by the grade map line for award first; MIT-201 was already passed on the candidate's own result (93.2)\""
            ))
        #expect(
            lines.contains(
                "S2025004,ustech-exempts-us,exempt-course MIT-204,granted,4,,\"holds us-tech at junior (serial US-2023-004512), issued 2023-09-15, within 3 years of 2025-09-01\""
            ))
        #expect(
            lines.contains(
                "S2025001,basics-exempt-radtech-theory,exempt-component rad-tech/theory-basic,granted,,,scored 87.5 in MIT-101 (80 or more needed); scored 87.9 in MIT-102 (80 or more needed); scored 80.9 in MIT-103 (80 or more needed); the candidate already passed the rad-tech theory-basic exam subject (78)"
            ))
        #expect(
            lines.contains(
                "S2025003,equip-cert-or-prize,transfer-credit MIT-301,refused,,,\"no alternative holds: holds x-imaging-equip at elementary (serial 1X-MIE-2024-087412), issued 2024-12-20; the rule needs intermediate or higher; or won no award in nmit-2025\""
            ))
        #expect(
            lines.contains(
                "S2025010,nmit-transfers-dr,transfer-credit MIT-201,refused,,,won third in nmit-2025 on 2025-05-18; the rule needs second or better"
            ))
        let verdicts = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false)[3] }
        #expect(verdicts.filter { $0 == "granted" }.count == 15)
        #expect(verdicts.filter { $0 == "superseded" }.count == 1)
        #expect(verdicts.filter { $0 == "capped" }.count == 1)
        #expect(verdicts.filter { $0 == "refused" }.count == 97)
        // Not final: a rule waiting on an incomplete result (faults (a), (b), (c)).
        #expect(
            lines.filter { $0.split(separator: ",", omittingEmptySubsequences: false)[3] == "waiting" }.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
                == ["S2025005,basics-exempt-radtech-theory", "S2025007,us-course-exempts-us-practical", "S2025011,basics-exempt-radtech-theory"])
    }

    @Test("the JSON carries every decision with the canonical evidence the records are signed over")
    func json() throws {
        let r = recognize(["--format", "json", "--candidate", "S2025002"])
        #expect(r.code == 0)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(doc["asOf"] as? String == "2025-09-01")
        let candidates = try #require(doc["candidates"] as? [[String: Any]])
        #expect(candidates.count == 1)
        #expect(candidates[0]["credits"] as? Int == 11)
        let decisions = try #require(candidates[0]["decisions"] as? [[String: Any]])
        #expect(decisions.map { $0["verdict"] as? String } == ["refused", "refused", "granted", "granted", "granted", "refused", "granted", "refused", "granted"])
        let equipment = decisions[4]
        #expect(equipment["grade"] as? Int == 95)
        let evidence = try #require(equipment["evidence"] as? [[String: Any]])
        #expect(
            evidence.map { $0["canonical"] as? String } == [
                "certificate|ref=x-imaging-equip|level=intermediate|issued=2025-01-10|serial=1X-MIE-2025-110293",
                "award|competition=nmit-2025|award=first|date=2025-05-18",
            ])
        #expect(evidence.map { $0["origin"] as? String } == ["examples/evidence/cohort-2025.xml:173", "examples/evidence/cohort-2025.xml:174"])
    }

    @Test("the same inputs and decision date give the same bytes")
    func deterministic() {
        for format in ["text", "csv", "json"] {
            let a = recognize(["--format", format])
            let b = recognize(["--format", format])
            #expect(a.out == b.out, "\(format)")
            #expect(!a.out.isEmpty)
        }
    }

    @Test("an earlier decision date changes the decisions: S2025001's certificate was not yet issued on 2025-08-01")
    func decisionDate() {
        let r = run(["recognize", Self.rubric, Self.cohort, "--dry-run", "--as-of", "2025-08-01", "--candidate", "S2025001", "--format", "csv"])
        #expect(
            r.out.split(separator: "\n").map(String.init).dropFirst().first
                == "S2025001,radtech-exempts-dr,exempt-course MIT-201,refused,,,\"holds rad-tech at junior (serial RT-2025-031827), but it was issued on 2025-08-28, after the decision date 2025-08-01\""
        )
    }

    @Test("evidence naming a certificate, level or award the program does not have is listed with its place, and exits 1")
    func unknownEvidence() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-recognize-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("admissions.xml")
        try """
            <evidence xmlns="urn:assay:evidence:1" program="mit-bsc">
              <candidate id="A001">
                <certificate ref="rad-tec" level="junior" issued="2025-01-10" serial="RT-1"/>
                <certificate ref="us-tech" level="expert" issued="2025-01-10"/>
                <award competition="nmit-2025" award="gold" date="2025-05-18"/>
              </candidate>
            </evidence>

            """.write(to: file, atomically: true, encoding: .utf8)
        let r = run(["recognize", Self.rubric, file.path, "--dry-run", "--as-of", "2025-09-01", "--format", "csv"])
        #expect(r.code == 1)
        let path = file.path.replacingOccurrences(of: Self.root, with: "")
        #expect(
            r.err == """
                assay: A001's certificate 'rad-tec' (\(path):3) is not a certificate of program mit-bsc; it is not counted
                assay: A001's certificate us-tech at level 'expert' (\(path):4): us-tech has no such level (its levels: junior, intermediate, senior); it is not counted
                assay: A001's award 'gold' in nmit-2025 (\(path):5): nmit-2025 has no such award (its awards: first, second, third); it is not counted

                """)
        let lines = r.out.split(separator: "\n").map(String.init)
        #expect(
            lines[1]
                == "A001,radtech-exempts-dr,exempt-course MIT-201,refused,,,holds no rad-tech certificate (not counted: A001's certificate 'rad-tec' (\(path):3) is not a certificate of program mit-bsc)"
        )
        #expect(
            lines[3]
                == "A001,nmit-transfers-dr,transfer-credit MIT-201,refused,,,\"won no award in nmit-2025 (not counted: A001's award 'gold' in nmit-2025 (\(path):5): nmit-2025 has no such award (its awards: first, second, third))\""
        )
    }

    @Test("wrong usage exits 2 and says what to do")
    func usage() {
        let noMode = run(["recognize", Self.rubric, Self.cohort, "--as-of", "2025-09-01"])
        #expect(noMode.code == 2)
        #expect(
            noMode.err
                == "assay: recognize issues records: give --key KEY and --ledger DB, or --dry-run to decide only\nRun 'assay --help' for usage.\n")
        let badDate = run(["recognize", Self.rubric, Self.cohort, "--dry-run", "--as-of", "2025-02-29"])
        #expect(badDate.code == 2)
        #expect(badDate.err == "assay: --as-of must be a date in the form YYYY-MM-DD, not '2025-02-29'\nRun 'assay --help' for usage.\n")
        let nobody = run(["recognize", Self.rubric, Self.cohort, "--dry-run", "--as-of", "2025-09-01", "--candidate", "S1999999"])
        #expect(nobody.code == 1)
        #expect(nobody.err == "assay: no evidence names candidate 'S1999999'\n")
        #expect(run(["recognize", "--help"]).out.hasPrefix("USAGE: assay recognize RUBRIC EVIDENCE..."))
    }
}
