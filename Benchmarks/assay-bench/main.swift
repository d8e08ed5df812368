// assay-bench: generated workloads, timed as whole `assay` runs (child processes), medians of repeated runs.
// `make bench` runs it; BENCHMARKS.md records its table. Not a unit test: nothing here asserts a speed.
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct Options {
    var assay = ".build/release/assay"
    var runs = 7
    var rubricMegabytes = 5
    var candidates = [50_000, 200_000]
    var workDirectory = ".build/bench"
    var only: String?
}

func parseOptions() -> Options {
    var o = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    while let a = args.next() {
        switch a {
        case "--assay": o.assay = args.next() ?? o.assay
        case "--runs": o.runs = Int(args.next() ?? "") ?? o.runs
        case "--rubric-mb": o.rubricMegabytes = Int(args.next() ?? "") ?? o.rubricMegabytes
        case "--work": o.workDirectory = args.next() ?? o.workDirectory
        case "--candidates": o.candidates = (args.next() ?? "").split(separator: ",").compactMap { Int($0) }
        case "--only": o.only = args.next()
        case "-h", "--help":
            print("USAGE: assay-bench [--assay PATH] [--runs N] [--rubric-mb MB] [--candidates N,N] [--only rubric|score|results|ties|plugins|ledger|csv] [--work DIR]")
            exit(0)
        default:
            FileHandle.standardError.write(Data("assay-bench: unknown option \(a)\n".utf8))
            exit(2)
        }
    }
    return o
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// A valid rubric of about `megabytes` MB: many posts, courses with realistic scoring trees, competitions
/// with judged and measured aspects, certificates and recognition rules.
func generateRubric(megabytes: Int, to path: String) throws -> (bytes: Int, courses: Int) {
    var out = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:assay:rubric:1" id="bench" version="1" title="Generated benchmark program">

        """
    let target = megabytes * 1_000_000
    let posts = 200
    for p in 0..<posts {
        out += "  <post id=\"post-\(p)\" title=\"Post \(p)\">\n"
        for r in 0..<5 { out += "    <requirement id=\"req-\(p)-\(r)\" title=\"Requirement \(r) of post \(p)\"/>\n" }
        out += "  </post>\n"
    }
    var courses = 0
    while out.utf8.count < target * 9 / 10 {
        let c = courses
        out += """
              <course id="C-\(c)" title="Course \(c)" credits="3.5" pass="60" module="core">
                <covers requirement="req-\(c % posts)-\(c % 5)"/>
                <node id="total" scorer="weighted-mean" max="100" round="half-up" decimals="1">
                  <node id="process" weight="40" scorer="weighted-mean" max="100">
                    <node id="participation" weight="20" scorer="value" max="100"/>
                    <node id="assignments" weight="30" scorer="mean" max="100">
                      <node id="a1" scorer="value" max="100"/><node id="a2" scorer="value" max="100"/>
                      <node id="a3" scorer="value" max="100"/><node id="a4" scorer="value" max="100"/>
                    </node>
                    <node id="practice" weight="50" scorer="checklist" max="100"><param name="items" value="10"/></node>
                  </node>
                  <node id="exam" weight="40" scorer="value" max="100" must-reach="40"/>
                  <node id="defence" weight="20" scorer="trimmed-mean" max="100">
                    <param name="drop" value="1"/><param name="judges" value="5"/>
                  </node>
                </node>
              </course>

            """
        courses += 1
    }
    var competitions = 0
    while out.utf8.count < target * 97 / 100 {
        let k = competitions
        out += "  <competition id=\"K-\(k)\" title=\"Competition \(k)\">\n"
        out += "    <node id=\"total\" scorer=\"weighted-mean\" max=\"100\">\n"
        out += "      <node id=\"T\" weight=\"30\" scorer=\"value\" max=\"100\"/>\n"
        out += "      <node id=\"P\" weight=\"70\" scorer=\"sum\" max=\"40\">\n"
        for a in 0..<4 {
            out += "        <node id=\"P\(a).J\" kind=\"judgement\" scorer=\"judgement-panel\" max=\"5\"><param name=\"judges\" value=\"3\"/><param name=\"max-spread\" value=\"1\"/><tests requirement=\"req-\(k % posts)-\(a)\"/></node>\n"
            out += "        <node id=\"P\(a).M\" kind=\"measurement\" scorer=\"tolerance\" max=\"5\"><param name=\"target\" value=\"120\"/><param name=\"tolerance\" value=\"5\"/></node>\n"
        }
        out += "      </node>\n    </node>\n"
        out += "    <awards><award id=\"first\" quota-percent=\"10\"/><award id=\"second\" quota-percent=\"20\"/><award id=\"third\" quota-percent=\"30\"/></awards>\n"
        out += "    <tie-break><by node=\"P\"/><by node=\"T\"/></tie-break>\n  </competition>\n"
        competitions += 1
    }
    var certificates = 0
    while out.utf8.count < target * 99 / 100 {
        out += """
              <certificate id="Z-\(certificates)" title="Certificate \(certificates)" valid-years="4">
                <attests requirement="req-\(certificates % posts)-0"/>
                <level id="junior" rank="1"/><level id="intermediate" rank="2"/><level id="senior" rank="3"/>
                <component id="theory" max="100" pass="60"/><component id="practical" max="100" pass="60"/>
              </certificate>

            """
        certificates += 1
    }
    out += "  <recognition max-credits=\"20\">\n"
    var r = 0
    while out.utf8.count < target {
        out += "    <rule id=\"rule-\(r)\" priority=\"\(r % 3)\"><when><all><certificate ref=\"Z-\(r % certificates)\" at-least=\"intermediate\" within-years=\"3\"/><award competition=\"K-\(r % competitions)\" at-least=\"second\"/></all></when><transfer-credit course=\"C-\(r % courses)\"><map award=\"first\" grade=\"95\"/><map award=\"second\" grade=\"88\"/></transfer-credit></rule>\n"
        r += 1
    }
    out += "  </recognition>\n</program>\n"
    try Data(out.utf8).write(to: URL(fileURLWithPath: path))
    return (out.utf8.count, courses)
}

if CommandLine.arguments.count >= 4, CommandLine.arguments[1] == "--measure-child" {
    measureChild(stdout: CommandLine.arguments[2], argv: Array(CommandLine.arguments.dropFirst(3)))
}
let options = parseOptions()
try FileManager.default.createDirectory(atPath: options.workDirectory, withIntermediateDirectories: true)

func f3(_ x: Double) -> String { String(format: "%.3f", x) }
func mb(_ kb: Int) -> String { String(format: "%.1f", Double(kb) / 1024) }

// MARK: - Workload 1: validating a large rubric

func benchRubric() throws {
    let rubricPath = options.workDirectory + "/rubric-\(options.rubricMegabytes)mb.xml"
    let (bytes, courseCount) = try generateRubric(megabytes: options.rubricMegabytes, to: rubricPath)
    let check = measure([options.assay, "validate", "--quiet", rubricPath])
    guard check.status == 0 else {
        FileHandle.standardError.write(Data("assay-bench: the generated rubric does not validate (exit \(check.status))\n".utf8))
        exit(3)
    }
    var assayTimes: [Double] = []
    var assayRSS = 0
    var floorTimes: [Double] = []
    for _ in 0..<options.runs {
        let a = measure([options.assay, "validate", "--quiet", rubricPath])
        assayTimes.append(a.seconds)
        assayRSS = max(assayRSS, a.maxRSSKilobytes)
        floorTimes.append(measure(["xmllint", "--noout", "--schema", "rubrics/schema/rubric.xsd", rubricPath]).seconds)
    }
    let aMedian = median(assayTimes)
    let fMedian = median(floorTimes)
    print("""
        ## Rubric validation (\(String(format: "%.1f", Double(bytes) / 1e6)) MB generated rubric, \(courseCount) courses; \(options.runs) runs each, interleaved)

        | what | median (s) | min (s) | max (s) | peak RSS (MB) |
        |---|---:|---:|---:|---:|
        | `assay validate` (parse + XSD + model + meaning checks) | \(f3(aMedian)) | \(f3(assayTimes.min()!)) | \(f3(assayTimes.max()!)) | \(mb(assayRSS)) |
        | `xmllint --noout --schema rubric.xsd` (parse + XSD only) | \(f3(fMedian)) | \(f3(floorTimes.min()!)) | \(f3(floorTimes.max()!)) | — |

        ratio assay / xmllint: \(String(format: "%.2f", aMedian / fMedian)); goal: assay under 1 s.

        """)
}

// MARK: - Workload 2: scoring a large evidence file

/// The competition every generated candidate enters: 3 judgement aspects (3 judges each) and a measurement.
let scoringRubric = """
    <?xml version="1.0" encoding="UTF-8"?>
    <program xmlns="urn:assay:rubric:1" id="bench-score" version="1" title="Scoring benchmark">
      <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
      <competition id="nmit-2025" title="Benchmark competition">
        <node id="total" scorer="weighted-mean" max="100" round="half-up" decimals="2">
          <node id="A" weight="75" scorer="sum" max="15">
            <node id="B1.1" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/><tests requirement="r"/></node>
            <node id="B1.2" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/></node>
            <node id="B1.3" kind="judgement" scorer="judgement-panel" max="5"><param name="judges" value="3"/><param name="max-spread" value="1"/></node>
          </node>
          <node id="B2.1" weight="25" kind="measurement" scorer="tolerance" max="5">
            <param name="target" value="120"/><param name="tolerance" value="2"/><param name="partial-band" value="5"/><param name="partial-points" value="2"/>
          </node>
        </node>
      </competition>
    </program>

    """

/// N candidates, 10 items each (9 judges' marks and one measurement), with ids shaped like the bundled
/// program's (entrant S2025000123, competition nmit-2025, aspect B1.2, judge J3): about 750 bytes a candidate.
func generateEvidence(candidates n: Int, to path: String) throws -> Int {
    let file = try GeneratedFile(path: path)
    file.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"bench-score\">\n")
    var seed: UInt64 = 42
    func next() -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int(seed >> 33)
    }
    for i in 0..<n {
        file.append("  <candidate id=\"S2025\(String(format: "%06d", i))\">\n")
        for aspect in 1...3 {
            let base = next() % 4
            for judge in 1...3 {
                // Judges mostly agree; one mark in six is one point off.
                let r = next() % 12
                let mark = max(0, min(3, base + (r == 0 ? -1 : r == 1 ? 1 : 0)))
                file.append("    <mark target=\"nmit-2025\" node=\"B1.\(aspect)\" judge=\"J\(judge)\" value=\"\(mark)\"/>\n")
            }
        }
        file.append("    <measure target=\"nmit-2025\" node=\"B2.1\" value=\"\(115 + next() % 11).\(next() % 10)\"/>\n  </candidate>\n")
    }
    file.append("</evidence>\n")
    return try file.close()
}

func benchScore() throws {
    let rubricPath = options.workDirectory + "/bench-score.xml"
    try Data(scoringRubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
    print("""
        ## Scoring (`assay score --format csv` vs `xmllint --stream --noout` on the same file; \(options.runs) runs each, interleaved)

        | candidates | file (MB) | xmllint --stream median (s) | assay score median (s) | ratio | assay peak RSS (MB) | xmllint peak RSS (MB) |
        |---:|---:|---:|---:|---:|---:|---:|
        """)
    for n in options.candidates {
        let path = options.workDirectory + "/evidence-\(n).xml"
        let bytes = try generateEvidence(candidates: n, to: path)
        let check = measure([options.assay, "score", rubricPath, path, "--format", "csv"])
        guard check.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: scoring the generated evidence failed (exit \(check.status))\n".utf8))
            exit(3)
        }
        var floor: [Double] = []
        var floorRSS = 0
        var assay: [Double] = []
        var assayRSS = 0
        for _ in 0..<options.runs {
            let f = measure(["xmllint", "--stream", "--noout", path])
            floor.append(f.seconds)
            floorRSS = max(floorRSS, f.maxRSSKilobytes)
            let a = measure([options.assay, "score", rubricPath, path, "--format", "csv"])
            assay.append(a.seconds)
            assayRSS = max(assayRSS, a.maxRSSKilobytes)
        }
        print("| \(n) | \(String(format: "%.1f", Double(bytes) / 1e6)) | \(f3(median(floor))) | \(f3(median(assay))) | \(String(format: "%.2f", median(assay) / median(floor))) | \(mb(assayRSS)) | \(mb(floorRSS)) |")
    }
    print("\nGoals: ratio ≤ 1.5; peak RSS ≤ 64 MB and flat in N.\n")
}

// MARK: - Workload 3: a large competition's result sheet

func benchResults() throws {
    let entrants = 10_000
    let aspects = 40
    let judges = 5
    var rubric = """
        <?xml version="1.0" encoding="UTF-8"?>
        <program xmlns="urn:assay:rubric:1" id="bench-results" version="1" title="Results benchmark">
          <post id="p" title="Post"><requirement id="r" title="Requirement"/></post>
          <competition id="K" title="Large competition">
            <node id="total" scorer="sum" max="\(aspects * 5)" round="half-up" decimals="2">

        """
    for a in 1...aspects {
        rubric += "      <node id=\"A\(a)\" kind=\"judgement\" scorer=\"judgement-panel\" max=\"5\"><param name=\"judges\" value=\"\(judges)\"/><param name=\"max-spread\" value=\"1\"/></node>\n"
    }
    rubric += """
            </node>
            <awards><award id="first" quota-percent="10"/><award id="second" quota-percent="20"/><award id="third" quota-percent="30"/></awards>
            <tie-break><by node="A1"/><by node="A2"/></tie-break>
          </competition>
        </program>

        """
    let rubricPath = options.workDirectory + "/bench-results.xml"
    try Data(rubric.utf8).write(to: URL(fileURLWithPath: rubricPath))
    let path = options.workDirectory + "/results-\(entrants)x\(aspects)x\(judges).xml"
    let file = try GeneratedFile(path: path)
    file.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<evidence xmlns=\"urn:assay:evidence:1\" program=\"bench-results\">\n")
    var seed: UInt64 = 7
    func next() -> Int {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return Int(seed >> 33)
    }
    for e in 0..<entrants {
        file.append("  <candidate id=\"E\(String(format: "%05d", e))\">\n")
        for a in 1...aspects {
            let base = next() % 4
            for j in 1...judges {
                let r = next() % 12
                let mark = max(0, min(3, base + (r == 0 ? -1 : r == 1 ? 1 : 0)))
                file.append("    <mark target=\"K\" node=\"A\(a)\" judge=\"J\(j)\" value=\"\(mark)\"/>\n")
            }
        }
        file.append("  </candidate>\n")
    }
    file.append("</evidence>\n")
    let bytes = try file.close()
    var times: [Double] = []
    var rss = 0
    for _ in 0..<max(3, options.runs / 2) {
        let r = measure([options.assay, "results", rubricPath, "K", path, "--format", "csv"])
        guard r.status == 0 else {
            FileHandle.standardError.write(Data("assay-bench: assay results failed (exit \(r.status))\n".utf8))
            exit(3)
        }
        times.append(r.seconds)
        rss = max(rss, r.maxRSSKilobytes)
    }
    print("""
        ## Result sheet (`assay results --format csv`): \(entrants) entrants × \(aspects) judgement aspects × \(judges) judges (\(entrants * aspects * judges) marks, \(String(format: "%.1f", Double(bytes) / 1e6)) MB)

        | runs | median (s) | min (s) | max (s) | peak RSS (MB) |
        |---:|---:|---:|---:|---:|
        | \(times.count) | \(f3(median(times))) | \(f3(times.min()!)) | \(f3(times.max()!)) | \(mb(rss)) |

        Goal: under 10 s.

        """)
}

print("Machine: \(ProcessInfo.processInfo.processorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB\n")
if options.only == nil || options.only == "rubric" { try benchRubric() }
if options.only == nil || options.only == "score" { try benchScore() }
if options.only == nil || options.only == "results" { try benchResults() }
if options.only == nil || options.only == "ties" { try benchTies(options: options) }
if options.only == nil || options.only == "plugins" { try benchPlugins(options: options) }
if options.only == nil || options.only == "ledger" { try benchLedger(options: options) }
if options.only == nil || options.only == "csv" { try benchCSV(options: options) }
