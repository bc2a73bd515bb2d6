"""``make bench``: every performance and corpus figure side by side with its reference.

    python -m bench [--rounds N] [--seconds S] [--only github,overhead,corpus,schemathesis] [--write]

Prints markdown tables (medians over the rounds, ratios to the references); ``--write`` also
records them in docs/bench.md and docs/corpus.md. Fetches the pinned corpora on first use.
``schemathesis``: Schemathesis over the mock app of every DEV spec (``bench.schemathesis_corpus``;
``--large`` adds the dev-large list).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from importlib.metadata import version
from pathlib import Path

from bench import corpus, github, overhead, record, schemathesis_corpus

ROOT = Path(__file__).resolve().parent.parent


def machine() -> str:
    versions = ", ".join(f"{p} {version(p)}" for p in ("fastapi", "pydantic", "datamodel-code-generator", "uvicorn"))
    return (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({platform.machine()}), "
        f"Python {platform.python_version()}; {versions}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per round")
    parser.add_argument("--only", default="github,overhead,corpus,schemathesis")
    parser.add_argument("--large", action="store_true", help="schemathesis: the dev-large list too")
    parser.add_argument("--write", action="store_true", help="record the tables in docs/")
    args = parser.parse_args()
    parts = set(args.only.split(","))
    sections = [machine(), ""]
    if "github" in parts:
        summary = github.bench(args.rounds)
        (ROOT / "bench" / ".work").mkdir(exist_ok=True)
        (ROOT / "bench" / ".work" / "github.json").write_text(json.dumps(summary, indent=1, default=str))
        sections += [github.table(summary), ""]
    if "overhead" in parts:
        sections += [overhead.table(overhead.bench(args.rounds, args.seconds), args.rounds, args.seconds), ""]
    text = "\n".join(sections)
    print(text)
    if args.write and parts & {"github", "overhead"}:
        page = ROOT / "docs" / "bench.md"
        record(page, "Benchmarks", text)
    if "corpus" in parts:
        os.environ["CODEGEN_BENCH_TYPECHECK"] = "1"
        sys.argv = [sys.argv[0], *(["--write"] if args.write else [])]
        corpus.main()
    if "schemathesis" in parts:
        schemathesis_corpus.main([*(["--write"] if args.write else []), *(["--large"] if args.large else [])])


if __name__ == "__main__":
    main()
