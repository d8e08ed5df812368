import AssayCLI
import Foundation

exit(AssayCommand.run(Array(CommandLine.arguments.dropFirst())))
