#!/usr/bin/env python3
"""Check region_hannover.json against the text of the Integrationskonzept.

Usage:
    python3 check_source.py SOURCE_TXT [JSON]

SOURCE_TXT is integrationskonzept-region-hannover-2016.txt; JSON defaults to
region_hannover.json next to this script. Python 3.11 standard library only.

What it does:
1. Re-parses the annex ("16 ANHANG", from the first "Handlungsfeld – …" line
   to "Impressum") with its own small parser: a row is
   "<goal>\\t<number>\\t<measure>", a continuation row has an empty goal cell,
   "Überarbeitete Ziele / Überarbeitete Maßnahmen" header rows are skipped.
2. Applies the JSON "corrections" whose "where" is "annex/<slug>/goal <i>" or
   "annex/<slug>/measure <n>" (i = position of the goal in its field, 1-based).
3. Compares goals, measure numbers and measure texts per field with the JSON
   and checks that numbering runs 1..N without gaps in source and JSON.
4. Checks every other correction (its "source" must occur exactly once in the
   text; its "corrected" string must occur in the JSON node named by "where").
5. Checks that the other verbatim strings of the JSON occur in the text once
   the non-annex corrections are applied.

Prints a per-field summary and every mismatch; exits 1 on any mismatch.
"""

import json
import os
import re
import sys

HEADER_CELLS = {"Überarbeitete Ziele", "Überarbeitete Maßnahmen"}
FIELD_RE = re.compile(r"^Handlungsfeld\s+[–-]\s+(\S.*)$")
ANNEX_WHERE_RE = re.compile(r"^annex/([a-z0-9-]+)/(goal|measure) (\d+)$")

problems = []


def problem(msg):
    problems.append(msg)
    print("MISMATCH:", msg)


# ---------------------------------------------------------------- annex parser
def parse_annex(text):
    """Return [(heading, [ {"goal": str, "measures": [(int, str)]} ])] in source order."""
    lines = text.split("\n")
    start = next((i for i, l in enumerate(lines) if FIELD_RE.match(l.strip())), None)
    if start is None:
        problem("source: no 'Handlungsfeld – …' line found")
        return []
    fields = []
    for lineno in range(start, len(lines)):
        line = lines[lineno]
        stripped = line.strip()
        if stripped == "Impressum":
            break
        if not stripped:
            continue
        m = FIELD_RE.match(stripped)
        if m:
            fields.append((m.group(1).strip(), []))
            continue
        cells = [c.strip() for c in line.split("\t")]
        if {c for c in cells if c} == HEADER_CELLS:
            continue
        if "\t" not in line:
            if stripped == "Region Hannover":  # back-cover line in front of the Impressum
                continue
            problem(f"source line {lineno + 1}: unexpected line in the annex: {stripped[:70]!r}")
            continue
        # find the number cell: the first cell made of digits only
        idx = next((k for k, c in enumerate(cells) if c.isdigit()), None)
        if idx is None:
            problem(f"source line {lineno + 1}: row without a measure number: {stripped[:70]!r}")
            continue
        goal = " ".join(c for c in cells[:idx] if c)
        measure = " ".join(c for c in cells[idx + 1 :] if c)
        number = int(cells[idx])
        if not measure:
            problem(f"source line {lineno + 1}: measure {number} has no text")
        goals = fields[-1][1] if fields else None
        if goals is None:
            problem(f"source line {lineno + 1}: row before the first field heading")
            continue
        if goal:
            goals.append({"goal": goal, "measures": []})
        elif not goals:
            problem(f"source line {lineno + 1}: continuation row without a goal")
            continue
        goals[-1]["measures"].append((number, measure))
    return fields


# --------------------------------------------------------------- json helpers
def resolve(data, where):
    node = data
    for part in where.split("/"):
        if isinstance(node, list):
            if part.isdigit():
                node = node[int(part)]
            else:
                hits = [x for x in node if isinstance(x, dict) and x.get("slug") == part]
                if len(hits) != 1:
                    return None
                node = hits[0]
        elif isinstance(node, dict):
            if part not in node:
                return None
            node = node[part]
        else:
            return None
    return node


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for x in node:
            yield from strings(x)
    elif isinstance(node, dict):
        for x in node.values():
            yield from strings(x)


def glob(node, parts, path=""):
    """Yield (path, value) for a path pattern; '*' matches every list item / dict value."""
    if not parts:
        yield path, node
        return
    head, rest = parts[0], parts[1:]
    if head == "*":
        if isinstance(node, list):
            for i, x in enumerate(node):
                label = x.get("slug", i) if isinstance(x, dict) else i
                yield from glob(x, rest, f"{path}/{label}")
        elif isinstance(node, dict):
            for k, x in node.items():
                yield from glob(x, rest, f"{path}/{k}")
    elif isinstance(node, dict) and head in node:
        yield from glob(node[head], rest, f"{path}/{head}")


# Strings that must appear verbatim in the (corrected) source text.
VERBATIM = [
    "consultation/summary",
    "consultation/description/*",
    "consultation/phases/*/description",
    "consultation/phases/*/source_label",
    "consultation/phases/*/source_heading",
    "consultation/phases/*/outcome/lead",
    "consultation/facts_sources/*",
    "events/*/title",
    "events/*/source",
    "handlungsfelder/*/chapter_heading",
    "handlungsfelder/*/intro/*",
    "handlungsfelder/*/margin_notes/*",
    "handlungsfelder/*/meaning/heading",
    "handlungsfelder/*/meaning/lead",
    "handlungsfelder/*/meaning/points/*",
    "handlungsfelder/*/meaning/closing",
    "handlungsfelder/*/vision",
    "handlungsfelder/*/builds_on/heading",
    "handlungsfelder/*/builds_on/label",
    "handlungsfelder/*/builds_on/paragraphs/*",
    "handlungsfelder/*/where_to/heading",
    "handlungsfelder/*/where_to/goals/*/title",
    "handlungsfelder/*/where_to/goals/*/measures/*",
    "handlungsfelder/*/footnotes/*/text",
    "handlungsfelder/*/info_box/*",
    "handlungsfelder/*/info_box/items/*",
    "handlungsfelder/*/annex_heading",
    "handlungsfelder_intro/*",
    "handlungsfelder_intro/paragraphs/*",
    "handlungsfelder_intro/next_steps/*",
    "handlungsfelder_intro/next_steps/paragraphs/*",
    "handlungsfelder_intro/quotes/*",
    "handlungsfelder_intro/margin_notes/*",
    "annex_heading",
    "annex_intro/*",
    "departments/*/name",
    "survey/recipient_groups/*/name",
    "survey/table_heading",
    "survey/texts/*",
    "interviews/column_label",
    "interviews/internal/*",
    "interviews/external/*",
    "ten_points/*",
    "ten_points_heading",
    "ten_points_footnote",
    "participants/headings/*",
    "participants/internal/*",
    "participants/external/*",
    "foreword/*",
    "foreword/paragraphs/*",
]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src_path = sys.argv[1]
    json_path = (
        sys.argv[2]
        if len(sys.argv) > 2
        else os.path.join(os.path.dirname(os.path.abspath(__file__)), "region_hannover.json")
    )
    text = open(src_path, encoding="utf-8").read()
    data = json.load(open(json_path, encoding="utf-8"))

    corrections = data.get("corrections", [])
    for c in corrections:
        for k in ("where", "source", "corrected", "why"):
            if not isinstance(c.get(k), str) or not c.get(k):
                problem(f"correction {c!r}: missing '{k}'")

    # ---- 1. parse the annex of the source
    src_fields = parse_annex(text)
    json_fields = data.get("handlungsfelder", [])
    if len(src_fields) != len(json_fields):
        problem(f"annex: source has {len(src_fields)} fields, JSON has {len(json_fields)}")

    # ---- 2. apply the annex corrections to the parsed source
    by_slug = {}
    for (heading, goals), jf in zip(src_fields, json_fields):
        if heading != jf["name"].upper():
            problem(
                f"annex: field heading {heading!r} does not match JSON field {jf['name']!r} (same position)"
            )
        if (
            jf.get("annex_heading") is not None
            and jf["annex_heading"] != f"Handlungsfeld – {heading}"
        ):
            problem(
                f"annex: {jf['slug']}: annex_heading {jf['annex_heading']!r} differs from the source heading"
            )
        by_slug[jf["slug"]] = goals

    used = 0
    for c in corrections:
        m = ANNEX_WHERE_RE.match(c.get("where", ""))
        if not m:
            continue
        slug, kind, idx = m.group(1), m.group(2), int(m.group(3))
        goals = by_slug.get(slug)
        if goals is None:
            problem(f"correction {c['where']}: unknown field")
            continue
        if kind == "goal":
            if not 1 <= idx <= len(goals):
                problem(f"correction {c['where']}: no goal {idx} in the source")
                continue
            g = goals[idx - 1]
            n = g["goal"].count(c["source"])
            if n != 1:
                problem(
                    f"correction {c['where']}: source {c['source']!r} found {n} times in the goal text"
                )
                continue
            g["goal"] = g["goal"].replace(c["source"], c["corrected"])
        else:
            hit = [(g, k) for g in goals for k, (num, _) in enumerate(g["measures"]) if num == idx]
            if len(hit) != 1:
                problem(
                    f"correction {c['where']}: measure {idx} found {len(hit)} times in the source"
                )
                continue
            g, k = hit[0]
            num, t = g["measures"][k]
            n = t.count(c["source"])
            if n != 1:
                problem(
                    f"correction {c['where']}: source {c['source']!r} found {n} times in the measure text"
                )
                continue
            g["measures"][k] = (num, t.replace(c["source"], c["corrected"]))
        used += 1

    # ---- 3. compare per field
    print(f"{'field':28} {'goals src/json':>15} {'measures src/json':>18}  numbering")
    tot = [0, 0, 0, 0]
    for (heading, goals), jf in zip(src_fields, json_fields):
        slug = jf["slug"]
        jgoals = jf.get("annex", [])
        s_nums = [n for g in goals for n, _ in g["measures"]]
        j_nums = [m["number"] for g in jgoals for m in g["measures"]]
        ok_s = s_nums == list(range(1, len(s_nums) + 1))
        ok_j = j_nums == list(range(1, len(j_nums) + 1))
        if not ok_s:
            problem(f"{slug}: source numbering is not 1..N: {s_nums}")
        if not ok_j:
            problem(f"{slug}: JSON numbering is not 1..N: {j_nums}")
        print(
            f"{slug:28} {len(goals):>7}/{len(jgoals):<7} {len(s_nums):>9}/{len(j_nums):<8}  "
            f"{'1..%d ok' % len(s_nums) if ok_s and ok_j else 'BROKEN'}"
        )
        tot[0] += len(goals)
        tot[1] += len(jgoals)
        tot[2] += len(s_nums)
        tot[3] += len(j_nums)
        if len(goals) != len(jgoals):
            problem(f"{slug}: {len(goals)} goals in the source, {len(jgoals)} in the JSON")
        if len(s_nums) != len(j_nums):
            problem(f"{slug}: {len(s_nums)} measures in the source, {len(j_nums)} in the JSON")
        for gi, (sg, jg) in enumerate(zip(goals, jgoals), 1):
            if sg["goal"] != jg["goal"]:
                problem(
                    f"{slug} goal {gi}:\n    source: {sg['goal']!r}\n    json:   {jg['goal']!r}"
                )
            s_ms = sg["measures"]
            j_ms = [(m["number"], m["text"]) for m in jg["measures"]]
            if [n for n, _ in s_ms] != [n for n, _ in j_ms]:
                problem(
                    f"{slug} goal {gi}: measure numbers source {[n for n, _ in s_ms]} vs json {[n for n, _ in j_ms]}"
                )
            for (sn, st), (jn, jt) in zip(s_ms, j_ms):
                if sn == jn and st != jt:
                    problem(f"{slug} measure {sn}:\n    source: {st!r}\n    json:   {jt!r}")
            for m in jg["measures"]:
                if m["text"] != m["text"].strip() or not m["text"]:
                    problem(f"{slug} measure {m['number']}: surrounding whitespace or empty text")
    print(f"{'total':28} {tot[0]:>7}/{tot[1]:<7} {tot[2]:>9}/{tot[3]:<8}")
    print(f"annex corrections applied: {used}")

    # ---- 4. non-annex corrections
    normalized = text
    for c in corrections:
        if ANNEX_WHERE_RE.match(c.get("where", "")):
            if text.count(c["source"]) < 1:
                problem(f"correction {c['where']}: source {c['source']!r} not in the text")
            continue
        n = text.count(c["source"])
        if n != 1:
            problem(
                f"correction {c['where']}: source {c['source']!r} occurs {n} times in the text (expected 1)"
            )
            continue
        node = resolve(data, c["where"])
        if node is None:
            problem(f"correction {c['where']}: path not found in the JSON")
            continue
        texts = list(strings(node))
        if not any(c["corrected"] in t for t in texts):
            problem(f"correction {c['where']}: corrected {c['corrected']!r} not found there")
        if any(c["source"] in t for t in texts):
            problem(f"correction {c['where']}: the uncorrected source is still there")
        normalized = normalized.replace(c["source"], c["corrected"])
    print(
        f"other corrections checked: {sum(1 for c in corrections if not ANNEX_WHERE_RE.match(c.get('where', '')))}"
    )

    # ---- 5. verbatim strings
    checked = 0
    for pattern in VERBATIM:
        for path, value in glob(data, pattern.split("/")):
            if not isinstance(value, str):
                continue
            for part in value.split("\n\n"):
                checked += 1
                if part != part.strip() or not part:
                    problem(f"{path}: empty or surrounding whitespace")
                if part not in normalized:
                    problem(f"{path}: not found verbatim in the source: {part[:90]!r}")
    print(f"verbatim strings checked: {checked}")

    if problems:
        print(f"\n{len(problems)} mismatch(es)")
        return 1
    print("\n0 mismatches")
    return 0


if __name__ == "__main__":
    sys.exit(main())
