#!/usr/bin/env python3
"""exposure-check: an Assay scorer plugin (protocol v1, plugins/PROTOCOL.md), Python 3 standard library only.

Scores an entrant's chosen exposure or scan parameters (kVp, mAs, SID, slice thickness, ...) against the
reference ranges a rubric node gives, with a partial-credit band around each range.

Node parameters (see plugin.xml):
  ranges   required  name:low-high pairs, comma separated, e.g. "kvp:110-125, mas:2-5, sid:175-185"
  band     optional  how far outside a range still earns partial credit, in percent of the range's
                     nearer limit (default 10)
  partial  optional  the share of a parameter's credit earned inside the band (default 0.5)

Evidence: one artifact, a JSON object of the parameters the entrant set, e.g. {"kvp": 120, "mas": 3.2}
(numbers or decimal strings). Each parameter weighs the same: score = max x (sum of credits) / (number of
parameters), with credit 1 inside its range, `partial` inside the band, 0 beyond; rounded half-up to
4 decimals. Arithmetic is decimal (no binary floating point).
"""
import json
import sys
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

PROTOCOL = 1
SCORERS = ["exposure-check"]


class Refusal(Exception):
    """The input cannot be scored; the message says why (sent back as an error answer)."""


def decimal(text, what):
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise Refusal("%s: '%s' is not a number" % (what, text))
    if not value.is_finite():
        raise Refusal("%s: '%s' is not a number" % (what, text))
    return value


def parse_ranges(text):
    ranges = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        name, sep, bounds = part.partition(":")
        low, dash, high = bounds.strip().partition("-")
        if not sep or not dash or not name.strip():
            raise Refusal("the ranges parameter has '%s'; write name:low-high, e.g. kvp:110-125" % part)
        lo, hi = decimal(low, "range " + name), decimal(high, "range " + name)
        if lo > hi:
            raise Refusal("the range for %s runs from %s down to %s; write the lower limit first" % (name.strip(), lo, hi))
        ranges.append((name.strip(), lo, hi))
    if not ranges:
        raise Refusal("the ranges parameter is empty")
    return ranges


def score(request):
    params = request.get("params", {})
    if "ranges" not in params:
        raise Refusal("the node has no ranges parameter")
    ranges = parse_ranges(params["ranges"])
    band = decimal(params.get("band", "10"), "band")
    partial = decimal(params.get("partial", "0.5"), "partial")
    maximum = decimal(request["max"], "max")
    artifacts = request.get("artifacts", [])
    if len(artifacts) != 1:
        raise Refusal("expected one exposure record (a JSON artifact), got %d" % len(artifacts))
    try:
        with open(artifacts[0]["path"], encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError) as e:
        raise Refusal("the exposure record %s cannot be read as JSON: %s" % (artifacts[0].get("name", ""), e))
    if not isinstance(record, dict):
        raise Refusal("the exposure record is not a JSON object of parameter: value")
    credits = Decimal(0)
    words = []
    for name, lo, hi in ranges:
        if name not in record:
            raise Refusal("the exposure record has no '%s'; it has: %s" % (name, ", ".join(sorted(record)) or "nothing"))
        value = decimal(record[name], name)
        if lo <= value <= hi:
            credits += 1
            words.append("%s %s within %s-%s: full" % (name, value, lo, hi))
            continue
        limit = lo if value < lo else hi
        allowed = abs(limit) * band / 100
        if abs(value - limit) <= allowed:
            credits += partial
            words.append("%s %s outside %s-%s, within the %s%% band: %s" % (name, value, lo, hi, band, partial))
        else:
            words.append("%s %s outside %s-%s and its %s%% band: 0" % (name, value, lo, hi, band))
    result = (maximum * credits / len(ranges)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize()
    text = format(result, "f")
    return text, "; ".join(words) + "; %s of %d parameters x %s = %s" % (format(credits.normalize(), "f"), len(ranges), format(maximum.normalize(), "f"), text)


def main():
    out = sys.stdout
    for line in sys.stdin:
        try:
            message = json.loads(line)
        except ValueError:
            print("exposure-check: ignoring a line that is not JSON", file=sys.stderr)
            continue
        kind = message.get("type")
        if kind == "hello":
            answer = {"type": "hello", "protocol": PROTOCOL, "name": "exposure-check", "version": "1.0.0", "scorers": SCORERS}
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
