"""Mutation testing of the rule modules: runs mutmut 3, then reports per module.

    make mutate                                   # every rule module
    make mutate MODULES="foundation.rules forums.services"
    python tests/mutation/run.py --changed HEAD^  # what .ci/run does: changed rule code only

The rule modules are `[tool.mutmut] only_mutate` in pyproject.toml (the one list). mutmut runs
in build/mutation/, where `foundation`, `forums`, `surveys` and `consultations` are copies of the app
folders (`foundation` -> platform/, the folder the package is installed from). mutmut copies
them, mutated, to build/mutation/mutants/ and runs pytest there with that folder first on
sys.path, so the tests import the mutated copy under the real package names. Each mutant is
tested in a forked child with an in-memory SQLite database of its own (the embedded suite's,
copied from the migrated template), only with the tests that reached the mutated function
while mutmut recorded which tests call what.

Equivalent mutants are listed in tests/mutation/equivalent.toml; the report counts them apart
and scores the rest. `--fail-on-survivor` (CI) exits 1 when a mutant survives that is not
listed there. docs/testing.md explains how to read the report.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORK = ROOT / "build" / "mutation"
MUTANTS = WORK / "mutants"
REPORT = ROOT / "build" / "mutation-report.md"
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.toml"
# The last commit of main before the submission: the base of the CI gate (.ci/run).
LANDED = ROOT / "tests" / "mutation" / "landed"
# The package name mutmut sees -> the folder it comes from (setuptools package-dir).
FOLDERS = {
    "foundation": "platform",
    "forums": "forums",
    "surveys": "surveys",
    "consultations": "consultations",
}

# mutmut's exit codes of a tested mutant -> the report's columns (mutmut.stats).
STATUS = {1: "killed", 3: "killed", 0: "survived", 5: "no tests", 33: "no tests", 34: "skipped"}
STATUS.update({36: "timeout", -24: "timeout", 24: "timeout", 152: "timeout", 255: "timeout"})
STATUS.update({None: "not checked", -11: "segfault", -9: "segfault"})
NOT_KILLED = {"survived", "no tests", "not checked", "suspicious", "segfault"}
# Not tested yet (an interrupted or time-limited run): no verdict, so never a gate failure.
UNTESTED = "not checked"


def rule_modules() -> list[str]:
    """`only_mutate` as module names: foundation/models/consultations.py -> foundation.models.consultations."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    return [pattern.removesuffix(".py").replace("/", ".") for pattern in config["only_mutate"]]


def source_file(module: str) -> Path:
    """The file in the checkout: foundation.rules -> platform/rules.py."""
    package, _, rest = module.partition(".")
    return Path(FOLDERS[package], *rest.split(".")).with_suffix(".py")


def module_of(path: str) -> str | None:
    """The module a changed file of the checkout belongs to (platform/rules.py -> foundation.rules)."""
    parts = Path(path).with_suffix("").parts
    for package, folder in FOLDERS.items():
        if parts and parts[0] == folder and path.endswith(".py"):
            return ".".join((package, *parts[1:]))
    return None


# --- what changed (for CI) ------------------------------------------------------------------


@dataclass
class Layout:
    """Where a rule module's functions are and what its other code binds."""

    # mutmut's key (x_name, xǁClassǁname), line span, and the class it belongs to ("" if none)
    spans: list[tuple[str, int, int, str]] = field(default_factory=list)
    # the lines of each statement that is not a function: (lines, the names it binds, its class)
    statements: list[tuple[range, set[str], str]] = field(default_factory=list)
    # the names each function reads (ast.Name ids), by key
    reads: dict[str, set[str]] = field(default_factory=dict)


def _bound_names(node: ast.stmt) -> set[str]:
    """The names a module- or class-level statement binds; empty when it binds none that a
    function could read by name (then a change to it selects the whole module)."""
    if isinstance(node, ast.ClassDef):
        return {node.name}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = list(node.targets)
    elif isinstance(node, ast.AnnAssign | ast.AugAssign):
        targets = [node.target]
    names = set()
    for target in targets:
        names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
    return names


def layout(source: str) -> Layout:
    """mutmut's key and line span of each function it mutates (the module's functions and the
    methods of its classes), the names each reads, and the other code (tables, constants,
    class attributes; not imports, docstrings, comments) with the names it binds."""
    found = Layout()

    def lines(node: ast.AST) -> range:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        return range(start, (node.end_lineno or node.lineno) + 1)

    def is_docstring(node: ast.stmt) -> bool:
        return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)

    def add_function(key: str, node: ast.AST, cls: str) -> None:
        span = lines(node)
        found.spans.append((key, span.start, span.stop - 1, cls))
        found.reads[key] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}

    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            add_function(f"x_{node.name}", node, "")
        elif isinstance(node, ast.ClassDef):
            # the class line itself (name, bases, decorators) belongs to the class
            header_end = node.body[0].lineno - 1 if node.body else node.lineno
            found.statements.append((range(lines(node).start, header_end + 1), {node.name}, ""))
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    add_function(f"xǁ{node.name}ǁ{item.name}", item, node.name)
                elif not is_docstring(item):
                    found.statements.append((lines(item), {node.name}, node.name))
        elif not isinstance(node, ast.Import | ast.ImportFrom) and not is_docstring(node):
            found.statements.append((lines(node), _bound_names(node), ""))
    return found


def function_keys(source: str) -> tuple[list[tuple[str, int, int]], set[int]]:
    """The span of each function mutmut mutates, and the lines of the other code."""
    found = layout(source)
    other = {line for span, _names, _cls in found.statements for line in span}
    return [(key, start, end) for key, start, end, _cls in found.spans], other


def selected_keys(source: str, lines: set[int]) -> set[str] | None:
    """The functions a change of `lines` can break: the changed ones, those that read a name a
    changed statement binds (a table, a constant, a class), and the methods of a class whose
    attributes changed. None (the whole module) when a changed statement binds no name."""
    found = layout(source)
    keys = {key for key, start, end, _cls in found.spans if lines & set(range(start, end + 1))}
    names: set[str] = set()
    classes: set[str] = set()
    for span, bound, cls in found.statements:
        if not lines & set(span):
            continue
        if not bound:
            return None
        names |= bound
        if cls:
            classes.add(cls)
    for key, _start, _end, cls in found.spans:
        if cls in classes or found.reads[key] & names:
            keys.add(key)
    return keys


def changed_lines(base: str, path: Path) -> set[int]:
    diff = git("diff", "--unified=0", base, "HEAD", "--", str(path))
    lines: set[int] = set()
    for match in re.finditer(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", diff, re.MULTILINE):
        start, count = int(match[1]), int(match[2] or 1)
        # A pure deletion (count 0) changes the code around line `start`.
        lines.update(range(start, start + max(count, 1)))
    return lines


def changed_selection(base: str) -> list[str]:
    """mutmut name patterns for the rule code changed since `base`, per changed rule module:
    the changed functions, the functions that read a table, constant or class that changed,
    and the methods of a class whose attributes changed; the whole module when a changed
    statement binds no name. Imports, comments and docstrings alone select nothing."""
    modules = set(rule_modules())
    patterns = []
    for path in git("diff", "--name-only", base, "HEAD").splitlines():
        module = module_of(path)
        if module not in modules or not (ROOT / path).exists():
            continue
        keys = selected_keys((ROOT / path).read_text(), changed_lines(base, Path(path)))
        if keys is None:
            patterns.append(f"{module}.*")
        else:
            patterns.extend(f"{module}.{key}__mutmut_*" for key in sorted(keys))
    return patterns


def with_mutants(patterns: list[str]) -> list[str]:
    """The patterns that name at least one mutant (mutmut refuses a pattern that names none,
    e.g. a changed function with nothing to mutate)."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    kept = []
    for pattern in patterns:
        module = pattern.split(".x")[0].removesuffix(".*")
        path = source_file(module)
        source = undecorate((ROOT / path).read_text())
        names = mutate_file_contents(str(path), source).mutant_names
        if any(fnmatch.fnmatch(f"{module}.{name}", pattern) for name in names):
            kept.append(pattern)
    return kept


def landed_base() -> str:
    """The base of the CI gate: the commit in `landed` when it is an ancestor of HEAD (and not
    HEAD itself), otherwise HEAD^ (a rewritten history, or the file was not updated)."""
    commits = (
        [
            line.strip()
            for line in LANDED.read_text().splitlines()
            if line.strip() and not line.startswith("#")
        ]
        if LANDED.exists()
        else []
    )
    if commits:
        check = ["git", "merge-base", "--is-ancestor", commits[0], "HEAD"]
        is_ancestor = subprocess.run(check, cwd=ROOT, capture_output=True).returncode == 0
        is_head = is_ancestor and git("rev-parse", commits[0]) == git("rev-parse", "HEAD")
        if is_ancestor and not is_head:
            return commits[0]
        why = "is HEAD itself" if is_head else "is not an ancestor of HEAD"
        print(f"{LANDED.relative_to(ROOT)}: {commits[0]} {why}; using HEAD^")
    return "HEAD^"


def record_landed(branch: str = "main") -> str:
    """Write the commit of `branch` that HEAD started from into `landed`, keeping its comment."""
    commit = git("merge-base", "HEAD", branch).strip()
    comment = [line for line in LANDED.read_text().splitlines() if line.startswith("#")]
    LANDED.write_text("\n".join([*comment, commit]) + "\n")
    return commit


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


# --- running mutmut -------------------------------------------------------------------------


# mutmut 3 leaves every decorated function alone (it cannot know what a decorator does at
# definition time), and the rules sit in decorated ones: services under @transaction.atomic,
# django-rules predicates, properties. For these plain wrappers `@d def f` and `def f` followed
# by `f = d(f)` are the same program, so the copy that mutmut reads says it the second way.
# The predicate keeps its signature for django-rules, which counts a predicate's arguments and
# would otherwise see mutmut's (*args, **kwargs) trampoline.
REBIND = {
    "transaction.atomic": "{name} = transaction.atomic({name})",
    "property": "{name} = property({name})",
    "rules.predicate": (
        "{name}.__signature__ = __import__('inspect').signature({name}); "
        "{name} = rules.predicate({name})"
    ),
}


def undecorate(source: str) -> str:
    """`source` with the decorators of REBIND written as assignments after each function."""
    lines = source.splitlines(keepends=True)
    edits: list[tuple[int, int, str, str]] = []  # (first decorator line, end line, indent, text)

    def visit(nodes: list[ast.stmt], indent: str) -> None:
        for node in nodes:
            if isinstance(node, ast.ClassDef):
                visit(node.body, indent + "    ")
            decorators = getattr(node, "decorator_list", [])
            if not isinstance(node, ast.FunctionDef) or not decorators:
                continue
            names = [ast.unparse(d) for d in decorators]
            if not all(name in REBIND for name in names):
                continue
            rebind = "; ".join(REBIND[n].format(name=node.name) for n in reversed(names))
            edits.append((decorators[0].lineno, node.end_lineno or node.lineno, indent, rebind))

    visit(ast.parse(source).body, "")
    for first, end, indent, rebind in sorted(edits, reverse=True):
        lines.insert(end, f"{indent}{rebind}\n")
        def_line = next(i for i in range(first - 1, end) if lines[i].lstrip().startswith("def "))
        del lines[first - 1 : def_line]
    return "".join(lines)


def prepare(fresh: bool) -> None:
    """build/mutation/: the app folders under their package names, the rule modules
    undecorated; files are written only when they changed (mutmut compares times)."""
    if fresh and MUTANTS.exists():
        shutil.rmtree(MUTANTS)
    WORK.mkdir(parents=True, exist_ok=True)
    rules = {source_file(m) for m in rule_modules()}
    for package, folder in FOLDERS.items():
        for source in (ROOT / folder).rglob("*"):
            if "__pycache__" in source.parts or not source.is_file():
                continue
            relative = source.relative_to(ROOT / folder)
            target = WORK / package / relative
            text = source.read_bytes()
            if Path(folder, relative) in rules:
                text = undecorate(text.decode()).encode()
            if not target.exists() or target.read_bytes() != text:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text)
                stat = source.stat()
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    for name in ("tests", "pyproject.toml"):
        link = WORK / name
        if not link.is_symlink():
            link.unlink(missing_ok=True)
            link.symlink_to(Path("..", "..", name))


def run_mutmut(patterns: list[str], max_children: int, time_limit: float | None = None) -> int:
    """mutmut's exit code; with `time_limit` (seconds) it is stopped when the time is up, as
    Ctrl-C would (its finished verdicts are saved one by one), and 0 is returned: the mutants
    it did not reach stay "not checked"."""
    env = dict(os.environ, DEBUG="1", MITREDEN_MUTATION="1")  # tests/conftest.py
    # Always the embedded database: each forked child has its own in-memory SQLite copy.
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        env.pop(name, None)
    mutmut = Path(sys.executable).with_name("mutmut")
    command = [str(mutmut), "run", "--max-children", str(max_children), *patterns]
    print("$", " ".join(command), f"(in {WORK.relative_to(ROOT)})", flush=True)
    process = subprocess.Popen(command, cwd=WORK, env=env, start_new_session=True)
    try:
        return process.wait(timeout=time_limit)
    except subprocess.TimeoutExpired:
        print(f"\nTime limit of {time_limit:.0f} s reached: stopping mutmut.", flush=True)
        process.send_signal(signal.SIGINT)  # mutmut stops its workers and prints its stats
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        return 0
    except KeyboardInterrupt:
        os.killpg(process.pid, signal.SIGINT)
        process.wait()
        raise


# --- the report -----------------------------------------------------------------------------


@dataclass
class Equivalent:
    name: str
    mutated: str
    reason: str
    #: an [[accepted]] entry: a survivor that only PostgreSQL or two simultaneous requests
    #: could kill; it counts against the score, but `--fail-on-survivor` does not fail on it
    accepted: bool = False


@dataclass
class ModuleResult:
    module: str
    counts: Counter = field(default_factory=Counter)
    survivors: list[str] = field(default_factory=list)
    equivalent: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def scored(self) -> int:
        return self.total - self.counts["equivalent"] - self.counts["skipped"]

    @property
    def score(self) -> float | None:
        killed = self.counts["killed"] + self.counts["timeout"]
        return 100.0 * killed / self.scored if self.scored else None


def load_equivalents() -> dict[str, Equivalent]:
    if not EQUIVALENT.exists():
        return {}
    tables = tomllib.loads(EQUIVALENT.read_text())
    entries = [(e, False) for e in tables.get("mutant", [])]
    entries += [(e, True) for e in tables.get("accepted", [])]
    return {
        e["name"]: Equivalent(e["name"], e["mutated"], e["reason"], accepted)
        for e, accepted in entries
    }


def mutant_diff(name: str) -> str:
    """What `mutmut show NAME` prints, read in this process (one import instead of one
    process per mutant)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    module = name.split(".x")[0]
    here = Path.cwd()
    os.chdir(WORK)
    try:
        return get_diff_for_mutant(name, path=Path(*module.split(".")).with_suffix(".py"))
    except (FileNotFoundError, KeyError, ValueError) as error:
        return f"(no diff: {error})"
    finally:
        os.chdir(here)


def added_lines(diff: str) -> str:
    return "\n".join(
        line[1:]
        for line in diff.splitlines()
        if line.startswith("+") and not line.startswith("+++")
    )


def recorded_exit_codes(module: str) -> dict[str, int | None]:
    """mutmut's verdicts for `module` ({} before any run). A record cut off while it was being
    written (mutmut killed at the time limit) counts as nothing tested: every mutant of the
    module, no verdict."""
    meta = MUTANTS / (module.replace(".", "/") + ".py.meta")
    if not meta.exists():
        return {}
    try:
        return json.loads(meta.read_text())["exit_code_by_key"]
    except (ValueError, KeyError):
        from mutmut.mutation.file_mutation import mutate_file_contents

        print(f"{meta.relative_to(ROOT)} is incomplete: its mutants count as not tested.")
        path = source_file(module)
        source = undecorate((ROOT / path).read_text())
        names = mutate_file_contents(str(path), source).mutant_names
        return {f"{module}.{name}": None for name in names}


def collect(
    selected: list[str], patterns: list[str], *, diffs: bool = True
) -> tuple[list[ModuleResult], list[str]]:
    """Results of the selected modules (only the mutants matching `patterns`, if given), and
    the equivalent.toml entries that no longer hold (the mutant is killed, gone or changed)."""
    equivalents = load_equivalents()
    results, stale = [], []
    for module in selected:
        result = ModuleResult(module)
        exit_codes = recorded_exit_codes(module)
        for name, code in exit_codes.items():
            if patterns and not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            status = STATUS.get(code, "suspicious")
            entry = equivalents.get(name) if diffs else None
            listed = False
            if entry is not None and status != UNTESTED:
                if status in NOT_KILLED and entry.mutated in added_lines(mutant_diff(name)):
                    listed = True
                    if not entry.accepted:
                        status = "equivalent"
                        result.equivalent.append(name)
                else:
                    stale.append(f"{name} ({status}; expected `{entry.mutated}`)")
            result.counts[status] += 1
            if status == UNTESTED:
                result.untested.append(name)
            elif listed and entry is not None and entry.accepted:
                result.accepted.append(name)
            elif status in NOT_KILLED:
                result.survivors.append(name)
        results.append(result)
    if not patterns:
        seen = {
            name
            for r in results
            for name in [*r.survivors, *r.equivalent, *r.accepted, *r.untested]
        }
        seen |= {s.split(" ", 1)[0] for s in stale}
        for name in equivalents:
            if name.rsplit(".", 1)[0] in selected and name not in seen:
                stale.append(f"{name} (not a mutant of the current code)")
    return results, stale


def render(results: list[ModuleResult], stale: list[str], command: str) -> str:
    columns = ["killed", "timeout", "survived", "no tests", "not checked", "equivalent"]
    lines = [
        "# Mutation report",
        "",
        f"Command: `{command}` (mutmut 3, see docs/testing.md). Score = (killed + timeout) / "
        "(mutants - equivalent); survivors count against it, and so do mutants no test reaches "
        "and mutants not tested yet (an interrupted run).",
        "",
        "| module | mutants | " + " | ".join(columns) + " | score |",
        "| --- | ---: | " + " | ".join("---:" for _ in columns) + " | ---: |",
    ]
    for r in results:
        score = "—" if r.score is None else f"{r.score:.1f} %"
        other = r.total - sum(r.counts[c] for c in columns)
        cells = [str(r.counts[c]) for c in columns]
        note = f" ({other} other: {dict(r.counts)})" if other else ""
        lines.append(f"| `{r.module}` | {r.total} | " + " | ".join(cells) + f" | {score}{note} |")
    total = ModuleResult("all", sum((r.counts for r in results), Counter()))
    score = "—" if total.score is None else f"{total.score:.1f} %"
    lines.append(
        f"| **all** | {total.total} | "
        + " | ".join(str(total.counts[c]) for c in columns)
        + f" | {score} |"
    )
    survivors = [name for r in results for name in r.survivors]
    lines += ["", f"## Not killed and not listed as equivalent ({len(survivors)})", ""]
    if not survivors:
        lines.append("None.")
    for name in survivors:
        lines += [f"### `{name}`", "", "```diff", mutant_diff(name), "```", ""]
    accepted = [name for r in results for name in r.accepted]
    if accepted:
        lines += ["", f"## Accepted survivors: PostgreSQL or races only ({len(accepted)})", ""]
        lines += [f"- `{name}`" for name in accepted]
    untested = [name for r in results for name in r.untested]
    if untested:
        lines += [
            "",
            f"## Not tested yet ({len(untested)}): the run stopped or was stopped before them",
            "",
        ]
        lines += [f"- `{name}`" for name in untested]
    if stale:
        lines += ["", "## Stale entries in tests/mutation/equivalent.toml", ""]
        lines += [f"- {s}" for s in stale]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--modules",
        default=os.environ.get("MODULES", ""),
        help="rule modules, space or comma separated, globs allowed (default: all)",
    )
    parser.add_argument(
        "--changed",
        metavar="BASE",
        help="only the rule code changed between BASE and HEAD (a commit, e.g. HEAD^; "
        "`landed`: the commit in tests/mutation/landed, as CI does)",
    )
    parser.add_argument(
        "--record-landed",
        action="store_true",
        help="write `git merge-base HEAD main` into tests/mutation/landed and stop",
    )
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--fresh", action="store_true", help="discard mutmut's cached results")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="test again only the mutants of the last run that were not killed (or not tested)",
    )
    parser.add_argument("--report-only", action="store_true", help="no run, report the last one")
    parser.add_argument(
        "--time-limit",
        type=float,
        metavar="SECONDS",
        help="stop mutmut after this long and report what it tested (the rest: not checked)",
    )
    parser.add_argument("--fail-on-survivor", action="store_true")
    args = parser.parse_args()

    if args.record_landed:
        print(f"{LANDED.relative_to(ROOT)}: {record_landed()}")
        return 0
    if args.changed == "landed":
        args.changed = landed_base()
        print(f"Base of the check: {args.changed}")

    modules = rule_modules()
    patterns: list[str] = []
    if args.changed:
        os.chdir(ROOT)  # mutmut reads its configuration (pragmas, patterns) from pyproject.toml
        patterns = with_mutants(changed_selection(args.changed))
        if not patterns:
            print(f"No rule module changed since {args.changed}: nothing to mutate.")
            return 0
        print("Changed rule code:", *patterns, sep="\n  ")
        selected = sorted({p.split(".x")[0].removesuffix(".*") for p in patterns})
    elif args.modules.strip():
        wanted = args.modules.replace(",", " ").split()
        selected = [m for m in modules if any(fnmatch.fnmatch(m, w) for w in wanted)]
        unknown = [w for w in wanted if not any(fnmatch.fnmatch(m, w) for m in modules)]
        if unknown:
            parser.error(f"not a rule module (pyproject.toml [tool.mutmut]): {', '.join(unknown)}")
        patterns = [f"{m}.*" for m in selected]
    else:
        selected = modules
    command = " ".join(["python tests/mutation/run.py", *sys.argv[1:]])

    if not args.report_only:
        prepare(args.fresh)
        # Named mutants are always tested again (a test added since may kill a survivor);
        # mutmut keeps only its record of which test reaches which function between runs.
        targets = patterns or [f"{m}.*" for m in selected]
        if args.survivors:
            last, _stale = collect(selected, targets, diffs=False)
            targets = [name for r in last for name in [*r.survivors, *r.accepted, *r.untested]]
            if not targets:
                print("No survivors in the last run of these modules.")
        returncode = run_mutmut(targets, args.max_children, args.time_limit) if targets else 0
        if returncode != 0:
            print(f"mutmut failed (exit {returncode})")
            return returncode

    results, stale = collect(selected, patterns if args.changed else [])
    report = render(results, stale, command)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report)
    print(report)
    print(f"Report written to {REPORT.relative_to(ROOT)}")
    survivors = sum(len(r.survivors) for r in results)
    untested = sum(len(r.untested) for r in results)
    if untested:
        print(f"{untested} mutant(s) not tested (the run stopped before them): no verdict.")
    if args.fail_on_survivor and survivors:
        print(
            f"{survivors} mutant(s) survived that tests/mutation/equivalent.toml does not explain."
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
