import AssayModel
import CLibXML2
import Foundation
import Testing

@testable import AssayLoader

/// Rubrics are untrusted input: Assay must never read a local file, fetch a URL or expand an entity bomb
/// because a rubric asked it to.
@Suite("Hostile XML is refused without touching files or the network", .serialized)
struct HostileXMLTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")

    func path(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    @Test("an external entity naming a local file (XXE) is refused and the file's content never appears")
    func xxe() throws {
        // A real local file with a secret in it, named by the rubric's external entity.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-xxe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let secret = dir.appendingPathComponent("secret.txt")
        try Data("TOP-SECRET-MARK-SHEET".utf8).write(to: secret)
        let template = try String(contentsOfFile: path("xxe-local-file.xml"), encoding: .utf8)
        let rubric = dir.appendingPathComponent("xxe.xml")
        try Data(template.replacingOccurrences(of: "SECRET_PATH", with: secret.path).utf8).write(to: rubric)

        let loadsBefore = XMLDocument.refusedExternalLoads
        let result = RubricLoader().load(rubric.path)
        #expect(result.program == nil)
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.code == "xml-doctype-refused")
        #expect(d.location == SourceLocation(file: rubric.path, line: 2, column: 1))
        #expect(
            d.message
                == "the file has a DOCTYPE declaration; Assay refuses DOCTYPEs, entity declarations and external DTDs in its input, and read nothing further")
        #expect(!d.message.contains("TOP-SECRET"))
        // The parser stopped at the DOCTYPE: it never even asked for the file.
        #expect(XMLDocument.refusedExternalLoads == loadsBefore)
    }

    @Test("a billion-laughs entity bomb is refused at once, before any entity is declared")
    func billionLaughs() throws {
        let r = RubricLoader().load(path("billion-laughs.xml"))
        #expect(r.program == nil)
        #expect(r.diagnostics.map(\.code) == ["xml-doctype-refused"])
        #expect(r.diagnostics.first?.location.line == 2)
        // Expanded, the title would be 10^9 characters; the parser stopped before reading a declaration.
        #expect(r.diagnostics.count == 1)
    }

    @Test("an external DTD URL is refused and nothing is fetched")
    func externalDTD() throws {
        let loadsBefore = XMLDocument.refusedExternalLoads
        let r = RubricLoader().load(path("external-dtd.xml"))
        #expect(r.program == nil)
        let d = try #require(r.diagnostics.first)
        #expect(r.diagnostics.count == 1)
        #expect(d.code == "xml-doctype-refused")
        #expect(
            d.message
                == "the file has a DOCTYPE declaration naming an external DTD ('http://127.0.0.1:9/rubric.dtd'); Assay refuses DOCTYPEs, entity declarations and external DTDs in its input, and read nothing further")
        #expect(d.location == SourceLocation(file: path("external-dtd.xml"), line: 2, column: 1))
        #expect(XMLDocument.refusedExternalLoads == loadsBefore)
    }

    @Test("an entity reference with no declaration is malformed, not a lookup")
    func undefinedEntity() throws {
        let r = RubricLoader().load(path("undefined-entity.xml"))
        #expect(r.program == nil)
        #expect(r.diagnostics.count == 1)
        let d = try #require(r.diagnostics.first)
        #expect(d.code == "xml-malformed")
        #expect(d.message == "'&secret;' is not a character Assay knows (rubrics have no entity declarations)")
        #expect(d.location.line == 2)
    }

    @Test("XInclude is not processed: the include element is just an element the schema rejects")
    func xinclude() throws {
        let r = RubricLoader().load(path("xinclude.xml"))
        #expect(r.program == nil)
        #expect(r.diagnostics.map(\.code) == ["schema-unexpected-element"])
        #expect(r.diagnostics.first?.location == SourceLocation(file: path("xinclude.xml"), line: 3, column: 3))
        #expect(!(r.diagnostics.first?.message.contains("root:") ?? true))
    }

    @Test("the refusing external-entity loader is what libxml2 uses when something does ask")
    func loaderRefuses() {
        LibXML.initialize()
        let before = XMLDocument.refusedExternalLoads
        // Ask libxml2 directly for an external resource, as a DTD or entity load would.
        let input = "file:///etc/hostname".withCString { xmlLoadExternalEntity($0, nil, nil) }
        #expect(input == nil)
        #expect(XMLDocument.refusedExternalLoads == before + 1)
    }
}
