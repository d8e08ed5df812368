#!/usr/bin/env python3
"""report-structure: an Assay scorer plugin (protocol v1, plugins/PROTOCOL.md), Python 3 standard library only.

Scores a radiology report (a UTF-8 text artifact) for the sections a structured report must have and the
findings it must state.

Node parameters (see plugin.xml):
  sections       required  section headings in order, comma separated, e.g.
                           "Clinical history, Technique, Findings, Impression"
  findings       optional  terms the report must state, comma separated, e.g. "nodule, right upper lobe"
  section-share  optional  percent of the node's max for the sections (default 100 without findings, 60 with);
                           the rest is for the findings

A section counts when a line of the report is its heading (case-insensitive; an optional leading '#' and
trailing ':' are ignored; text may follow the colon on the same line) and something is written under it
before the next heading. A finding counts when its words appear, case-insensitive, in the text under the
headings. score = max x (share x sections found / sections + (100 - share) x findings found / findings) / 100,
rounded half-up to 4 decimals; decimal arithmetic throughout.
"""
import json
import sys
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

PROTOCOL = 1
SCORERS = ["report-structure"]


class Refusal(Exception):
    """The input cannot be scored; the message says why (sent back as an error answer)."""


def terms(text):
    return [t.strip() for t in text.split(",") if t.strip()]


def sections_of(report, headings):
    """Maps each heading found to the text under it."""
    wanted = {h.lower(): h for h in headings}
    found = {}
    current = None
    for raw in report.splitlines():
        line = raw.strip()
        key = line.lstrip("#").strip()
        head, colon, rest = key.partition(":")
        name = head.strip().lower()
        if name in wanted and (colon or key.lower() == name):
            current = wanted[name]
            found.setdefault(current, [])
            if rest.strip():
                found[current].append(rest.strip())
            continue
        if current is not None and line:
            found[current].append(line)
    return {h: " ".join(lines) for h, lines in found.items()}


def score(request):
    params = request.get("params", {})
    headings = terms(params.get("sections", ""))
    if not headings:
        raise Refusal("the node has no sections parameter (the headings a report must have)")
    findings = terms(params.get("findings", ""))
    try:
        share = Decimal(params.get("section-share", "60" if findings else "100"))
        maximum = Decimal(request["max"])
    except InvalidOperation:
        raise Refusal("section-share must be a number of percent")
    if not (0 <= share <= 100):
        raise Refusal("section-share must be between 0 and 100, not %s" % share)
    artifacts = request.get("artifacts", [])
    if len(artifacts) != 1:
        raise Refusal("expected one report (a text artifact), got %d" % len(artifacts))
    try:
        with open(artifacts[0]["path"], encoding="utf-8") as f:
            report = f.read()
    except (OSError, UnicodeDecodeError) as e:
        raise Refusal("the report %s cannot be read as UTF-8 text: %s" % (artifacts[0].get("name", ""), e))
    found = sections_of(report, headings)
    present = [h for h in headings if found.get(h)]
    missing = [h for h in headings if not found.get(h)]
    body = " ".join(found.values()).lower()
    stated = [t for t in findings if t.lower() in body]
    absent = [t for t in findings if t.lower() not in body]
    part = share * len(present) / len(headings)
    if findings:
        part += (100 - share) * len(stated) / len(findings)
    result = (maximum * part / 100).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    text = format(result, "f")
    words = ["sections %d of %d" % (len(present), len(headings))]
    if missing:
        words[-1] += " (missing or empty: %s)" % ", ".join(missing)
    if findings:
        words.append("findings %d of %d" % (len(stated), len(findings)) + (" (not stated: %s)" % ", ".join(absent) if absent else ""))
    return text, "; ".join(words) + " = %s of %s" % (text, format(maximum.normalize(), "f"))


def main():
    out = sys.stdout
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            print("report-structure: ignoring a line that is not JSON", file=sys.stderr)
            continue
        kind = message.get("type")
        if kind == "hello":
            answer = {"type": "hello", "protocol": PROTOCOL, "name": "report-structure", "version": "1.0.0", "scorers": SCORERS}
        elif kind == "score":
            try:
                value, explanation = score(message)
                answer = {"type": "result", "id": message["id"], "score": value, "explanation": explanation}
            except Refusal as r:
                answer = {"type": "error", "id": message["id"], "message": str(r)}
        elif kind == "shutdown":
            return 0
        else:
            continue
        out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
