// Workload: large ties in a result sheet (issue 13). `assay results` on a competition where 10,000 entrants
// are all tied, and on one where 49,000 entrants share 10 distinct totals (a tie-break splits each total
// into a few groups), in the text format (which shows tie notes) and in CSV (which does not build them).
// Median wall time and the child's own peak RSS (ru_maxrss from wait4), as the other workloads.
import Foundation

/// Three judgement aspects (3 judges, 0–3, mark = mean ÷ 3 × 5); tie-break B1 then B2; quota awards.
let tiesRubric = """
    <?xml version="1.0" encoding="UTF-8"?>
    <program xmlns="urn:assay:rubric:1" id="bench-ties" version="1" title="Ties benchmark">
      <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
      <competition id="K" title="Tied competition">
        <node id="total" scorer="sum" max="15">
          <node id="B1" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/><tests requirement="r"/></node>
          <node id="B2" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/></node>
          <node id="B3" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/></node>
        </node>
        <awards><award id="first" quota-percent="10"/><award id="second" quota-percent="20"/><award id="third" quota-percent="30"/></awards>
        <tie-break><by node="B1"/><by node="B2"/></tie-break>
      </competition>
    </program>

    """

/// A mark sheet (evidence XML, which `assay results` streams) of `n` entrants; `marks(i)` gives entrant i's
/// mark on B1, B2, B3 (all three judges agree).
func generateTiedMarks(entrants n: Int, to path: String, marks: (Int) -> [Int]) throws -> Int {
    let file = try GeneratedFile(path: path)
    file.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"bench-ties\">\n")
    for i in 0..<n {
        file.append("  <candidate id=\"E\(String(format: "%05d", i))\">\n")
        for (a, m) in marks(i).enumerated() {
            for j in 1...3 { file.append("    <mark target=\"K\" node=\"B\(a + 1)\" judge=\"J\(j)\" value=\"\(m)\"/>\n") }
        }
        file.append("  </candidate>\n")
    }
    file.append("</evidence>\n")
    return try file.close()
}

func benchTies(options: Options) throws {
    let rubricPath = options.workDirectory + "/bench-ties.xml"
    try Data(tiesRubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
    var seed: UInt64 = 13
    func next() -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int(seed >> 33)
    }
    // 10,000 entrants with the same marks; 49,000 with marks 0–3 on each aspect: totals 0, 5/3, …, 15 (10 values).
    let workloads: [(name: String, entrants: Int, marks: (Int) -> [Int])] = [
        ("all tied", 10_000, { _ in [2, 2, 2] }),
        ("10 distinct totals", 49_000, { _ in [next() % 4, next() % 4, next() % 4] }),
    ]
    print("""
        ## Ties in the result sheet (`assay results`; \(options.runs) runs each, interleaved by format)

        | entrants | totals | evidence (MB) | format | median (s) | min (s) | max (s) | peak RSS (MB) |
        |---:|---|---:|---|---:|---:|---:|---:|
        """)
    for w in workloads {
        let path = options.workDirectory + "/ties-\(w.entrants).xml"
        let bytes = try generateTiedMarks(entrants: w.entrants, to: path, marks: w.marks)
        var times: [String: [Double]] = [:]
        var rss: [String: Int] = [:]
        let formats = ["text", "csv"]
        for _ in 0..<options.runs {
            for format in formats {
                let r = measure([options.assay, "results", rubricPath, "K", path, "--format", format])
                guard r.status == 0 else {
                    FileHandle.standardError.write(Data("assay-bench: assay results --format \(format) failed (exit \(r.status))\n".utf8))
                    exit(3)
                }
                times[format, default: []].append(r.seconds)
                rss[format] = max(rss[format] ?? 0, r.maxRSSKilobytes)
            }
        }
        for format in formats {
            let t = times[format] ?? []
            print("| \(w.entrants) | \(w.name) | \(String(format: "%.1f", Double(bytes) / 1e6)) | \(format) | \(f3(median(t))) | \(f3(t.min()!)) | \(f3(t.max()!)) | \(mb(rss[format] ?? 0)) |")
        }
    }
    print("\nGoal: peak RSS ≤ 128 MB with 10,000 entrants all tied.\n")
}
