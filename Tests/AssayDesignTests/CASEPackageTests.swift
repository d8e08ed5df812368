import AssayDesign
import AssayModel
import Foundation
import Testing

@Suite("CASE 1.0 export")
struct CASEPackageTests {
    @Test("name-based UUIDs (v5, SHA-1) match RFC 9562's algorithm as Python's uuid.uuid5 computes it")
    func uuid5() {
        #expect(NameBasedUUID(namespace: .urlNamespace, name: "http://python.org/").description == "4c565f0d-3f5a-5890-b41b-20cf47701c5e")
        let program = NameBasedUUID(namespace: .urlNamespace, name: "urn:assay:program:gaps")
        #expect(program.description == "34817d07-44e4-5f05-9df6-62d3713044a6")
        #expect(NameBasedUUID(namespace: program, name: "requirement:r-all").description == "b269c83e-a327-561a-a937-ac21b3226a84")
    }

    @Test("the document and items carry the identifiers derived from the program id and element ids")
    func identifiers() throws {
        let p = try CASEPackage(program: try Fixtures.program("gaps.xml"), lastChange: "2026-03-01", creator: "Gap School")
        #expect(p.document.identifier == "2c404889-df4f-5761-86d7-3021fa017d4e")
        #expect(p.document.uri == "urn:uuid:2c404889-df4f-5761-86d7-3021fa017d4e")
        #expect(p.document.lastChangeDateTime == "2026-03-01T00:00:00+00:00")
        #expect(p.document.version == "2026.1")
        let item = try #require(p.items.first { $0.humanCodingScheme == "r-all" })
        #expect(item.identifier == "b269c83e-a327-561a-a937-ac21b3226a84")
        #expect(item.CFItemType == "Requirement")
        #expect(item.fullStatement == "Does everything right")
    }

    @Test("every post, requirement, course, competition node, certificate and component is an item, in program order")
    func items() throws {
        let p = try CASEPackage(program: try Fixtures.program("gaps.xml"), lastChange: "2026-03-01", creator: "Gap School")
        #expect(
            p.items.map { "\($0.CFItemType): \($0.humanCodingScheme)" } == [
                "Post: tech", "Requirement: r-all", "Requirement: r-untaught", "Requirement: r-untested",
                "Post: analyst", "Requirement: r-unattested", "Requirement: r-nothing",
                "Course: C1", "Course: C2",
                "Competition: cup", "Competition node: cup/total", "Competition node: cup/S1", "Competition node: cup/A1",
                "Competition node: cup/A2", "Competition node: cup/A3", "Competition node: cup/A4",
                "Certificate: cert1", "Certificate component: cert1/k1", "Certificate component: cert1/k2",
                "Certificate: cert2", "Certificate component: cert2/k1",
            ])
    }

    @Test("mappings are isRelatedTo associations grouped as covers, tests or attests; hierarchy is isChildOf")
    func associations() throws {
        let p = try CASEPackage(program: try Fixtures.program("gaps.xml"), lastChange: "2026-03-01", creator: "Gap School")
        let code = Dictionary(p.items.map { ($0.identifier, $0.humanCodingScheme) }, uniquingKeysWith: { a, _ in a })
            .merging([p.document.identifier: "(document)"]) { a, _ in a }
        let related = p.associations.filter { $0.associationType == "isRelatedTo" }.map {
            "\($0.CFAssociationGroupingURI?.title ?? "?") \(code[$0.originNodeURI.identifier]!) → \(code[$0.destinationNodeURI.identifier]!)"
        }
        #expect(
            related == [
                "covers C1 → r-all", "covers C1 → r-untested", "covers C1 → r-unattested",
                "tests cup/S1 → r-all", "tests cup/A3 → r-untaught", "tests cup/A3 → r-unattested",
                "attests cert1 → r-all", "attests cert1/k1 → r-untaught", "attests cert1/k1 → r-untested",
            ])
        let children = p.associations.filter { $0.associationType == "isChildOf" }
        #expect(children.count == 21)
        #expect(
            children.prefix(3).map { "\(code[$0.originNodeURI.identifier]!) ⊂ \(code[$0.destinationNodeURI.identifier]!) #\($0.sequenceNumber ?? 0)" }
                == ["tech ⊂ (document) #1", "r-all ⊂ tech #1", "r-untaught ⊂ tech #2"])
        #expect(p.associations.count == 30)
        #expect(Set(p.associations.map(\.identifier)).count == 30)
    }

    @Test("every association's origin and destination is an exported item (or the document), with its title and uri")
    func endpoints() throws {
        let p = try CASEPackage(program: try Fixtures.program(atPath: Fixtures.bundled), lastChange: "2025-09-01", creator: "x")
        var exported: [String: (String, String)] = [p.document.identifier: (p.document.title, p.document.uri)]
        for i in p.items { exported[i.identifier] = (i.fullStatement, i.uri) }
        #expect(exported.count == p.items.count + 1)
        #expect(!p.associations.isEmpty)
        for a in p.associations {
            for end in [a.originNodeURI, a.destinationNodeURI] {
                let hit = exported[end.identifier]
                #expect(hit?.0 == end.title && hit?.1 == end.uri, "\(a.associationType) \(end.identifier)")
            }
            #expect(a.CFDocumentURI.identifier == p.document.identifier)
        }
    }

    @Test("two exports of the same program are byte-identical JSON with the CFPackage's four parts")
    func deterministic() throws {
        let program = try Fixtures.program(atPath: Fixtures.bundled)
        let a = try CASEPackage(program: program, lastChange: "2025-01-01", creator: "x", baseURI: "https://case.example.edu/uri/").json
        let b = try CASEPackage(program: try Fixtures.program(atPath: Fixtures.bundled), lastChange: "2025-01-01", creator: "x", baseURI: "https://case.example.edu/uri/").json
        #expect(a == b)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["CFAssociations", "CFDefinitions", "CFDocument", "CFItems"])
        #expect(a.contains("\"uri\" : \"https://case.example.edu/uri/"))
        #expect(!a.contains("\\/"))
    }

    @Test("lastChangeDateTime: from the version's year, or a given date or date-time; never anything else")
    func lastChange() throws {
        #expect(CASEPackage.lastChange(fromVersion: "2025.1") == "2025-01-01T00:00:00+00:00")
        #expect(CASEPackage.lastChange(fromVersion: "v2") == nil)
        let program = try Fixtures.program("gaps.xml")
        #expect(try CASEPackage(program: program, lastChange: "2026-03-01T08:30:00Z", creator: "x").document.lastChangeDateTime == "2026-03-01T08:30:00+00:00")
        #expect(try CASEPackage(program: program, lastChange: "2026-03-01T08:30:00+08:00", creator: "x").document.lastChangeDateTime == "2026-03-01T08:30:00+08:00")
        #expect(try CASEPackage(program: program, lastChange: "2024-02-29", creator: "x").document.lastChangeDateTime == "2024-02-29T00:00:00+00:00")
        #expect(try CASEPackage(program: program, lastChange: "2026-12-31T23:59:59-05:30", creator: "x").document.lastChangeDateTime == "2026-12-31T23:59:59-05:30")
        for bad in [
            "yesterday", "2026-13-01", "2026-03-01T8:30", "2026-03-01 08:30:00Z", "2025-02-31", "2025-02-29", "1900-02-29",
            "2026-04-31", "2026-00-10", "2026-03-00", "2026-03-01T25:61:61Z", "2026-03-01T24:00:00Z", "2026-03-01T23:60:00Z",
            "2026-03-01T08:30:00+25:00", "2026-03-01T08:30:00+08:60", "2026-03-01T08:30:00Zjunk", "2026-03-01junk",
        ] {
            #expect(throws: CASEPackage.OptionError.self) { try CASEPackage(program: program, lastChange: bad, creator: "x") }
        }
    }
}
