"""The drift engine, tested like a diff engine.

* Mutation tests: each kind of change applied to the example spec; the right rule and severity
  must fire on ``diff`` (old spec, new spec) and on ``drift`` (the mutated spec against the app
  generated from the original: the app then differs the opposite way).
* Equivalence tests: pairs of documents that spell one contract differently give no finding.
* Round trip: a spec against its own generated app gives nothing but the counted 422s.
"""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from codegen.drift import Report, Severity, check_diff, check_drift
from codegen.pipeline import Options, generate
from tests.conftest import EXAMPLE_SPEC, SPECS, imported, write

Doc = dict[str, Any]
B, W, I = Severity.BREAKING, Severity.WARNING, Severity.INFO  # noqa: E741 - I is INFO, beside B and W


@pytest.fixture(scope="module")
def app_and_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path]]:
    folder = tmp_path_factory.mktemp("drift")
    shutil.copytree(SPECS, folder / "specs")
    generate(folder / "specs/shipping.yaml", "shipping_drift", folder / "out", Options(parallel=False), write=True)
    with imported(folder / "out", "shipping_drift") as package:
        import importlib

        app_module = importlib.import_module("shipping_drift.app")
        yield app_module.create_app(), folder
    _ = package


def _op(doc: Doc, path: str, method: str) -> Doc:
    op: Doc = doc["paths"][path][method]
    return op


def _schema(doc: Doc, name: str) -> Doc:
    schema: Doc = doc["components"]["schemas"][name]
    return schema


# (id, mutation, expected on diff, expected on drift): expectations are (rule, severity)
Mutation = Callable[[Doc], object]  # changes the document in place
MUTATIONS: list[tuple[str, Mutation, tuple[str, Severity], tuple[str, Severity]]] = [
    (
        "drop operation",
        lambda d: d["paths"]["/shipments/{shipmentId}"].pop("delete"),
        ("operation.missing", B),
        ("operation.added", W),
    ),
    (
        "add operation",
        lambda d: d["paths"]["/account"].__setitem__(
            "delete", {"operationId": "closeAccount", "responses": {"204": {"description": "closed"}}}
        ),
        ("operation.added", I),
        ("operation.missing", B),
    ),
    (
        "drop optional parameter",
        lambda d: _op(d, "/shipments", "get")["parameters"].pop(4),  # cursor
        ("parameter.missing", I),
        ("parameter.added", W),
    ),
    (
        "add required parameter",
        lambda d: _op(d, "/account", "get").__setitem__(
            "parameters", [{"name": "expand", "in": "query", "required": True, "schema": {"type": "string"}}]
        ),
        ("parameter.added", B),
        ("parameter.missing", W),
    ),
    (
        "optional parameter becomes required",
        lambda d: _op(d, "/shipments", "get")["parameters"][4].__setitem__("required", True),
        ("parameter.required", B),
        ("parameter.required", W),
    ),
    (
        "drop response code",
        lambda d: _op(d, "/shipments", "post")["responses"].pop("409"),
        ("response.missing", I),
        ("response.added", W),
    ),
    (
        "add response code",
        lambda d: _op(d, "/account", "get")["responses"].__setitem__("403", {"description": "forbidden"}),
        ("response.added", I),
        ("response.missing", W),
    ),
    (
        "drop response media type",
        lambda d: d["components"]["responses"]["BadRequest"]["content"].pop("application/problem+json"),
        ("response.media-type-missing", B),
        ("response.media-type-added", B),
    ),
    (
        "change request media type",
        lambda d: _op(d, "/shipments/{shipmentId}", "patch")["requestBody"]["content"].__setitem__(
            "application/json",
            _op(d, "/shipments/{shipmentId}", "patch")["requestBody"]["content"].pop("application/merge-patch+json"),
        ),
        ("request-body.media-type-missing", B),
        ("request-body.media-type-missing", B),
    ),
    (
        "drop response property",
        lambda d: _schema(d, "Account")["properties"].pop("webhook_url"),
        ("schema.property-missing", B),
        ("schema.property-added", W),
    ),
    (
        "drop required response property",
        lambda d: (_schema(d, "Account")["properties"].pop("email"), _schema(d, "Account")["required"].remove("email")),
        ("schema.property-missing", B),
        ("schema.property-added", W),
    ),
    (
        "request property becomes required",
        lambda d: _schema(d, "Parcel").__setitem__("required", ["weight_grams", "length_cm"]),
        ("schema.required", B),
        ("schema.required", W),
    ),
    (
        "nullable becomes not nullable",
        lambda d: _schema(d, "Address")["properties"]["line2"].__setitem__("type", "string"),
        ("schema.nullable", B),
        ("schema.nullable", B),
    ),
    (
        "change type",
        lambda d: _schema(d, "Money")["properties"]["amount_minor"].update(type="string", format="int64"),
        ("schema.type", B),
        ("schema.type", B),
    ),
    (
        "change format",
        lambda d: _schema(d, "Parcel")["properties"]["weight_grams"].__setitem__("format", "int64"),
        ("schema.format", B),
        ("schema.format", B),
    ),
    (
        "remove enum value",
        lambda d: _schema(d, "ServiceLevel")["enum"].remove("overnight"),
        ("schema.enum", B),
        ("schema.enum", B),
    ),
    (
        "tighten constraint",
        lambda d: _schema(d, "Address")["properties"]["name"].__setitem__("maxLength", 50),
        ("schema.max-length", B),
        ("schema.max-length", B),
    ),
    (
        "loosen constraint",
        lambda d: _schema(d, "Parcel")["properties"]["weight_grams"].pop("maximum"),
        ("schema.maximum", I),
        ("schema.maximum", B),
    ),
    (
        "change pattern",
        lambda d: _schema(d, "Money")["properties"]["currency"].__setitem__("pattern", "^[A-Z]{4}$"),
        ("schema.pattern", B),
        ("schema.pattern", B),
    ),
    (
        "require security on an open operation",
        lambda d: _op(d, "/tracking/{trackingNumber}", "get").__setitem__("security", [{"apiKey": []}]),
        ("security.added", B),
        ("security.removed", W),
    ),
    (
        "drop security",
        lambda d: _op(d, "/account", "get").__setitem__("security", []),
        ("security.removed", I),
        ("security.added", B),
    ),
    (
        "drop response header",
        lambda d: _op(d, "/shipments", "post")["responses"]["201"].pop("headers"),
        ("response.header-missing", B),
        ("response.header-added", W),
    ),
    (
        "change operationId",
        lambda d: _op(d, "/account", "get").__setitem__("operationId", "readAccount"),
        ("operation.id", B),
        ("operation.id", W),
    ),
    (
        "drop discriminator value",
        lambda d: (
            _schema(d, "TrackingEvent")["oneOf"].pop(),
            _schema(d, "TrackingEvent")["discriminator"]["mapping"].pop("exception"),
        ),
        ("schema.union", I),
        ("schema.union", B),  # the app may send an event kind the spec's clients do not know
    ),
]


def _mutated(folder: Path, mutate: Mutation, name: str) -> Path:
    doc = yaml.safe_load(EXAMPLE_SPEC.read_text())
    mutate(doc)
    target = folder / "specs" / f"{name}.yaml"
    target.write_text(yaml.safe_dump(doc, sort_keys=False))
    return target


def _fired(report: Report, rule: str, severity: Severity) -> bool:
    return any(f.rule == rule and f.severity is severity for f in report.findings)


@pytest.mark.parametrize(("kind", "mutate", "on_diff", "on_drift"), MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_mutation_is_detected(
    app_and_folder: tuple[Any, Path],
    kind: str,
    mutate: Mutation,
    on_diff: tuple[str, Severity],
    on_drift: tuple[str, Severity],
) -> None:
    app, folder = app_and_folder
    spec = _mutated(folder, mutate, kind.replace(" ", "-"))
    diff = check_diff(folder / "specs/shipping.yaml", spec)
    assert _fired(diff, *on_diff), [(f.rule, f.severity.label, f.message) for f in diff.findings]
    drift = check_drift(spec, app)
    assert _fired(drift, *on_drift), [(f.rule, f.severity.label, f.message) for f in drift.findings]


def test_findings_are_located_on_both_sides(app_and_folder: tuple[Any, Path]) -> None:
    app, folder = app_and_folder
    spec = _mutated(
        folder, lambda d: _schema(d, "Address")["properties"]["name"].__setitem__("maxLength", 50), "located"
    )
    [finding, *_] = [
        f for f in check_diff(folder / "specs/shipping.yaml", spec).findings if f.rule == "schema.max-length"
    ]
    assert finding.base.file is not None and finding.base.file.endswith("shipping.yaml")
    assert finding.revision.file is not None and finding.revision.file.endswith("located.yaml")
    [drifted, *_] = [f for f in check_drift(spec, app).findings if f.rule == "schema.max-length"]
    assert drifted.base.line is not None
    assert drifted.revision.pointer.startswith("/components/schemas/Address")


def test_round_trip_has_only_the_counted_422(app_and_folder: tuple[Any, Path]) -> None:
    """trackParcel declares 400 but not 422/4XX/default, so FastAPI still documents its 422
    (the app answers invalid requests with the spec's 400, so it never sends one)."""
    app, folder = app_and_folder
    report = check_drift(folder / "specs/shipping.yaml", app)
    assert [f.rule for f in report.findings] == ["response.validation-422"]


def test_fastapis_own_422_is_reported_apart(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL

    spec = write(tmp_path / "minimal.yaml", MINIMAL)
    generate(spec, "minimal_422", tmp_path / "out", Options(parallel=False), write=True)
    with imported(tmp_path / "out", "minimal_422"):
        import importlib

        app = importlib.import_module("minimal_422.app").create_app()
        report = check_drift(spec, app)
    assert [(f.rule, f.severity) for f in report.findings] == [("response.validation-422", I)]


def test_a_patched_openapi_method_cannot_hide_drift(app_and_folder: tuple[Any, Path]) -> None:
    app, folder = app_and_folder
    spec = _mutated(folder, lambda d: d["paths"]["/shipments/{shipmentId}"].pop("delete"), "patched")
    original = app.openapi
    try:
        app.openapi = lambda: yaml.safe_load(spec.read_text())  # a service lying about itself
        assert _fired(check_drift(spec, app), "operation.added", W)
    finally:
        app.openapi = original


# --------------------------------------------------------------------------- equivalence

BASE = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}


def _doc(paths: Doc, schemas: Doc | None = None, version: str = "3.0.3", **extra: Any) -> Doc:
    doc = copy.deepcopy(BASE) | {"openapi": version, "paths": paths}
    if schemas:
        doc["components"] = {"schemas": schemas}
    doc.update(extra)
    return doc


def _get(schema: Doc, *, param: Doc | None = None) -> Doc:
    op: Doc = {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}}
    if param is not None:
        op["parameters"] = [param]
    return {"/x": {"get": op}}


PET = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
NODE = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Node"}}}
NODE2 = {"type": "object", "properties": {"next": {"$ref": "#/components/schemas/Link"}}}

EQUIVALENT: list[tuple[str, Doc, Doc]] = [
    (
        "3.0 nullable and 3.1 type array",
        _doc(_get({"type": "string", "nullable": True})),
        _doc(_get({"type": ["string", "null"]}), version="3.1.0"),
    ),
    ("$ref and inline", _doc(_get({"$ref": "#/components/schemas/Pet"}), {"Pet": PET}), _doc(_get(PET))),
    (
        "renamed component",
        _doc(_get({"$ref": "#/components/schemas/Pet"}), {"Pet": PET}),
        _doc(_get({"$ref": "#/components/schemas/Animal"}), {"Animal": PET}),
    ),
    (
        "renamed recursive component",
        _doc(_get({"$ref": "#/components/schemas/Node"}), {"Node": NODE}),
        _doc(_get({"$ref": "#/components/schemas/Link"}), {"Link": NODE2}),
    ),
    (
        "allOf and flat object",
        _doc(
            _get({"allOf": [{"$ref": "#/components/schemas/Pet"}, {"properties": {"age": {"type": "integer"}}}]}),
            {"Pet": PET},
        ),
        _doc(
            _get(
                {
                    "type": "object",
                    "required": ["name"],
                    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
                }
            )
        ),
    ),
    (
        "boolean and numeric exclusiveMinimum",
        _doc(_get({"type": "integer", "minimum": 0, "exclusiveMinimum": True})),
        _doc(_get({"type": "integer", "exclusiveMinimum": 0}), version="3.1.0"),
    ),
    (
        "format binary and contentMediaType",
        _doc(_get({"type": "string", "format": "binary"})),
        _doc(_get({"type": "string", "contentMediaType": "application/octet-stream"}), version="3.1.0"),
    ),
    (
        "one-value enum and const",
        _doc(_get({"enum": ["a"], "type": "string"})),
        _doc(_get({"const": "a", "type": "string"}), version="3.1.0"),
    ),
    (
        "enum order",
        _doc(_get({"type": "string", "enum": ["a", "b"]})),
        _doc(_get({"type": "string", "enum": ["b", "a"]})),
    ),
    (
        "titles and examples",
        _doc(_get({"type": "string", "title": "A", "example": "x"})),
        _doc(_get({"type": "string", "title": "B", "examples": ["y"]}), version="3.1.0"),
    ),
    (
        "oneOf and anyOf of disjoint types",
        _doc(_get({"oneOf": [{"type": "string"}, {"type": "integer"}]})),
        _doc(_get({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
    ),
    (
        "explicit default style",
        _doc(_get({"type": "string"}, param={"name": "q", "in": "query", "schema": {"type": "string"}})),
        _doc(
            _get(
                {"type": "string"},
                param={"name": "q", "in": "query", "style": "form", "explode": True, "schema": {"type": "string"}},
            )
        ),
    ),
    (
        "operation-level and root security",
        _doc(
            _get({"type": "string"}),
            security=[{"a": []}],
            components={"securitySchemes": {"a": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
        ),
        _doc(
            {"/x": {"get": {**_get({"type": "string"})["/x"]["get"], "security": [{"a": []}]}}},
            components={"securitySchemes": {"a": {"type": "apiKey", "in": "header", "name": "x-key"}}},
        ),
    ),
    (
        "constraints every enum value meets",
        _doc(_get({"type": "string", "enum": ["ab", "cd"], "maxLength": 2})),
        _doc(_get({"type": "string", "enum": ["ab", "cd"]})),
    ),
    (
        "at-least-one-of required",
        _doc(
            _get(
                {
                    "type": "object",
                    "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                    "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
                }
            )
        ),
        _doc(
            _get(
                {
                    "anyOf": [
                        {
                            "type": "object",
                            "required": ["a"],
                            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                        },
                        {
                            "type": "object",
                            "required": ["b"],
                            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                        },
                    ]
                }
            )
        ),
    ),
]


@pytest.mark.parametrize(("name", "left", "right"), EQUIVALENT, ids=[e[0] for e in EQUIVALENT])
def test_equivalent_spellings_give_no_finding(tmp_path: Path, name: str, left: Doc, right: Doc) -> None:
    a = write(tmp_path / "a.yaml", yaml.safe_dump(left))
    b = write(tmp_path / "b.yaml", yaml.safe_dump(right))
    for old, new in ((a, b), (b, a)):
        findings = [(f.rule, f.message) for f in check_diff(old, new).findings if f.rule != "info.changed"]
        assert findings == [], name


def test_the_app_documented_in_two_processes_is_the_app_documented_in_one(app_and_folder: tuple[Any, Path]) -> None:
    from codegen.drift.appschema import app_document
    from codegen.drift.parallel import package_document, split

    app, folder = app_and_folder
    assert split({"a": 5, "b": 3, "c": 3, "d": 1}) == [["a", "d"], ["b", "c"]]
    joined, loaded = package_document("shipping_drift", folder / "out", lambda: "spec", threshold=0)
    whole = app_document(app)
    assert loaded == "spec"
    assert joined.document == whole.document
    assert (joined.auto_summaries, joined.auto_ids) == (whole.auto_summaries, whole.auto_ids)
    assert joined.sources.keys() == whole.sources.keys()


def test_a_half_that_fails_is_reported(tmp_path: Path) -> None:
    from codegen.drift.parallel import package_document
    from codegen.problems import ProblemsError

    generate(EXAMPLE_SPEC, "broken_half", tmp_path, Options(parallel=False), write=True)
    (tmp_path / "broken_half/routers/tracking.py").write_text("raise RuntimeError('broken on purpose')\n")
    with pytest.raises(ProblemsError, match="broken on purpose"):
        package_document("broken_half", tmp_path, lambda: None, threshold=0)


def test_a_factory_that_fails_is_a_located_problem_not_an_internal_error(tmp_path: Path) -> None:
    from codegen.drift.appschema import load_app
    from codegen.problems import ProblemsError

    (tmp_path / "broken_service.py").write_text("def create_app():\n    raise ValueError('no database')\n")
    with pytest.raises(ProblemsError) as raised:
        load_app("broken_service:create_app", search=tmp_path)
    [problem] = raised.value.problems
    assert problem.code == "drift.app"
    assert "ValueError: no database" in problem.message
