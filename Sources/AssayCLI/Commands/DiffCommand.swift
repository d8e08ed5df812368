import AssayDesign
import AssayLoader
import AssayModel
import AssayPlugins
import AssayRecognition
import Foundation

/// `assay diff OLD NEW EVIDENCE...`: what a rubric change does, structurally and to each candidate.
enum DiffCommand {
    static let help = """
        USAGE: assay diff OLD.xml NEW.xml EVIDENCE... [--as-of YYYY-MM-DD] [--format text|csv|json]
                          [--out FILE [--force]] [--plugins DIR]

        What if the program changed from OLD to NEW? First the rubric changes, structurally (not a text diff):
        posts and requirements; courses' credits, pass marks and covers; every scoring node's scorer, max, min,
        weight, rounding, missing policy, must-reach gate, parameters, tests and place in the tree;
        competitions' award schemes, standardisation and tie-break order; certificates' levels, components and
        attests; recognition rules (priority, condition, grant) and the credit cap. Titles and descriptions are
        wording: counted, never listed, since they change no one's result.

        Then, on the given evidence, everything that changes for someone, from what to what, and why (the
        changed node or rule that made the difference):
          - outcomes: a course's, competition's or certificate's score, pass/fail, complete/incomplete;
          - standings and awards: each competition's ranks and awards (tie-breaks, quotas) per entrant;
          - recognition decisions: each rule's verdict, grade and credits, decided as of --as-of.

        OPTIONS:
          --as-of YYYY-MM-DD    the recognition decision date (default: today, UTC); give it for output that
                                is the same tomorrow
          --format text|csv|json
                                text (default, fits 100 columns); csv: kind,candidate,subject,from,to,why
          --out FILE            write to FILE instead of standard output (whole or not at all, never through
                                a link; an existing FILE is refused)
          --force               with --out, replace an existing FILE
          --encoding auto|utf-8|gb18030
                                character set of CSV mark sheets (default auto: UTF-8, or else GB18030,
                                what Chinese Excel saves as "CSV (逗号分隔)", with a warning)
          --plugins DIR         plugins folder the rubrics' plugin scorers come from (default: ./plugins)
          -h, --help            show this help

        EXIT: 0 nothing changes for anyone on this evidence (the rubric may still differ), 1 something changes
        for someone, or an input failed a check (a rubric with errors, an evidence file that cannot be read as
        a whole: the error is on standard error, and the report covers only what could be read), or FILE could
        not be written (it exists and --force was not given, it is a link or a folder, the disk is full: FILE
        is then as it was), 2 wrong usage. A rubric change can so gate CI.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--as-of", "--format", "--out", "--plugins", "--encoding"], flags: ["--force"])
        let encoding = try args.markSheetEncoding()
        let format = try args.choice("--format", ["text", "csv", "json"], default: "text")
        guard args.positional.count >= 3 else {
            throw UsageError("diff needs the old rubric, the new rubric and at least one evidence file")
        }
        let asOf = args.value("--as-of") ?? RecognizeCommand.today()
        guard CalendarDate(asOf) != nil else {
            throw UsageError("--as-of must be a date in the form YYYY-MM-DD, not '\(asOf)'")
        }
        guard let destination = try ReportOutput(args, output: output) else { return AssayCommand.ExitCode.checkFailed }
        let pluginDirectory = args.value("--plugins")
        guard let oldRubric = ValidRubric.load(args.positional[0], pluginDirectory: pluginDirectory, output: output),
            let newRubric = ValidRubric.load(args.positional[1], pluginDirectory: pluginDirectory, output: output)
        else { return AssayCommand.ExitCode.checkFailed }
        let old = oldRubric.program
        let new = newRubric.program
        guard old.id == new.id else {
            throw UsageError(
                "the rubrics are different programs ('\(old.id)' and '\(new.id)'); diff compares two versions of one program")
        }
        let evidencePaths = Array(args.positional.dropFirst(2))
        let oldHost = PluginHost(manifests: oldRubric.plugins, program: old)
        let newHost = PluginHost(manifests: newRubric.plugins, program: new)
        defer {
            oldHost.shutdown()
            newHost.shutdown()
        }
        var whatIf = WhatIf(old: old, new: new, asOf: asOf, oldScorers: oldHost, newScorers: newHost)
        let pipeline = CandidatePipeline(reader: EvidenceReader(program: old.id, encoding: encoding), paths: evidencePaths)
        let diagnostics = pipeline.forEach(beforeBatch: { whatIf.prepare($0) }) { whatIf.add($0) }
        if diagnostics.contains(where: EvidenceReader.isFatal) {
            for d in diagnostics {
                output.err(d.formatted + "\n")
                if EvidenceReader.isFatal(d), !d.hint.isEmpty { output.err("  hint: \(d.hint)\n") }
            }
            output.err("assay: nothing was compared: an evidence file could not be read\n")
            return AssayCommand.ExitCode.checkFailed
        }
        let report = whatIf.report()
        let text: String
        switch format {
        case "csv": text = DiffWriter.csv(report)
        case "json": text = DiffWriter.json(report)
        default: text = DiffWriter.text(report)
        }
        let written = destination.write(text, output: output)
        for d in diagnostics { output.err(d.formatted + "\n") }
        oldHost.shutdown()
        newHost.shutdown()
        for line in oldHost.diagnostics + newHost.diagnostics { output.err("assay: \(line)\n") }
        if written != AssayCommand.ExitCode.ok { return written }
        return report.nothingChanges && diagnostics.errorCount == 0 ? AssayCommand.ExitCode.ok : AssayCommand.ExitCode.checkFailed
    }
}
