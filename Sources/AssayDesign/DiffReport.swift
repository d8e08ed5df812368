import Foundation

/// The result of comparing two versions of a program on the same evidence: the structural rubric changes and
/// everything that changes for someone. Built by ``WhatIf``; written by ``DiffWriter``.
public struct DiffReport: Sendable, Hashable {
    /// The two versions compared: program id and version string of each.
    public var oldProgram: String
    public var oldVersion: String
    public var newProgram: String
    public var newVersion: String
    /// The recognition decision date, `YYYY-MM-DD`.
    public var asOf: String
    /// How many candidates the evidence holds.
    public var candidates: Int
    /// The structural rubric changes, in program order.
    public var changes: [RubricChange]
    /// Titles and descriptions that differ (they change no result and are not listed).
    public var wordingChanges: Int
    /// What changes for someone: outcomes, competition ranks and awards, recognition decisions.
    public var outcomes: [Impact]
    public var standings: [Impact]
    public var recognitions: [Impact]

    /// Whether nothing changes for anyone: no outcome, standing or recognition decision differs. (The rubric
    /// itself may still have changed, in a way this evidence does not reach.)
    public var nothingChanges: Bool { outcomes.isEmpty && standings.isEmpty && recognitions.isEmpty }

    /// Candidates something changes for, in first-mentioned order.
    public var affectedCandidates: [String] {
        var out: [String] = []
        var seen: Set<String> = []
        for i in outcomes + standings + recognitions where seen.insert(i.candidate).inserted { out.append(i.candidate) }
        return out
    }
}
