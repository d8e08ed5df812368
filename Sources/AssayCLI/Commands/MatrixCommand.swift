import AssayDesign
import AssayLoader
import AssayModel
import Foundation

/// `assay matrix RUBRIC`: the post–course–competition–certificate integration matrix and its gaps.
enum MatrixCommand {
    static let help = """
        USAGE: assay matrix RUBRIC [--format text|csv|html] [--out FILE [--force]] [--plugins DIR]

        The integration matrix of a program: one row per requirement of every post, with the courses that
        cover it (taught), the competition nodes that test it (tested) and the certificates or certificate
        components that attest it (attested), and a verdict: "taught + tested + attested", or what is missing.
        Then the reverse gaps: courses covering no requirement, competition aspects (scoring-tree leaves, the
        nodes that read evidence) testing none, neither themselves nor through a section above them,
        certificates attesting none (neither themselves nor through a component), and certificate components
        without attests of their own where other components of the certificate have theirs. Summary counts
        come first.

        OPTIONS:
          --format text|csv|html  text (default, fits 100 columns); csv: kind,post,id,title,taught_by,
                                  tested_by,attested_by,verdict; html: one self-contained printable page
          --out FILE              write to FILE instead of standard output (whole or not at all, never
                                  through a link; an existing FILE is refused)
          --force                 with --out, replace an existing FILE
          --plugins DIR           plugins folder the rubric's plugin scorers come from (default: ./plugins)
          -h, --help              show this help

        EXIT: 0 the matrix was written (gaps are findings, not failures), 1 the rubric has errors or FILE
        could not be written (it exists and --force was not given, it is a link or a folder, the disk is
        full: FILE is then as it was), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(arguments, options: ["--format", "--out", "--plugins"], flags: ["--force"])
        let format = try args.choice("--format", ["text", "csv", "html"], default: "text")
        guard args.positional.count == 1 else { throw UsageError("matrix needs exactly one rubric file") }
        guard let destination = try ReportOutput(args, output: output) else { return AssayCommand.ExitCode.checkFailed }
        guard let program = ValidRubric.load(args.positional[0], pluginDirectory: args.value("--plugins"), output: output)?.program
        else { return AssayCommand.ExitCode.checkFailed }
        let matrix = IntegrationMatrix(program: program)
        let text: String
        switch format {
        case "csv": text = MatrixWriter.csv(matrix)
        case "html": text = MatrixWriter.html(matrix)
        default: text = MatrixWriter.text(matrix)
        }
        return destination.write(text, output: output)
    }
}
