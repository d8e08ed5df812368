/// The Open Badges 3.0 `AchievementCredential` schema rules Assay checks in Swift: required members and their
/// JSON types, the `type` sets, the contexts, and the date-time form of `validFrom`.
///
/// This is a subset of `achievementcredential.json` (JSON Schema 2019-09): enough to catch a credential that
/// is not one. The full schema is applied by `scripts/verify-records` with Python's `jsonschema`.
public enum CredentialCheck {
    /// Every rule `credential` breaks, as `path: what is wrong`; empty when it passes.
    public static func problems(_ credential: JSONValue) -> [String] {
        var out: [String] = []
        guard let c = credential.objectValue else { return ["the credential is not a JSON object"] }

        if let ctx = c["@context"]?.arrayValue, ctx.count >= 2 {
            if ctx[0] != .string("https://www.w3.org/ns/credentials/v2") {
                out.append("@context[0]: must be \"https://www.w3.org/ns/credentials/v2\"")
            }
            let ob = ctx[1].stringValue ?? ""
            if !(ob.hasPrefix("https://purl.imsglobal.org/spec/ob/v3p0/context") && ob.hasSuffix(".json")) {
                out.append("@context[1]: must be the Open Badges 3.0 context (https://purl.imsglobal.org/spec/ob/v3p0/context-3.x.x.json)")
            }
            for (i, item) in ctx.enumerated().dropFirst(2) where item.stringValue == nil && item.objectValue == nil {
                out.append("@context[\(i)]: must be a URI or an object")
            }
        } else {
            out.append("@context: required, an array of at least 2 contexts")
        }
        string(c["id"], "id", &out)
        types(c["type"], "type", must: ["VerifiableCredential"], &out)
        types(c["type"], "type", oneOf: ["AchievementCredential", "OpenBadgeCredential"], &out)
        switch c["issuer"] {
        case .string?: break
        case .object(let issuer)?:
            string(issuer["id"], "issuer.id", &out)
            types(issuer["type"], "issuer.type", must: ["Profile"], &out)
            optionalString(issuer["name"], "issuer.name", &out)
        default: out.append("issuer: required, a URI or a Profile object")
        }
        if let v = c["validFrom"] {
            if let s = v.stringValue, Timestamp.parse(s) != nil, s.contains("T") {} else {
                out.append("validFrom: must be a date-time (YYYY-MM-DDThh:mm:ssZ)")
            }
        } else {
            out.append("validFrom: required")
        }
        for key in ["name", "description", "awardedDate", "validUntil"] { optionalString(c[key], key, &out) }

        if let s = c["credentialSubject"]?.objectValue {
            optionalString(s["id"], "credentialSubject.id", &out)
            types(s["type"], "credentialSubject.type", must: ["AchievementSubject"], &out)
            optionalNumber(s["creditsEarned"], "credentialSubject.creditsEarned", &out)
            optionalString(s["narrative"], "credentialSubject.narrative", &out)
            if let ids = s["identifier"] {
                for (i, item) in (ids.arrayValue ?? []).enumerated() {
                    let p = "credentialSubject.identifier[\(i)]"
                    if item["type"] != .string("IdentityObject") { out.append("\(p).type: must be \"IdentityObject\"") }
                    string(item["identityHash"], "\(p).identityHash", &out)
                    string(item["identityType"], "\(p).identityType", &out)
                    if case .bool? = item["hashed"] {} else { out.append("\(p).hashed: required, true or false") }
                }
                if ids.arrayValue == nil { out.append("credentialSubject.identifier: must be an array") }
            }
            if let a = s["achievement"]?.objectValue {
                string(a["id"], "credentialSubject.achievement.id", &out)
                types(a["type"], "credentialSubject.achievement.type", must: ["Achievement"], &out)
                string(a["name"], "credentialSubject.achievement.name", &out)
                string(a["description"], "credentialSubject.achievement.description", &out)
                if a["criteria"]?.objectValue == nil { out.append("credentialSubject.achievement.criteria: required, an object") }
                optionalNumber(a["creditsAvailable"], "credentialSubject.achievement.creditsAvailable", &out)
                for (i, rd) in (a["resultDescription"]?.arrayValue ?? []).enumerated() {
                    let p = "credentialSubject.achievement.resultDescription[\(i)]"
                    string(rd["id"], "\(p).id", &out)
                    types(rd["type"], "\(p).type", must: ["ResultDescription"], &out)
                    string(rd["name"], "\(p).name", &out)
                    string(rd["resultType"], "\(p).resultType", &out)
                }
            } else {
                out.append("credentialSubject.achievement: required, an Achievement object")
            }
            for (i, r) in (s["result"]?.arrayValue ?? []).enumerated() {
                types(r["type"], "credentialSubject.result[\(i)].type", must: ["Result"], &out)
                optionalString(r["value"], "credentialSubject.result[\(i)].value", &out)
            }
        } else {
            out.append("credentialSubject: required, an AchievementSubject object")
        }
        if let evidence = c["evidence"] {
            if let items = evidence.arrayValue {
                for (i, e) in items.enumerated() { types(e["type"], "evidence[\(i)].type", must: ["Evidence"], &out) }
            } else {
                out.append("evidence: must be an array")
            }
        }
        return out
    }

    private static func string(_ v: JSONValue?, _ path: String, _ out: inout [String]) {
        if v?.stringValue == nil { out.append("\(path): required, a string") }
    }

    private static func optionalString(_ v: JSONValue?, _ path: String, _ out: inout [String]) {
        if let v, v.stringValue == nil { out.append("\(path): must be a string") }
    }

    private static func optionalNumber(_ v: JSONValue?, _ path: String, _ out: inout [String]) {
        if let v, v.numberText == nil { out.append("\(path): must be a number") }
    }

    private static func types(_ v: JSONValue?, _ path: String, must: [String] = [], oneOf: [String] = [], _ out: inout [String]) {
        guard let items = v?.arrayValue, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) else {
            if must.isEmpty == false || oneOf.isEmpty == false, !out.contains("\(path): required, an array of strings") {
                out.append("\(path): required, an array of strings")
            }
            return
        }
        let names = Set(items.compactMap(\.stringValue))
        for m in must where !names.contains(m) { out.append("\(path): must contain \"\(m)\"") }
        if !oneOf.isEmpty, names.isDisjoint(with: oneOf) {
            out.append("\(path): must contain one of " + oneOf.map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }
}
