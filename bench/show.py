"""Show the drift findings of one spec with what each side says: ``python -m bench.show SPEC``.

    python -m bench.show SPEC [--rule GLOB] [--where GLOB] [--limit N] [--depth N] [--keep DIR]

Generates the package in a scratch folder (or ``--keep DIR``), builds its app, runs the drift
check, and prints every breaking and warning finding (``--info`` too) that matches, with the
node at its pointer in the spec (``$ref``s followed, to ``--depth`` levels) and in the app's
document. For surveying classes of drift by hand; not part of the tests.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any


def _node(document: Any, pointer: str) -> Any:
    from codegen.problems import split_pointer

    node = document
    for part in split_pointer(pointer) if pointer else ():
        if isinstance(node, dict) and "$ref" in node and part not in node:
            node = _node(document, node["$ref"][1:])
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def _expand(document: Any, node: Any, depth: int, seen: tuple[str, ...] = ()) -> Any:
    """``node`` with local ``$ref``s replaced by their targets, ``depth`` levels deep."""
    if isinstance(node, list):
        return [_expand(document, v, depth, seen) for v in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#") and depth > 0 and ref not in seen:
        target = _expand(document, _node(document, ref[1:]), depth - 1, (*seen, ref))
        rest = {k: _expand(document, v, depth, seen) for k, v in node.items() if k != "$ref"}
        return {"$ref→": ref, **(target if isinstance(target, dict) else {"value": target}), **rest}
    return {k: _expand(document, v, depth, seen) for k, v in node.items()}


def _brief(node: Any, keep: set[str], depth: int = 0) -> Any:
    """``node`` without descriptions and examples, its properties named but not shown (except
    those in ``keep``), below two levels only the keywords."""
    if isinstance(node, list):
        return [_brief(v, keep, depth + 1) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("description", "example", "examples", "title", "summary"):
            continue
        if key == "properties" and isinstance(value, dict):
            out[key] = {k: _brief(v, keep, depth + 1) if k in keep else "…" for k, v in value.items()}
        elif depth > 2 and isinstance(value, (dict, list)):
            out[key] = "…"
        else:
            out[key] = _brief(value, keep, depth + 1)
    return out


def _text(value: Any, width: int) -> str:
    text = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 20] + f"... ({len(text)} chars)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("spec", type=Path)
    parser.add_argument("--rule", default="*")
    parser.add_argument("--where", default="*")
    parser.add_argument("--message", default="", help="a regex the message must match")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--depth", type=int, default=2, help="levels of $ref to follow in each node")
    parser.add_argument("--width", type=int, default=1500, help="characters of each node shown")
    parser.add_argument("--info", action="store_true", help="info findings too")
    parser.add_argument("--full", action="store_true", help="descriptions and every property too")
    parser.add_argument("--keep", type=Path, help="generate here (kept) instead of a scratch folder")
    args = parser.parse_args()

    from codegen.cache import Cache
    from codegen.drift import check_drift
    from codegen.drift.appschema import app_document
    from codegen.load import load_spec
    from codegen.pipeline import Options, generate

    work = args.keep or Path(tempfile.mkdtemp(prefix="codegen-show-"))
    generate(args.spec, "api", work / "out", Options(cache=Cache(work / "cache"), parallel=False), write=True)
    sys.path.insert(0, str(work / "out"))
    import api.app  # type: ignore[import-not-found]

    app = api.app.create_app()
    spec = load_spec(args.spec).document
    derived = app_document(app).document
    report = check_drift(args.spec, app)
    shown = 0
    for f in report.findings:
        if f.rule == "response.validation-422" or (f.severity.value == 0 and not args.info):
            continue
        if not (fnmatch.fnmatchcase(f.rule, args.rule) and fnmatch.fnmatchcase(f.where, args.where)):
            continue
        if not re.search(args.message, f.message):
            continue
        shown += 1
        if shown > args.limit:
            break
        print(f"{f.severity.label.upper()} {f.rule} ({f.change.value}): {f.message}\n  at {f.where}")
        # no pointer on the spec's side: what the spec has at the app's pointer, if anything
        pointer, label = (f.base.pointer, "") if f.base.pointer else (f.revision.pointer, " (the app's pointer)")
        node = _expand(spec, _node(spec, pointer), args.depth) if pointer else None
        keep = set(re.findall(r"'([^']*)'", f.message)) | {f.where.rsplit(" › ", 1)[-1]}
        if not args.full:
            node = _brief(node, keep)
        print(f"  spec {pointer}{label}: {_text(node, args.width)}")
        app_node = _expand(derived, _node(derived, f.revision.pointer), args.depth) if f.revision.pointer else None
        if not args.full:
            app_node = _brief(app_node, keep)
        print(f"  app  {f.revision.pointer}: {_text(app_node, args.width)}\n")
    print(f"{len(report.findings)} findings; generated in {work / 'out'}", file=sys.stderr)


if __name__ == "__main__":
    main()
