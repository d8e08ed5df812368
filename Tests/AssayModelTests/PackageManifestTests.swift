import Foundation
import Testing

/// What Package.swift says each target depends on, read with a small pattern (it is our own file), and what
/// the target's Swift files import.
///
/// The pattern: after `//` comments are dropped, every `.target(`, `.executableTarget(`, `.testTarget(` or
/// `.systemLibrary(` call up to its matching `)` is one target; inside it `name: "…"`, `path: "…"`,
/// `dependencies: [ … ]` and `exclude: [ … ]` are read, whatever the spacing and line breaks. Dependencies are
/// written by name, as string literals; anything else (`.product(…)`, `.target(name:)`) is reported as a
/// problem rather than silently skipped. Targets are declared in the flow order of DESIGN.md, so each target
/// may depend only on targets declared above it.
struct PackageManifest {
    struct Target {
        var name: String
        var kind: String
        var path: String
        var dependencies: [String]
        var exclude: [String]
        /// Where the declaration starts in Package.swift (its order in the flow).
        var order: Int
    }

    var targets: [Target] = []
    /// Dependencies written as something other than a plain string literal.
    var unreadable: [String] = []

    init(text: String) {
        let source = Self.droppingComments(text)
        let chars = Array(source.unicodeScalars)
        let call = #/\.(target|executableTarget|testTarget|systemLibrary)\(/#
        var index = source.startIndex
        while let match = source[index...].firstMatch(of: call) {
            let open = source.unicodeScalars.distance(from: source.startIndex, to: match.range.upperBound) - 1
            var depth = 0
            var end = open
            var inString = false
            for i in open..<chars.count {
                let c = chars[i]
                if c == "\"" { inString.toggle() }
                if inString { continue }
                if c == "(" { depth += 1 }
                if c == ")" { depth -= 1; if depth == 0 { end = i; break } }
            }
            let body = String(String.UnicodeScalarView(chars[(open + 1)..<end]))
            let kind = String(match.output.1)
            let name = body.firstMatch(of: #/name:\s*"([^"]+)"/#).map { String($0.output.1) } ?? ""
            let dependencies = Self.list("dependencies", in: body)
            for entry in dependencies.others { unreadable.append("\(name): \(entry)") }
            let defaultPath = (kind == "testTarget" ? "Tests/" : "Sources/") + name
            let path = body.firstMatch(of: #/path:\s*"([^"]+)"/#).map { String($0.output.1) } ?? defaultPath
            targets.append(
                Target(
                    name: name, kind: kind, path: path, dependencies: dependencies.names,
                    exclude: Self.list("exclude", in: body).names, order: targets.count))
            index = source.unicodeScalars.index(source.startIndex, offsetBy: end + 1)
        }
    }

    /// The string literals of `label: [ … ]`, and whatever else the list holds.
    private static func list(_ label: String, in body: String) -> (names: [String], others: [String]) {
        guard let range = body.range(of: label + ":"),
            let open = body[range.upperBound...].firstIndex(of: "["),
            let close = body[open...].firstIndex(of: "]")
        else { return ([], []) }
        var names: [String] = []
        var others: [String] = []
        for entry in body[body.index(after: open)..<close].split(separator: ",") {
            let item = entry.trimmingCharacters(in: .whitespacesAndNewlines)
            if item.isEmpty { continue }
            if let literal = item.wholeMatch(of: #/"([^"]+)"/#) {
                names.append(String(literal.output.1))
            } else {
                others.append(item)
            }
        }
        return (names, others)
    }

    /// The text without `//` comments (outside string literals).
    private static func droppingComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            var inString = false
            var previous: Character = " "
            for i in line.indices {
                let c = line[i]
                if c == "\"" { inString.toggle() }
                if !inString && c == "/" && previous == "/" { return line[..<line.index(before: i)] }
                previous = c
            }
            return line
        }.joined(separator: "\n")
    }

    /// One `import` of a Swift file: the module and where it is written.
    struct Import {
        var module: String
        var file: String
        var line: Int
    }

    /// The modules imported by the Swift files under `directory` (relative paths in `file`), leaving out the
    /// excluded folders and the text of multi-line string literals.
    static func imports(under directory: URL, root: URL, exclude: [String]) -> [Import] {
        let importLine =
            #/^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)/#
        let excluded = exclude.map { directory.appendingPathComponent($0).standardizedFileURL.path + "/" }
        var found: [Import] = []
        let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)
        var files: [URL] = []
        while let url = walker?.nextObject() as? URL {
            let path = url.standardizedFileURL.path
            if url.pathExtension == "swift" && !excluded.contains(where: { path.hasPrefix($0) }) { files.append(url) }
        }
        for url in files.sorted(by: { $0.path < $1.path }) {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            var inMultilineString = false
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let quotes = line.ranges(of: "\"\"\"").count
                if !inMultilineString, let match = line.firstMatch(of: importLine) {
                    found.append(Import(module: String(match.output.1), file: relative, line: number + 1))
                }
                if quotes % 2 == 1 { inMultilineString.toggle() }
            }
        }
        return found
    }

    /// Every way Package.swift and the imports disagree, one readable sentence each.
    static func problems(root: URL) throws -> [String] {
        let text = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let manifest = PackageManifest(text: text)
        var problems = manifest.unreadable.map {
            "Package.swift: a dependency is not written as a target's name in quotes (\($0)); write it as \"Name\""
        }
        let byName = Dictionary(manifest.targets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // Modules of this package a target can import (test targets are not imported).
        let projectModules = Set(manifest.targets.filter { $0.kind != "testTarget" }.map(\.name))
        let executables = Set(manifest.targets.filter { $0.kind == "executableTarget" }.map(\.name))
        for folder in ["Sources", "Tests"] {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                if !manifest.targets.contains(where: { $0.path == "\(folder)/\(name)" }) {
                    problems.append("\(folder)/\(name) is not the folder of any target in Package.swift")
                }
            }
        }
        for target in manifest.targets where target.kind != "systemLibrary" {
            for dependency in target.dependencies {
                guard let declared = byName[dependency] else {
                    problems.append("\(target.name) depends on \(dependency), which Package.swift does not declare")
                    continue
                }
                if declared.order > target.order {
                    problems.append(
                        "\(target.name) depends on \(dependency), which Package.swift declares below it: "
                            + "targets are declared in the flow order, each depending only on targets above it")
                }
            }
            let imports = imports(
                under: root.appendingPathComponent(target.path), root: root, exclude: target.exclude
            ).filter { projectModules.contains($0.module) && $0.module != target.name }
            let imported = Set(imports.map(\.module))
            for module in imported.subtracting(target.dependencies).sorted() {
                let first = imports.first { $0.module == module }!
                problems.append(
                    "\(target.name) imports \(module) (\(first.file):\(first.line)) but Package.swift does not "
                        + "declare it: add \"\(module)\" to the dependencies of \(target.name)")
            }
            // An executable is a dependency of a test target so that its binary is built for the tests to run.
            let unused = Set(target.dependencies).subtracting(imported).subtracting(executables)
            for module in unused.sorted() {
                problems.append(
                    "\(target.name) declares \(module) but no Swift file in \(target.path) imports it: "
                        + "remove \"\(module)\" from the dependencies of \(target.name)")
            }
        }
        return problems
    }
}

@Suite("Package.swift tells the truth: each target declares exactly the modules it imports")
struct PackageManifestTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("every target of this package imports each module it declares, and declares each module it imports")
    func thisPackage() throws {
        let manifest = PackageManifest(
            text: try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8))
        // The pattern found the targets (an empty reading would find no problem either).
        let names = Set(manifest.targets.map(\.name))
        for expected in [
            "AssayModel", "AssayLoader", "AssayEngine", "AssayPlugins", "AssayResults", "AssayRecognition",
            "AssayRecords", "AssayLedger", "AssayDesign", "AssayCLI", "assay", "assay-bench", "CLibXML2",
            "CLibCrypto", "CSQLite", "AssayModelTests", "AssayCLITests", "AssayLedgerTests",
        ] {
            #expect(names.contains(expected), "Package.swift read without target \(expected)")
        }
        #expect(manifest.targets.first { $0.name == "AssayLedger" }?.dependencies.contains("CSQLite") == true)
        #expect(manifest.targets.first { $0.name == "assay-bench" }?.path == "Benchmarks/assay-bench")
        // One issue a disagreement, each naming the target and the module.
        for problem in try PackageManifest.problems(root: Self.root) { Issue.record("\(problem)") }
    }

    @Test("a package whose manifest declares a module nobody imports and misses one that is imported is told so")
    func lies() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("assay-manifest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        // Package.swift as it was before issue 14: Recognition declares Results and never imports it; Ledger
        // declares CLibCrypto and never uses it, and imports Recognition without declaring it.
        try write(
            "Package.swift",
            """
            // swift-tools-version: 6.0
            import PackageDescription
            let package = Package(
                name: "Lies",
                targets: [
                    .systemLibrary(name: "CLibCrypto", pkgConfig: "libcrypto"),  // .target(name: "Nope")
                    .target(name: "AssayResults"),
                    .target(name: "AssayRecords", dependencies: ["AssayLedger"]),
                    .target(name: "AssayRecognition", dependencies: ["AssayResults"]),
                    .target(
                        name: "AssayLedger",
                        dependencies: [
                            "AssayResults",
                            "CLibCrypto",
                        ],
                        swiftSettings: []),
                    .executableTarget(name: "tool", dependencies: ["AssayLedger"]),
                    .testTarget(name: "AssayLedgerTests", dependencies: ["AssayLedger", "tool"], exclude: ["Fixtures"]),
                ]
            )
            """)
        try write("Sources/CLibCrypto/module.modulemap", "")
        try write("Sources/AssayResults/Results.swift", "public struct Standing {}\n")
        try write("Sources/AssayRecognition/Recognizer.swift", "import Foundation\n\nstruct Recognizer {}\n")
        try write(
            "Sources/AssayLedger/Ledger.swift",
            "import AssayResults\n@preconcurrency internal import AssayRecognition\nlet script = \"\"\"\n    import CLibCrypto\n    \"\"\"\n")
        try write("Sources/AssayRecords/Records.swift", "public import AssayLedger\n")
        try write("Sources/tool/main.swift", "import AssayLedger\n")
        try write("Tests/AssayLedgerTests/LedgerTests.swift", "@testable import AssayLedger\nimport Testing\n")
        try write("Tests/AssayLedgerTests/Fixtures/Plugin.swift", "import AssayResults\n")
        try write("Tests/Orphan/OrphanTests.swift", "import Testing\n")

        #expect(
            try PackageManifest.problems(root: root) == [
                "Tests/Orphan is not the folder of any target in Package.swift",
                "AssayRecords depends on AssayLedger, which Package.swift declares below it: targets are declared "
                    + "in the flow order, each depending only on targets above it",
                "AssayRecognition declares AssayResults but no Swift file in Sources/AssayRecognition imports it: "
                    + "remove \"AssayResults\" from the dependencies of AssayRecognition",
                "AssayLedger imports AssayRecognition (Sources/AssayLedger/Ledger.swift:2) but Package.swift does "
                    + "not declare it: add \"AssayRecognition\" to the dependencies of AssayLedger",
                "AssayLedger declares CLibCrypto but no Swift file in Sources/AssayLedger imports it: "
                    + "remove \"CLibCrypto\" from the dependencies of AssayLedger",
            ])
    }
}
