import AssayEngine
import AssayLoader
import AssayModel
import Foundation
import Testing

/// Conformance on real data: every dive of 25 FINA / World Aquatics competitions (World Series and World Cups
/// 2015–2021, Fixtures/diving, copied from ../shared/datasets/diving: scraped from the official result PDFs,
/// public repository megan-k-ayers/diving_data) is turned into Assay evidence, read back by `EvidenceReader`,
/// scored with rubrics/conformance/fina-diving.xml, and the `dive1` node (trimmed judges' sum × DD, rounded
/// half-up to 2 decimals) compared with the official `divepts`, exactly, as decimals.
///
/// What the 11,180 data rows are (counted and asserted below; nothing is left out silently):
///
/// | rows   | what                                                                                    | checked |
/// |--------|-----------------------------------------------------------------------------------------|---------|
/// | 11,153 | individual dives, 7 judges, official points a number                                    | Assay = divepts exactly, all 11,153 |
/// |      0 | individual dives with 5 judges                                                          | (none in the data) |
/// |      0 | synchro dives (9 or 11 judges): the files have only J1…J7, and every event is individual | — |
/// |     16 | unparseable official points: `*49.60`, a starred dive (FINA's restart penalty: 2 points off each judge's mark, so 6 off the 3 counting marks; the sheet shows the marks before the penalty) | Assay = (divepts + 6 × DD) exactly: the engine gets the unpenalised points; the rubric does not model the penalty |
/// |     11 | unparseable rows: the scrape shifted columns (J1 holds a running total, J2 a rank, J3 a total, J4–J7 and divepts `NA`) | read and scored: Assay reports dive1 incomplete (judge marks above 10) |
///
/// `NA` in a judge column (R's missing value) is an empty column: no mark is written for it.
@Suite("FINA diving conformance on 25 competitions' official results")
struct DivingConformanceTests {
    /// One data row of a result sheet.
    struct DiveRow: Sendable {
        var file: String
        /// Line in the CSV file (1 = header).
        var row: Int
        /// Non-empty judge columns: (J1…J7, mark as written).
        var marks: [(judge: String, value: String)]
        var dd: String
        var divepts: String

        /// Candidate id: schema-valid (evidence.xsd's Id allows no `#`), unique, traceable to file and row.
        var id: String { "\(file.replacingOccurrences(of: ".csv", with: "")).row\(row)" }

        enum Category: Sendable { case individual, synchro, starred, garbled }

        var category: Category {
            let panel = marks.count
            if [5, 7].contains(panel) {
                if Decimal(plainText: divepts) != nil { return .individual }
                if divepts.hasPrefix("*"), Decimal(plainText: divepts.dropFirst()) != nil { return .starred }
                return .garbled
            }
            return [9, 11].contains(panel) ? .synchro : .garbled
        }
    }

    /// What one run over the whole data set produced (computed once, shared by the tests).
    struct Run: Sendable {
        var rows: [DiveRow] = []
        var outcomes: [String: Outcome] = [:]
        var readerDiagnostics: [Diagnostic] = []
        var evidencePath = ""
        var setupError: String?
    }

    static let run: Run = {
        do { return try compute() } catch {
            var r = Run()
            r.setupError = "\(error)"
            return r
        }
    }()

    static func compute() throws -> Run {
        var run = Run()
        let dir = Repo.fixtures.appendingPathComponent("diving")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted()
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let records = parseCSV(text)
            guard let header = records.first else { continue }
            let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            for (index, fields) in records.enumerated().dropFirst() where fields != [""] {
                func field(_ name: String) -> String {
                    guard let i = column[name], i < fields.count else { return "" }
                    return fields[i].trimmingCharacters(in: .whitespaces)
                }
                let marks = (1...7).compactMap { k -> (judge: String, value: String)? in
                    let v = field("J\(k)")
                    return v.isEmpty || v == "NA" ? nil : ("J\(k)", v)
                }
                run.rows.append(DiveRow(file: file, row: index + 1, marks: marks, dd: field("DD"), divepts: field("divepts")))
            }
        }

        // One evidence file, one <candidate> per dive row.
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"conformance-fina-diving\">\n"
        for row in run.rows {
            xml += "  <candidate id=\"\(escape(row.id))\">\n"
            for m in row.marks {
                xml += "    <mark target=\"fina-individual\" node=\"d1-exec\" judge=\"\(m.judge)\" value=\"\(escape(m.value))\"/>\n"
            }
            xml += "    <measure target=\"fina-individual\" node=\"d1-dd\" value=\"\(escape(row.dd))\"/>\n"
            xml += "  </candidate>\n"
        }
        xml += "</evidence>\n"
        run.evidencePath = try writeTemporaryFile("fina-dives.xml", xml)

        let result = RubricLoader(plugins: []).load(Repo.path("rubrics/conformance/fina-diving.xml"))
        guard let program = result.validProgram else {
            run.setupError = "fina-diving.xml does not load: \(result.diagnostics.map(\.formatted))"
            return run
        }
        let engine = Engine(program: program)
        var outcomes: [String: Outcome] = [:]
        run.readerDiagnostics = EvidenceReader(program: program.id).read([run.evidencePath]) { candidate in
            for o in engine.score(candidate, only: "fina-individual", explain: false) { outcomes[candidate.id] = o }
        }
        run.outcomes = outcomes
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: run.evidencePath).deletingLastPathComponent())
        return run
    }

    /// RFC 4180 records (quoted fields, doubled quotes, LF or CRLF).
    static func parseCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" {
                        field.unicodeScalars.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"": quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r": continue
            case "\n":
                fields.append(field)
                records.append(fields)
                fields = []
                field = ""
            default: field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            records.append(fields)
        }
        return records
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;")
    }

    /// The dive's score: the first child of the competition's root.
    static func dive1(_ o: Outcome?) -> NodeOutcome? { o?.root?.children.first }

    // MARK: - Tests

    @Test("the data set has 11,180 dive rows in 25 result sheets, all read back with no reader diagnostics")
    func everyRowIsRead() throws {
        let run = Self.run
        #expect(run.setupError == nil)
        #expect(Set(run.rows.map(\.file)).count == 25)
        #expect(run.rows.count == 11_180)
        #expect(run.readerDiagnostics.map(\.formatted) == [])
        // Every row became one candidate and got one outcome.
        #expect(run.outcomes.count == 11_180)
    }

    @Test("all 11,153 individual dives (7 judges, numeric divepts) score exactly the official points; there are none with 5 judges")
    func individualDivesMatch() throws {
        let run = Self.run
        let individual = run.rows.filter { $0.category == .individual }
        #expect(individual.count == 11_153)
        #expect(individual.filter { $0.marks.count == 7 }.count == 11_153)
        #expect(individual.filter { $0.marks.count == 5 }.count == 0)

        var matched = 0
        var mismatches: [String] = []
        for row in individual {
            let official = try #require(Decimal(plainText: row.divepts))
            let dive = Self.dive1(run.outcomes[row.id])
            if let dive, dive.status.isComplete, dive.score == official {
                matched += 1
            } else if mismatches.count < 20 {
                let marks = row.marks.map { "\($0.judge)=\($0.value)" }.joined(separator: " ")
                mismatches.append(
                    "\(row.file) row \(row.row): marks \(marks), DD \(row.dd): official \(row.divepts), Assay \(dive?.shownScore ?? "none") \(dive?.status.reasons ?? [])")
            }
        }
        #expect(mismatches == [], "individual dives whose Assay score differs from the official divepts")
        #expect(matched == 11_153)
    }

    @Test("the first dive of the first sheet, by hand: 407C, DD 3.4, marks 8.5 8.0 8.5 8.0 8.5 8.0 8.5 → 85.00")
    func firstDiveByHand() throws {
        let run = Self.run
        let row = try #require(run.rows.first)
        #expect(row.id == "2015_World_Series_Beijing_RESULTS.row2")
        let outcome = try #require(run.outcomes[row.id])
        // Sorted 8.0 8.0 8.0 8.5 8.5 8.5 8.5; 7 judges drop 2 at each end: 8.0 + 8.5 + 8.5 = 25.0; × 3.4 = 85.00.
        #expect(outcome.node("d1-exec")?.score == dec("25"))
        #expect(outcome.node("d1-dd")?.score == dec("3.4"))
        #expect(Self.dive1(outcome)?.score == dec("85"))
        #expect(Self.dive1(outcome)?.shownScore == "85.00")
        // Only dive 1 is in the evidence, so the six-dive total is incomplete, and says why (dives 2-6).
        #expect(outcome.value == nil)
        #expect(
            outcome.status.reasons == (2...6).flatMap { ["d\($0)-exec: nothing recorded", "d\($0)-dd: nothing recorded"] })
    }

    @Test("no synchro rows (9 or 11 judges): the sheets have only J1…J7 columns and every event is individual")
    func noSynchroRows() {
        let run = Self.run
        #expect(run.rows.filter { $0.category == .synchro }.count == 0)
        #expect(run.rows.allSatisfy { $0.marks.count <= 7 })
    }

    /// The official sheet stars these dives' points: a restart penalty of 2 points from each judge's mark.
    static let starredRows = [
        "2015_World_Series_Beijing_RESULTS.row102", "2015_World_Series_Dubai_RESULTS.row152",
        "2015_World_Series_London_RESULTS.row93", "2015_World_Series_Merida_RESULTS.row22",
        "2015_World_Series_Windsor_RESULTS.row151", "2016_World_Series_Beijing_RESULTS.row182",
        "2017_World_Series_Beijing_RESULTS.row111", "2017_World_Series_Beijing_RESULTS.row282",
        "2018_World_Cup_Wuhan_RESULTS.row1078", "2018_World_Cup_Wuhan_RESULTS.row203",
        "2018_World_Series_Montreal_RESULTS.row312", "2019_World_Series_Montreal_RESULTS.row392",
        "2021_World_Cup_RESULTS.row1507", "2021_World_Cup_RESULTS.row562", "2021_World_Cup_RESULTS.row616",
        "2021_World_Cup_RESULTS.row953",
    ]

    @Test("16 rows have starred official points (*49.60, a restart penalty): Assay's unpenalised points are exactly divepts + 6 × DD")
    func starredRowsAreReported() throws {
        let run = Self.run
        let starred = run.rows.filter { $0.category == .starred }
        #expect(starred.map(\.id).sorted() == Self.starredRows.sorted())
        for row in starred {
            let official = try #require(Decimal(plainText: row.divepts.dropFirst()))
            let dd = try #require(Decimal(plainText: row.dd))
            let dive = try #require(Self.dive1(run.outcomes[row.id]))
            #expect(dive.status.isComplete)
            // e.g. Beijing 2015 row 102: marks 7.5 7.5 7.0 7.0 8.0 7.0 6.5, DD 3.2: counting 7.0 + 7.0 + 7.5 = 21.5
            // → 68.80; the sheet's *49.60 = (21.5 − 3 × 2) × 3.2.
            #expect(dive.score == official + 6 * dd, "\(row.file) row \(row.row)")
        }
    }

    /// Rows where the scrape shifted the columns: J1 = a running total, J2 = a rank, J3 = a total, rest NA.
    static let garbledRows = [
        "2015_World_Series_Merida_RESULTS.row348", "2015_World_Series_Merida_RESULTS.row349",
        "2015_World_Series_Merida_RESULTS.row350", "2015_World_Series_Merida_RESULTS.row351",
        "2016_World_Cup_RESULTS.row140", "2016_World_Cup_RESULTS.row141", "2016_World_Cup_RESULTS.row142",
        "2016_World_Cup_RESULTS.row143", "2016_World_Cup_RESULTS.row144", "2019_World_Series_Beijing_RESULTS.row264",
        "2019_World_Series_Beijing_RESULTS.row265",
    ]

    @Test("11 garbled rows (shifted columns, NA judges and points) are scored and reported incomplete, never as a number")
    func garbledRowsAreIncomplete() throws {
        let run = Self.run
        let garbled = run.rows.filter { $0.category == .garbled }
        #expect(garbled.map(\.id).sorted() == Self.garbledRows.sorted())
        for row in garbled {
            #expect(row.marks.count == 3)
            #expect(row.divepts == "NA")
            let dive = try #require(Self.dive1(run.outcomes[row.id]))
            #expect(dive.value == nil)
            #expect(!dive.status.isComplete)
            #expect(run.outcomes[row.id]?.value == nil)
        }
        // One in full: Merida 2015 row 348 has J1 = 138.40, J2 = 6, J3 = 133.75.
        let first = try #require(run.outcomes["2015_World_Series_Merida_RESULTS.row348"])
        #expect(
            first.node("d1-exec")?.status.reasons.map { $0.replacingOccurrences(of: run.evidencePath, with: "EV") } == [
                "d1-exec: judge J1's mark 138.4 is above the maximum 10 (EV:\(Self.evidenceLine(run, row: "2015_World_Series_Merida_RESULTS.row348", mark: 0)))",
                "d1-exec: judge J3's mark 133.75 is above the maximum 10 (EV:\(Self.evidenceLine(run, row: "2015_World_Series_Merida_RESULTS.row348", mark: 2)))",
            ])
    }

    @Test("row counts add up: 11,153 individual + 0 synchro + 16 starred + 11 garbled = 11,180")
    func countsAddUp() {
        let rows = Self.run.rows
        let counts = (
            rows.filter { $0.category == .individual }.count, rows.filter { $0.category == .synchro }.count,
            rows.filter { $0.category == .starred }.count, rows.filter { $0.category == .garbled }.count
        )
        #expect(counts == (11_153, 0, 16, 11))
        #expect(counts.0 + counts.1 + counts.2 + counts.3 == rows.count)
    }

    /// The line of the evidence file that holds mark number `mark` of a row's candidate (as written by compute()).
    static func evidenceLine(_ run: Run, row id: String, mark: Int) -> Int {
        var line = 3  // line 1: declaration, line 2: <evidence>, line 3: the first <candidate>
        for r in run.rows {
            if r.id == id { return line + 1 + mark }
            line += 1 + r.marks.count + 1 + 1
        }
        return -1
    }
}
