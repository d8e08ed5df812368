import AssayCLI
import Foundation

/// Runs `assay ARGS` in this process from the repository root, as a user there would, and returns its exit
/// status and what it wrote (standard output, standard error).
func runAssay(_ args: [String]) -> (code: Int32, out: String, err: String) {
    let output = Output.captured()
    let previous = FileManager.default.currentDirectoryPath
    _ = FileManager.default.changeCurrentDirectoryPath(ValidateCommandTests.root.path)
    defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
    let code = AssayCommand.run(args, output: output)
    return (code, output.standardOutput, output.standardError)
}
