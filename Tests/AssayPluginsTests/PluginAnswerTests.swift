import AssayEngine
import AssayLoader
import AssayModel
@testable import AssayPlugins
import Foundation
import Testing

/// Answers that look right but are not (Fixtures/quirks.py): a score written with more digits than Assay
/// shows, and a second answer to the same request. Each is refused or reported with the plugin, the candidate
/// and the node, and every other candidate's outcome is what a well-behaved plugin gives.
@Suite("Plugin answers taken as written", .serialized)
struct PluginAnswerTests {
    func expectNothingLeft(_ plugin: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let folder = Fixture.folder.appendingPathComponent("plugins/\(plugin)").path
        #expect(livingProcesses(under: folder) == [], sourceLocation: sourceLocation)
    }

    @Test("a bare JSON number with 16 decimal places is refused for that candidate, naming plugin, candidate and node")
    func binaryFloatDigits() throws {
        for prepare in [true, false] {
            let (results, host) = try Fixture.run("number", prepare: prepare)
            #expect(
                results
                    == Fixture.expected(except: [
                        "C3": [
                            "B: plugin number failed: it answered candidate C3's request for B with the score 3.3333000000000001, "
                                + "which has 16 decimal places; Assay takes a plugin's score as written and shows at most 6, so it "
                                + "would be shortened: round it in the plugin and write it as a string (\"3.3333\")"
                        ]
                    ]))
            #expect(host.diagnostics == [])
        }
        expectNothingLeft("number")
    }

    @Test("a number with more digits than an exact score holds is refused as such, not called 'not a decimal number'")
    func beyondExact() throws {
        let (results, _) = try Fixture.run("number-long")
        #expect(
            results
                == Fixture.expected(except: [
                    "C3": [
                        "B: plugin number-long failed: answered with the score 3.33330000000000000001, which has more digits than "
                            + "Assay holds exactly (18); Assay takes a plugin's score as written and shows at most 6 decimal places: "
                            + "round it in the plugin and write it as a string"
                    ]
                ]))
        expectNothingLeft("number-long")
    }

    @Test("a bare JSON number within 6 decimal places is read exactly as written")
    func numberAsWritten() throws {
        let manifest = try Fixture.plugin("number-fine")
        let program = try Fixture.drill(with: manifest)
        let host = PluginHost(manifests: [manifest], program: program)
        defer { host.shutdown() }
        let engine = Engine(program: program, plugins: host)
        let all = Fixture.candidates(6)
        engine.prepare(all)
        let c3 = try #require(engine.score(all[2], tree: false).first)
        // 3 (aspect A) + 3.125000 as written (aspect B): exactly 49/8, not a binary float's neighbour.
        #expect(c3.status.isComplete)
        #expect(c3.value == Exact(49, over: 8))
        #expect(c3.value?.text() == "6.125")
        for c in all where c.id != "C3" {
            let o = try #require(engine.score(c, tree: false).first)
            #expect(o.value?.text() == Fixture.expected(except: [:])[c.id]?.description.replacingOccurrences(of: "total ", with: ""))
        }
    }

    @Test("plugins check fails a self-test answered with a binary float's digits, and says why")
    func selfTestDigits() throws {
        let check = PluginCheck.run(try Fixture.plugin("number-check"))
        #expect(check.handshakeProblem == nil)
        #expect(!check.passed)
        #expect(
            check.cases.map(\.detail) == [
                "failed: it answered with the score 3.3333000000000001, which has 16 decimal places; Assay takes a plugin's score "
                    + "as written and shows at most 6, so it would be shortened: round it in the plugin and write it as a string "
                    + "(\"3.3333\"); expected 3.3333"
            ])
        expectNothingLeft("number-check")
    }

    @Test("a second answer to one request is reported with its id, candidate and node; no other candidate takes the blame")
    func duplicate() throws {
        // Prepared: all six requests are in flight when C3's is answered twice; C4…C6 are sent again to a
        // restarted worker. One by one: the second answer is found before C4's request goes out.
        for prepare in [true, false] {
            let (results, host) = try Fixture.run("duplicate", prepare: prepare)
            #expect(results == Fixture.expected(except: [:]), "prepare: \(prepare)")
            #expect(
                host.diagnostics == [
                    "plugin duplicate failed: answered request 3 (candidate C3, node B) twice; the first answer stands; restarting (1 of 2)"
                ], "prepare: \(prepare)")
            #expect(host.worker(named: "duplicate")?.starts == 2)
        }
        expectNothingLeft("duplicate")
    }

    @Test("the limit counts the value's decimal places, not the digits written: trailing zeros cost nothing")
    func placesOfTheValue() throws {
        #expect(PluginScorer.tooPrecise(try #require(Exact(plainText: "3.125000000000"))) == nil)
        #expect(PluginScorer.tooPrecise(try #require(Exact(plainText: "0.123456"))) == nil)
        #expect(PluginScorer.tooPrecise(try #require(Exact(plainText: "-0.000001"))) == nil)
        #expect(
            PluginScorer.tooPrecise(try #require(Exact(plainText: "0.1234567")))
                == "the score 0.1234567, which has 7 decimal places; Assay takes a plugin's score as written and shows at most 6, "
                + "so it would be shortened: round it in the plugin and write it as a string (\"0.123457\")")
    }
}
