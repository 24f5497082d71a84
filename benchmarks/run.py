"""Run the benchmarks (`make bench`): each registered one in turn, or those named.

    .venv/bin/python benchmarks/run.py              # all of them
    .venv/bin/python benchmarks/run.py surveys      # one
    .venv/bin/python benchmarks/run.py --list

Each benchmark is a script in this folder that creates, seeds and drops its own PostgreSQL
database and prints its figures beside a bare view measured in the same run (see
README.md). To add one, write the script and add a line to BENCHMARKS.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# proposals.py reads DATABASE_URL, and seed.py --fresh drops that database: run.py hands
# them a benchmark database of their own, never the one in the caller's DATABASE_URL.
PROPOSALS_URL = os.environ.get(
    "PROPOSALS_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mitreden_bench"
)

# name: (commands run in order, what it measures, environment for its commands)
BENCHMARKS: dict[str, tuple[list[list[str]], str, dict[str, str]]] = {
    "proposals": (
        [["seed.py", "--fresh"], ["proposals.py", "--requests", "100", "--posts", "500"]],
        "proposal list and detail, support POST (10,000 proposals, ~1,000,000 supports; "
        "keeps its database mitreden_bench)",
        {"DATABASE_URL": PROPOSALS_URL},
    ),
    "review": ([["review.py"]], "review queue, dashboard, triage, case page", {}),
    "transfer": (
        [["transfer.py", "--runs", "3"]],
        "a department's queue of 1,000 cases as XLSX, and the worker's upload of 1,000 assessments",
        {},
    ),
    "report": ([["report.py", "--runs", "3"]], "half-yearly report for 10,000 measures", {}),
    "concept": (
        [["concept.py"]],
        "public concept of a published version (144 measures), monitoring, what changed",
        {},
    ),
    "surveys": (
        [["surveys.py"]],
        "surveys: page save, results pages, 10,000 recipients imported and invited (10,000 responses × 50)",
        {},
    ),
    "golden_thread": (
        [["golden_thread.py"]],
        "golden thread: proposal page of a merged proposal, measure page, monitoring page "
        "with the concept's 144 measures (10,000 proposals)",
        {},
    ),
    "forums": (
        [["forums.py"]],
        "forums: thread of 5,000 posts, forum of 100,000 posts, site search, daily digests "
        "for 50,000 followers",
        {},
    ),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help=f"some of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args()
    if args.list:
        for name, (_commands, about, _environment) in BENCHMARKS.items():
            print(f"{name:12} {about}")
        return 0
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark: {', '.join(unknown)}")
    failed = []
    for name in args.names or list(BENCHMARKS):
        commands, about, extra = BENCHMARKS[name]
        environment = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1"), **extra}
        print(f"\n=== {name}: {about}", flush=True)
        for command in commands:
            result = subprocess.run(
                [sys.executable, str(HERE / command[0]), *command[1:]],
                env=environment,
                check=False,
            )
            if result.returncode != 0:
                failed.append(name)
                break
    if failed:
        print(f"\nmissed a target or failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
