import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import Foundation

/// `assay score RUBRIC EVIDENCE...`: scores every candidate's evidence and prints the outcomes.
enum ScoreCommand {
    static let help = """
        USAGE: assay score RUBRIC EVIDENCE... [--target ID] [--format text|csv|json|xml] [--explain CANDIDATE]
                           [--plugins DIR]

        Scores each candidate's evidence (XML files, or CSV mark sheets with the columns
        candidate,target,node,judge,value) against the program's courses, competitions and certificates.
        A candidate's items may be spread over several files.

        Every outcome is complete, or incomplete with the reason: a missing mark is never counted as zero
        unless the rubric says so (missing="zero"). A bad item (an unknown course or node, a mark out of range,
        a number that is not one) is reported with its file and line (or CSV row) and makes only the outcome it
        belongs to incomplete; everything else is still scored.

        OPTIONS:
          --format text|csv|json|xml  text: an aligned table (default); csv: candidate,target,score,max,status,detail;
                                      json and xml: every outcome with its full tree of node scores and explanations
          --target ID                 only this course, competition or certificate
          --explain CANDIDATE         print how every number of this candidate's outcomes was reached
          --encoding auto|utf-8|gb18030
                                      character set of CSV mark sheets (default auto: UTF-8, or else GB18030,
                                      what Chinese Excel saves as "CSV (逗号分隔)", with a warning)
          --plugins DIR               plugins folder (default: ./plugins)
          -h, --help                  show this help

        EXIT: 0 every outcome complete, 1 an outcome is incomplete or an input failed a check, 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--format", "--target", "--explain", "--plugins", "--encoding"], flags: [])
        let encoding = try args.markSheetEncoding()
        let format = try args.choice("--format", ["text", "csv", "json", "xml"], default: "text")
        guard args.positional.count >= 2 else { throw UsageError("score needs a rubric and at least one evidence file") }
        let rubricPath = args.positional[0]
        let evidencePaths = Array(args.positional.dropFirst())

        guard let rubric = ValidRubric.load(rubricPath, pluginDirectory: args.value("--plugins"), output: output) else {
            return AssayCommand.ExitCode.checkFailed
        }
        let program = rubric.program
        // Plugin scorers run in their own processes, one persistent worker per plugin, for this run only.
        let only = args.value("--target")
        let pluginHost = PluginHost(manifests: rubric.plugins, program: program, only: only.map { [$0] })
        defer { pluginHost.shutdown() }
        let engine = Engine(program: program, plugins: pluginHost)
        if let only, engine.kind(of: only) == nil {
            throw UsageError("the program has no course, competition or certificate '\(only)'")
        }
        let explainCandidate = args.value("--explain")

        var writer: any OutcomeWriter
        switch format {
        case "csv": writer = CSVOutcomeWriter(output: output)
        case "json": writer = JSONOutcomeWriter(output: output)
        case "xml": writer = XMLOutcomeWriter(output: output)
        default: writer = TextOutcomeWriter(output: output)
        }
        let withTree = format == "json" || format == "xml"
        var incomplete = 0
        var explained = false
        // The table begins with the first candidate (or at the end): never before a fatal input error is known.
        var begun = explainCandidate != nil
        // Plugin requests go out a batch at a time on the reading thread, except for --explain (only one
        // candidate is scored: its requests are sent when it is).
        var prepare: (@Sendable ([CandidateEvidence]) -> Void)?
        if explainCandidate == nil { prepare = { @Sendable batch in engine.prepare(batch) } }
        let pipeline = CandidatePipeline(reader: EvidenceReader(program: program.id, encoding: encoding), paths: evidencePaths, prepare: prepare)
        let diagnostics = pipeline.forEach { candidate in
            if let explainCandidate {
                guard candidate.id == explainCandidate else { return }
                explained = true
                for o in engine.score(candidate, only: only, explain: true) {
                    output.out(Explainer.explain(o, program: program))
                    if !o.status.isComplete { incomplete += 1 }
                }
                return
            }
            if !begun {
                writer.begin(program: program)
                begun = true
            }
            for o in engine.score(candidate, only: only, explain: withTree, tree: withTree) {
                if !o.status.isComplete { incomplete += 1 }
                writer.write(o)
            }
        }
        let fatal = diagnostics.contains(where: EvidenceReader.isFatal)
        if explainCandidate == nil, !fatal {
            if !begun { writer.begin(program: program) }
            writer.end(diagnostics: diagnostics)
        }
        for d in diagnostics {
            output.err(d.formatted + "\n")
            if EvidenceReader.isFatal(d), !d.hint.isEmpty { output.err("  hint: \(d.hint)\n") }
        }
        if fatal {
            output.err("assay: nothing was scored: an evidence file could not be read\n")
            return AssayCommand.ExitCode.checkFailed
        }
        pluginHost.shutdown()
        for line in pluginHost.diagnostics { output.err("assay: \(line)\n") }
        if let explainCandidate, !explained {
            output.err("assay: no evidence names candidate '\(explainCandidate)'\n")
            return AssayCommand.ExitCode.checkFailed
        }
        return incomplete > 0 || diagnostics.errorCount > 0 ? AssayCommand.ExitCode.checkFailed : AssayCommand.ExitCode.ok
    }
}

/// The tree of one outcome, for a judge to check by hand.
enum Explainer {
    static func explain(_ o: Outcome, program: Program) -> String {
        let title = program.course(o.target)?.title ?? program.competition(o.target)?.title ?? program.certificate(o.target)?.title
        var s = "\(o.candidate) — \(o.target)\(title.map { " \($0)" } ?? ""): "
        s += o.shownScore.map { "\($0) of \(o.maxValue.text())" } ?? "no score"
        if let p = o.passed { s += ", \(p ? "pass" : "fail")" }
        s += " (\(o.status.word))\n"
        for r in o.status.reasons { s += "  incomplete: \(r)\n" }
        for f in o.flags { s += "  flag: \(f)\n" }
        if let root = o.root { s += node(root, depth: 1) }
        return s + "\n"
    }

    private static func node(_ n: NodeOutcome, depth: Int) -> String {
        let pad = String(repeating: "  ", count: depth)
        var s = pad + n.node
        if let w = n.weightValue { s += " (weight \(w.text()))" }
        s += " [\(n.scorer)] "
        s += n.skipped ? "skipped" : (n.shownScore.map { "\($0) of \(n.maxValue.text())" } ?? "no score")
        if !n.explanation.isEmpty { s += ": " + n.explanation }
        s += "\n"
        for f in n.flags { s += pad + "  ⚑ " + f + "\n" }
        for c in n.children { s += node(c, depth: depth + 1) }
        return s
    }
}
