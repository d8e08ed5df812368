import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `assay results` on a competition where every entrant is tied, run as the real executable so that its own
/// peak memory can be read (the child's `ru_maxrss` from `wait4`). The notes once listed every other tied
/// entrant for every entrant: 4,000 tied entrants took 1.1 GB.
@Suite("assay results with thousands of tied entrants", .serialized)
struct TiedResultsCommandTests {
    static let entrants = 4000

    static let rubric = """
        <program xmlns="urn:assay:rubric:1" id="ties" version="1" title="Ties">
          <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
          <competition id="K" title="Tied competition">
            <node id="total" scorer="sum" max="20">
              <node id="A" kind="judgement" scorer="judgement-panel" max="10" round="half-up" decimals="2">
                <param name="judges" value="3"/><param name="max-spread" value="1"/>
                <tests requirement="r"/>
              </node>
              <node id="B" kind="measurement" scorer="value" max="10"/>
            </node>
            <awards ties="contract"><award id="first" quota-percent="10"/><award id="second" quota-percent="20"/></awards>
            <tie-break><by node="B"/><by node="A"/></tie-break>
          </competition>
        </program>

        """

    /// Writes the rubric and a mark sheet where every entrant has the same marks (A: 2, 2, 2 → 6.67; B 5).
    static func inputs() throws -> (dir: URL, rubric: String, marks: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-tied-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let rubricPath = dir.appendingPathComponent("ties.xml").path
        let marksPath = dir.appendingPathComponent("marks.csv").path
        try Data(rubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
        var csv = "candidate,target,node,judge,value\n"
        for e in 1...entrants {
            let id = "E\(String(format: "%04d", e))"
            csv += "\(id),K,A,J1,2\n\(id),K,A,J2,2\n\(id),K,A,J3,2\n\(id),K,B,,5\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: marksPath))
        return (dir, rubricPath, marksPath)
    }

    /// Runs the built `assay` with standard output to `out`; returns its exit status and its own peak RSS in KB.
    ///
    /// Measured through `assay-bench --measure-child` (built beside `assay`): Linux carries a process's peak
    /// RSS across `exec`, and a child spawned by this test process starts sharing its memory, so `wait4` here
    /// would report this whole test run's memory (about 200 MB), not assay's. The small middleman spawns it.
    static func run(_ args: [String], out: String) throws -> (code: Int32, maxRSSKilobytes: Int) {
        let assay = try RecordsCLI.binary()
        let bench = assay.deletingLastPathComponent().appendingPathComponent("assay-bench")
        let r = try RecordsCLI.exec(bench, ["--measure-child", out, assay.path] + args)
        #expect(r.code == 0, "\(r.err)")
        let fields = r.out.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        try #require(fields.count == 3, "assay-bench --measure-child said '\(r.out)'")
        return (Int32(fields[2]) ?? -1, Int(fields[1]) ?? Int.max)
    }

    @Test("4,000 tied entrants: exit 0, all rank 1, no prize (ties contract), one short note each, under 128 MB")
    func fourThousandTied() throws {
        let (dir, rubric, marks) = try Self.inputs()
        defer { try? FileManager.default.removeItem(at: dir) }
        let textPath = dir.appendingPathComponent("sheet.txt").path
        let text = try Self.run(["results", rubric, "K", marks], out: textPath)
        #expect(text.code == 0)
        #expect(text.maxRSSKilobytes <= 128 * 1024, "peak RSS \(text.maxRSSKilobytes) KB")
        let lines = try String(contentsOfFile: textPath, encoding: .utf8).split(separator: "\n").map(String.init)
        let header = try #require(lines.firstIndex { $0.hasPrefix("rank  candidate") })
        #expect(lines[header] == "rank  candidate  total  award  note")
        #expect(lines[header + 1] == "   1  E0001      11.67         tied with E0002, E0003, E0004 and 3996 others on the total and every tie-break: shares rank 1")
        #expect(lines[header + 4000] == "   1  E4000      11.67         tied with E0001, E0002, E0003 and 3996 others on the total and every tie-break: shares rank 1")
        #expect(lines.contains("  · first: entrants tied at rank 1 straddle the quota boundary; the quota contracts from 400 to 0 (ties=\"contract\")"))

        let csvPath = dir.appendingPathComponent("sheet.csv").path
        let csv = try Self.run(["results", rubric, "K", marks, "--format", "csv"], out: csvPath)
        #expect(csv.code == 0)
        #expect(csv.maxRSSKilobytes <= 128 * 1024, "peak RSS \(csv.maxRSSKilobytes) KB")
        let rows = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(rows.count == 4001)
        #expect(rows[1] == "1,E0001,11.67,,,complete")
        #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("1,E") && $0.hasSuffix(",11.67,,,complete") })
    }
}
