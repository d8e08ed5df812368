import AssayEngine
import AssayLoader
import AssayModel
import AssayPlugins
import AssayResults
import Foundation

/// `assay results RUBRIC COMPETITION EVIDENCE...`: standings, awards and the judges' consistency report.
enum ResultsCommand {
    static let help = """
        USAGE: assay results RUBRIC COMPETITION EVIDENCE... [--format text|csv|json|xml|html]
                             [--out FILE [--force]] [--plugins DIR]

        The result sheet of one competition, from its mark sheets (XML evidence or CSV with the columns
        candidate,target,node,judge,value):
          - standings: total, rank in competition form (1, 2, 2, 4) after the rubric's tie-break order, with a
            note wherever a tie on the total was settled (or could not be);
          - awards: place, quota and threshold awards as the rubric's award scheme says, with what happened at
            every quota boundary (ties expanding or contracting a quota, small-field rules);
          - standardised totals, when the competition standardises;
          - entrants without a complete result, listed apart with the reason (never ranked); so is an entrant
            whose <candidate> appears twice in one evidence file, once, with the reasons of both;
          - the judges: marks further apart than an aspect's max-spread (to re-mark), each judge's mean offset
            from the rest of the panel, exact and adjacent agreement, and each aspect's intraclass correlation.
        The sheet carries the SHA-256 of the rubric and of every evidence file, so anyone can re-run it.

        OPTIONS:
          --format text|csv|json|xml|html  text (default); csv: rank,candidate,total,standardised,award,status;
                                           html: one self-contained page (no external files) for printing
          --out FILE                       write the sheet to FILE instead of standard output (whole or
                                           not at all, never through a link; an existing FILE is refused)
          --force                          with --out, replace an existing FILE
          --encoding auto|utf-8|gb18030    character set of CSV mark sheets (default auto: UTF-8, or else GB18030,
                                           what Chinese Excel saves as "CSV (逗号分隔)", with a warning)
          --plugins DIR                    plugins folder (default: ./plugins)
          -h, --help                       show this help

        EXIT: 0 every entrant has a result, 1 some entrant's result is incomplete, an input failed a check or
        FILE could not be written (it exists and --force was not given, it is a link or a folder, the disk is
        full: FILE is then as it was), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--format", "--plugins", "--encoding", "--out"], flags: ["--force"])
        let encoding = try args.markSheetEncoding()
        let format = try args.choice("--format", ["text", "csv", "json", "xml", "html"], default: "text")
        guard args.positional.count >= 3 else {
            throw UsageError("results needs a rubric, a competition id and at least one evidence file")
        }
        guard let destination = try ReportOutput(args, output: output) else { return AssayCommand.ExitCode.checkFailed }
        let rubricPath = args.positional[0]
        let competitionID = args.positional[1]
        let evidencePaths = Array(args.positional.dropFirst(2))
        guard let rubric = ValidRubric.load(rubricPath, pluginDirectory: args.value("--plugins"), output: output) else {
            return AssayCommand.ExitCode.checkFailed
        }
        let program = rubric.program
        guard let competition = program.competition(competitionID) else {
            let known = program.competitions.map(\.id).joined(separator: ", ")
            throw UsageError("the program has no competition '\(competitionID)'\(known.isEmpty ? "" : " (it has: \(known))")")
        }
        // Plugin scorers run in their own processes, one persistent worker per plugin, for this run only.
        let pluginHost = PluginHost(manifests: rubric.plugins, program: program, only: [competition.id])
        defer { pluginHost.shutdown() }
        let engine = Engine(program: program, plugins: pluginHost)
        var builder = ResultsBuilder(program: program, competition: competition)
        let pipeline = CandidatePipeline(
            reader: EvidenceReader(program: program.id, encoding: encoding), paths: evidencePaths, prepare: { engine.prepare($0) })
        let diagnostics = pipeline.forEach { candidate in
            builder.add(candidate, outcomes: engine.score(candidate, only: competition.id, tree: true))
        }
        pluginHost.shutdown()
        if diagnostics.contains(where: EvidenceReader.isFatal) {
            // No sheet at all, rather than one without the candidates of a file that could not be read.
            for d in diagnostics {
                output.err(d.formatted + "\n")
                if EvidenceReader.isFatal(d), !d.hint.isEmpty { output.err("  hint: \(d.hint)\n") }
            }
            output.err("assay: no result sheet was made: an evidence file could not be read\n")
            return AssayCommand.ExitCode.checkFailed
        }
        var inputs: [(path: String, sha256: String)] = []
        for path in [rubricPath] + evidencePaths {
            inputs.append((path, FileDigest.sha256(ofFile: path)?.hex ?? "unreadable"))
        }
        let sheet = builder.sheet(inputs: inputs, tieNotes: format != "csv")
        let text: String
        switch format {
        case "csv": text = ResultWriters.csv(sheet)
        case "json": text = ResultWriters.json(sheet)
        case "xml": text = ResultWriters.xml(sheet)
        case "html": text = ResultWriters.html(sheet)
        default: text = ResultWriters.text(sheet)
        }
        let written = destination.write(text, output: output)
        if written != AssayCommand.ExitCode.ok { return written }
        for d in diagnostics { output.err(d.formatted + "\n") }
        for line in pluginHost.diagnostics { output.err("assay: \(line)\n") }
        return sheet.unranked.isEmpty && diagnostics.errorCount == 0 ? AssayCommand.ExitCode.ok : AssayCommand.ExitCode.checkFailed
    }
}
