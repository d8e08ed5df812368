import AssayDesign
import AssayModel
import Foundation

/// `assay export-case RUBRIC`: the program as a 1EdTech CASE 1.0 CFPackage (JSON).
enum ExportCaseCommand {
    static let help = """
        USAGE: assay export-case RUBRIC [--last-change DATE] [--base-uri URI] [--creator NAME]
                                 [--out FILE [--force]] [--plugins DIR]

        Writes the program as a 1EdTech CASE 1.0 package (CFPackage JSON) for the competency-framework tools
        a province or institution already uses: the program is the CFDocument; posts, requirements, courses,
        competitions, competition scoring-tree nodes, certificates and certificate components are CFItems;
        the hierarchy is isChildOf associations (top-level items are children of the CFDocument), and the
        mappings are isRelatedTo associations from the course, node, certificate or component to the
        requirement, each in the association grouping covers, tests or attests.

        Identifiers are name-based UUIDs (version 5) from the program id and each element's ids, so exporting
        the same program again gives the same bytes, and an element keeps its identifier in later versions
        of the program while its id stays the same.

        OPTIONS:
          --last-change DATE  lastChangeDateTime of every object: YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ. Default:
                              1 January of the year the program version starts with (version 2025.1 →
                              2025-01-01T00:00:00+00:00); required when the version does not start with a year.
                              Never the time of export: re-exports must be identical.
          --base-uri URI      prefix of every uri (uri = URI + identifier); default urn:uuid:
          --creator NAME      the CFDocument's creator (default: the program's title)
          --out FILE          write to FILE instead of standard output (whole or not at all, never through a
                              link; an existing FILE is refused)
          --force             with --out, replace an existing FILE
          --plugins DIR       plugins folder the rubric's plugin scorers come from (default: ./plugins)
          -h, --help          show this help

        EXIT: 0 written, 1 the rubric has errors or FILE could not be written (it exists and --force was not
        given, it is a link or a folder, the disk is full: FILE is then as it was), 2 wrong usage.

        """

    static func run(_ arguments: [String], output: Output) throws -> Int32 {
        if arguments.contains("-h") || arguments.contains("--help") {
            output.out(help)
            return AssayCommand.ExitCode.ok
        }
        let args = try Arguments(
            arguments, options: ["--last-change", "--base-uri", "--creator", "--out", "--plugins"], flags: ["--force"])
        guard args.positional.count == 1 else { throw UsageError("export-case needs exactly one rubric file") }
        guard let destination = try ReportOutput(args, output: output) else { return AssayCommand.ExitCode.checkFailed }
        guard let program = ValidRubric.load(args.positional[0], pluginDirectory: args.value("--plugins"), output: output)?.program
        else { return AssayCommand.ExitCode.checkFailed }
        guard let lastChange = args.value("--last-change") ?? CASEPackage.lastChange(fromVersion: program.version) else {
            throw UsageError(
                "the program version '\(program.version)' does not start with a year; give --last-change YYYY-MM-DD")
        }
        let package: CASEPackage
        do {
            package = try CASEPackage(
                program: program, lastChange: lastChange, creator: args.value("--creator") ?? program.title,
                baseURI: args.value("--base-uri"))
        } catch let e as CASEPackage.OptionError {
            throw UsageError("--last-change: \(e.description)")
        }
        return destination.write(package.json, output: output)
    }
}
