"""Group the findings and failures of a corpus run into classes: ``python -m bench.classify``.

    python -m bench.classify bench/.work/all.json [--signatures] [--class TEXT] [--examples N]
    python -m bench.classify bench/.work/all.json --failures
    python -m bench.classify bench/.work/all.json --markdown > table.md

Reads the results ``bench.corpus --json`` wrote (or its ``.jsonl``), and puts every breaking
and warning finding into one class, by the first entry of ``CLASSES`` whose test matches it
(a test may look at the spec itself, at the finding's base pointer). Prints, per class and
sorted by the number of specs it affects: the specs, the findings, the specs it alone keeps
from zero drift, and examples (spec id and the finding's ``where``). Findings no class
matches are grouped by their signature (rule and message with names and numbers blanked), so
nothing goes uncounted; ``--signatures`` shows only those. ``--failures`` does the same for
the failures: stages not passed, timeouts, and mypy and ruff messages by code.

Not part of the tests: it reads the corpus, which is never committed.
"""

# ruff: noqa: PLW0108, S108 (tables of small tests, and /tmp paths blanked out of messages)
from __future__ import annotations

import argparse
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml


@cache
def _document(spec: str) -> Any:
    text = Path(spec).read_text(encoding="utf-8")
    return json.loads(text) if spec.endswith(".json") else yaml.safe_load(text)


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _resolve(document: Any, pointer: str, depth: int = 0) -> Any:
    """The node at ``pointer``, following ``$ref``s on the way and at the end."""
    node = document
    for raw in pointer.split("/")[1:] if pointer else ():
        part = _unescape(raw)
        node = _deref(document, node, depth)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return _deref(document, node, depth)


def _deref(document: Any, node: Any, depth: int) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#") and depth < 40:
        node = _resolve(document, node["$ref"][1:], depth + 1)
        depth += 1
    return node


@cache
def _ref_siblings(spec: str) -> dict[str, set[str]]:
    """Target pointer of every ``$ref`` -> the keywords written beside it, anywhere."""
    found: dict[str, set[str]] = defaultdict(set)
    todo: list[Any] = [_document(spec)]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#"):
                found[ref[1:]] |= {k for k in node if k != "$ref"}
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return found


@cache
def _tag_contradictions(spec: str) -> frozenset[str]:
    """Components taking part in a discriminator whose values contradict the tag's own enum:
    a subtype whose mapping value (explicit, or its component name) the tag property's enum
    or const refuses, and the discriminated base itself. (Azure's ``x-ms-discriminator-value``
    gives the intended value; OpenAPI's implicit mapping gives the component name.)"""
    document = _document(spec)
    schemas = (document.get("components") or {}).get("schemas") or {}
    hit: set[str] = set()

    def tag_values(schema: Any, prop: str) -> set[Any] | None:
        schema = _deref(document, schema, 0)
        if not isinstance(schema, dict):
            return None
        sub = _deref(document, (schema.get("properties") or {}).get(prop), 0)
        if isinstance(sub, dict):
            if "const" in sub:
                return {sub["const"]}
            if isinstance(sub.get("enum"), list):
                return set(sub["enum"])
        for part in schema.get("allOf") or ():
            found = tag_values(part, prop)
            if found is not None:
                return found
        return None

    for name, child in schemas.items():
        for part in (child.get("allOf") or ()) if isinstance(child, dict) else ():
            ref = part.get("$ref") if isinstance(part, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/components/schemas/"):
                continue
            base_name = _unescape(ref.rsplit("/", 1)[-1])
            base = _deref(document, part, 0)
            disc = base.get("discriminator") if isinstance(base, dict) else None
            if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
                continue
            mapping: dict[str, Any] = disc["mapping"] if isinstance(disc.get("mapping"), dict) else {}
            mine = [k for k, v in mapping.items() if isinstance(v, str) and v.rsplit("/", 1)[-1] == name] or [name]
            allowed = tag_values(child, disc["propertyName"])
            if allowed is not None and not set(mine) & {str(v) for v in allowed}:
                hit |= {name, base_name}
    return frozenset(hit)


def _raw(document: Any, pointer: str) -> Any:
    """The node at ``pointer`` as written (a ``$ref`` at the end is not followed)."""
    parent, _, last = pointer.rpartition("/")
    holder = _resolve(document, parent)
    if isinstance(holder, dict):
        return holder.get(_unescape(last))
    if isinstance(holder, list) and last.isdigit() and int(last) < len(holder):
        return holder[int(last)]
    return None


@dataclass
class Item:
    """A finding (or a failure), with what the tests need."""

    spec: str  # the spec's path
    rule: str
    message: str
    where: str
    base: str = ""
    revision: str = ""
    severity: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.spec.split("/api/", 1)[-1]

    @property
    def document(self) -> Any:
        return _document(self.spec)

    @property
    def openapi30(self) -> bool:
        return str(self.document.get("openapi", "")).startswith("3.0")

    def node(self, pointer: str | None = None) -> Any:
        """The spec's node at the base pointer (or ``pointer``), references followed."""
        return _resolve(self.document, self.base if pointer is None else pointer)

    def raw(self, pointer: str | None = None) -> Any:
        return _raw(self.document, self.base if pointer is None else pointer)

    @property
    def side(self) -> str:
        return _side(self.where)

    @property
    def media(self) -> str | None:
        return _media(self.where)

    @property
    def named(self) -> str | None:
        """The first quoted name of the message (a property, a scheme)."""
        found = re.search(r"'([^']*)'", self.message)
        return found.group(1) if found else None


def _side(where: str) -> str:
    if "› request body" in where:
        return "request"
    if re.search(r"› response (\d|default|\dXX)", where):
        return "response"
    if "parameter '" in where:
        return "parameter"
    if where.endswith("› security"):
        return "security"
    if where.startswith("document"):
        return "document"
    return "other"


def _media(where: str) -> str | None:
    found = re.search(r"› ([\w.*+-]+/[\w.*+-]+)(;[^›]*)?( ›|$)", where)
    return found.group(1).lower() if found else None


def _json_media(media: str | None) -> bool:
    return media is not None and (media.endswith(("/json", "+json")) or media == "*/*")


# -- tests ---------------------------------------------------------------------------------

Test = Callable[[Item], bool]


def rx(rule: str, message: str = "", where: str = "") -> Test:
    """A finding of ``rule`` (a regex) whose message and where match the regexes given."""
    return lambda f: (
        re.fullmatch(rule, f.rule) is not None
        and re.search(message, f.message) is not None
        and re.search(where, f.where) is not None
    )


def both(*tests: Test) -> Test:
    return lambda f: all(t(f) for t in tests)


def either(*tests: Test) -> Test:
    return lambda f: any(t(f) for t in tests)


def not_json(f: Item) -> bool:
    return f.media is not None and not _json_media(f.media)


def xml_media(f: Item) -> bool:
    return f.media is not None and (f.media.endswith(("/xml", "+xml")))


def _parameter(f: Item) -> dict[str, Any] | None:
    pointer = f.base[: -len("/schema")] if f.base.endswith("/schema") else f.base
    found = f.node(pointer)
    return found if isinstance(found, dict) and "in" in found else None


def required_parameter(f: Item) -> bool:
    p = _parameter(f)
    return p is not None and (p.get("required") is True or p.get("in") == "path")


def scalar_parameter(f: Item) -> bool:
    """A parameter whose schema is neither an array nor an object (explode means nothing)."""
    p = _parameter(f)
    if p is None:
        return False
    schema = _deref(f.document, p.get("schema"), 0)
    if not isinstance(schema, dict):
        return False
    kinds = schema.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    structured = {"array", "object"} & kinds or any(
        k in schema for k in ("items", "properties", "allOf", "oneOf", "anyOf")
    )
    return not structured


def _owner(f: Item) -> tuple[dict[str, Any] | None, str | None]:
    """For a base pointer ``.../properties/NAME``: (the object schema, NAME)."""
    found = re.match(r"(.*)/properties/([^/]+)$", f.base)
    if not found:
        return None, None
    owner = f.node(found.group(1))
    return (owner if isinstance(owner, dict) else None), _unescape(found.group(2))


def required_property(f: Item) -> bool:
    owner, name = _owner(f)
    return owner is not None and name in (owner.get("required") or ())


def required_not_declared(f: Item) -> bool:
    """``required: [x]`` where x is not among the properties (of the schema or its allOf parts)."""
    node = f.node()
    name = f.named
    if not isinstance(node, dict) or name is None or name not in (node.get("required") or ()):
        return False
    declared = set(node.get("properties") or ())
    for part in node.get("allOf") or ():
        target = _deref(f.document, part, 0)
        if isinstance(target, dict):
            declared |= set(target.get("properties") or ())
    return name not in declared


def nullable_enum_without_null(f: Item) -> bool:
    node = f.node()
    return (
        isinstance(node, dict)
        and node.get("nullable") is True
        and isinstance(node.get("enum"), list)
        and None not in node["enum"]
    )


def ref_sibling(key: str) -> Test:
    """3.0: the spec writes ``key`` beside a ``$ref`` to the base's schema (3.0 says to ignore
    it), somewhere (the finding does not say through which reference it was reached)."""

    def test(f: Item) -> bool:
        return f.openapi30 and key in _ref_siblings(f.spec).get(f.base, set())

    return test


def nullable_without_type(f: Item) -> bool:
    """3.0 ``nullable: true`` with no ``type`` beside it (anyOf/oneOf/allOf/$ref), or beside an
    allOf whose parts refuse null: 3.0.3 adds null only to a ``type`` of the same schema."""
    node = f.node()
    return (
        isinstance(node, dict)
        and f.openapi30
        and node.get("nullable") is True
        and ("type" not in node or "allOf" in node)
    )


def tag_contradiction(f: Item) -> bool:
    hit = _tag_contradictions(f.spec)
    if not hit:
        return False
    for pointer in (f.base, f.revision):
        found = re.match(r"/components/schemas/([^/]+)", pointer)
        if found and _unescape(found.group(1)) in hit:
            return True
    return False


def in_allof_part(key: str) -> Test:
    """``key`` is said in an allOf part beside a $ref (``allOf: [{$ref}, {key: ...}]``)."""

    def test(f: Item) -> bool:
        for pointer in (f.base, f.revision):
            node = f.raw(pointer) if pointer.startswith(("/components", "/paths")) else None
            node = _deref(f.document, node, 0) if not (isinstance(node, dict) and "allOf" in node) else node
            parts = node.get("allOf") if isinstance(node, dict) else None
            if isinstance(parts, list) and any(isinstance(p, dict) and key in p and "$ref" not in p for p in parts):
                return True
        return False

    return test


def formatted_without_engine_type(f: Item) -> bool:
    node = f.node()
    return isinstance(node, dict) and isinstance(node.get("format"), str) and node.get("type") == "string"


def discriminator_values_contradict(f: Item) -> bool:
    """A discriminated base whose subtypes' tag property is an enum or const that does not hold
    the mapping value (Azure's ``x-ms-discriminator-value``): the tag the mapping implies and
    the enum disagree."""
    text = json.dumps(f.document.get("components", {}).get("schemas", {}))
    return "x-ms-discriminator-value" in text or '"discriminator"' in text


@dataclass(frozen=True)
class Class:
    name: str
    test: Test
    verdict: str = "generator"  # generator | checker | spec | fastapi | decision


# Ordered: the first that matches names the class. The survey (notes/fidelity-survey.md)
# says, for each, what the spec says, what the app documents, and where it comes from.
CLASSES: list[Class] = [
    # -- security
    Class(
        "S1 security: a requirement of several schemes documented as alternatives",
        either(
            rx(r"security\.alternative-(added|missing)", r"also accepts| and "),
        ),
        "fastapi",
    ),
    Class(
        "S2 security: an unused security scheme is not in the app",
        both(rx(r"security\.scheme-missing"), lambda f: not _scheme_used(f)),
        "checker",
    ),
    Class("S3 security: a used security scheme is not in the app", rx(r"security\.scheme-missing")),
    Class("S4 security: alternatives of one scheme with other scopes merged into one", rx(r"security\.scopes")),
    Class("S5 security: anonymous alternative ({}) dropped", rx(r"security\.alternative-missing", "anonymous")),
    Class("S6 empty links map ({}) read as links", rx(r"response\.links"), "checker"),
    # -- media types
    Class(
        "M1 content without a schema documented with one (string, or binary)",
        both(
            lambda f: f.media is not None and not f.base,
            rx(r"schema\.(type|content)", r"type any in the base|contentMediaType none in the base"),
        ),
    ),
    Class(
        "M1b non-JSON content of an untyped schema ({}, format: binary alone) documented as a string/binary",
        both(
            not_json,
            rx(r"schema\.(type|content)", r"type any in the base|contentMediaType none in the base"),
            lambda f: isinstance(f.node(), dict) and not _structured(f.node()),
        ),
    ),
    Class(
        "M2 XML request body typed as a string",
        both(xml_media, rx(r"schema\.(type|content|format)", where="› request body")),
    ),
    Class(
        "M3 non-JSON body or response of a structured schema documented as a string/binary",
        both(not_json, rx(r"schema\.(type|content|format)")),
    ),
    Class(
        "M4 multipart body without files documented as application/x-www-form-urlencoded",
        either(
            rx(r"request-body\.media-type-added", "x-www-form-urlencoded"),
            both(rx(r"request-body\.media-type-missing", "multipart/form-data"), lambda f: _urlencoded_added(f)),
        ),
    ),
    Class(
        "M5 only one request media type accepted (the others dropped)",
        rx(r"request-body\.media-type-missing"),
        "fastapi",
    ),
    Class("M6 only one response media type documented (the others dropped)", rx(r"response\.media-type-missing")),
    Class(
        "M7 optional form/multipart body documented as required",
        rx(r"request-body\.required", "required in the revision"),
    ),
    Class(
        "M7b required form/multipart body whose fields are all optional documented as optional",
        rx(r"request-body\.required", "optional in the revision"),
    ),
    Class(
        "M9 form/multipart encoding (style, explode, contentType) not documented",
        rx(r"request-body\.encoding"),
        "fastapi",
    ),
    Class(
        "M10 form body without properties gains a field named 'body'",
        rx(
            r"schema\.property-added",
            "'body'",
            where="› (multipart/form-data|application/x-www-form-urlencoded) › body$",
        ),
    ),
    Class("M8 XML names (the xml keyword) not documented in XML responses", rx(r"schema\.xml")),
    # -- parameters
    Class(
        "P1 default of a required parameter dropped",
        both(
            rx(r"schema\.default", "in the base, none in the revision"),
            lambda f: f.side == "parameter",
            required_parameter,
        ),
    ),
    Class(
        "P2 explode/style of a scalar parameter (means nothing for a primitive)",
        both(rx(r"parameter\.style"), scalar_parameter),
        "checker",
    ),
    Class("P3 parameter style/explode FastAPI cannot document (arrays, objects)", rx(r"parameter\.style"), "fastapi"),
    Class(
        "P4 allowEmptyValue / allowReserved not documented", rx(r"parameter\.allow-(empty-value|reserved)"), "fastapi"
    ),
    Class("P7 operation/path-level servers not documented", rx(r"operation\.servers"), "fastapi"),
    Class(
        "P8 parameter without a schema documented as a string",
        both(rx(r"schema\.type", "type any in the base"), lambda f: f.side == "parameter"),
    ),
    Class(
        "P9 uniqueItems of an array parameter not documented",
        both(rx(r"schema\.unique-items"), lambda f: f.side == "parameter"),
    ),
    Class("P5 path parameter not an identifier documented under another name", rx(r"parameter\.name")),
    Class("P6 parameter given with content documented differently", rx(r"parameter\.content")),
    # -- schemas
    Class(
        "D1 required key that is not a declared property dropped",
        both(rx(r"schema\.required", "is optional in the revision"), required_not_declared),
    ),
    Class(
        "D2 3.0 enum with nullable: true but no null documented as accepting null",
        both(
            either(rx(r"schema\.nullable", "allowed in the revision"), rx(r"schema\.enum", r"adds values \[null\]")),
            nullable_enum_without_null,
        ),
        "decision",
    ),
    Class(
        "D2b 3.0 nullable: true without a type beside it (or beside allOf) documented as accepting null",
        both(
            either(
                rx(r"schema\.nullable", "allowed in the revision"),
                rx(r"schema\.enum", r"adds values \[null\]"),
                rx(r"schema\.union"),
            ),
            nullable_without_type,
        ),
        "decision",
    ),
    Class(
        "D9c discriminated base with a single subtype: the check does not collapse its oneOf of one",
        both(rx(r"schema\.(discriminator|enum)"), lambda f: _single_subtype(f)),
        "checker",
    ),
    Class(
        "D22 additionalProperties: true beside allOf stops the check merging the parts",
        both(
            rx(r"schema\.(all-of|property-added|property-missing)"),
            lambda f: (
                isinstance(f.node(), dict) and f.node().get("additionalProperties") is True and "allOf" in f.node()
            ),
        ),
        "checker",
    ),
    Class(
        "D9a discriminator values contradict the tag property's enum (x-ms-discriminator-value)",
        both(rx(r"schema\.(enum|type|required|discriminator|union)"), tag_contradiction),
        "spec",
    ),
    Class(
        "D3 default of a required property dropped",
        both(rx(r"schema\.default", "in the base, none in the revision"), required_property),
    ),
    Class(
        "D4 3.0 keywords beside $ref honoured by the app (3.0 says they are ignored)",
        either(
            both(rx(r"schema\.read-only", "False in the base, True"), ref_sibling("readOnly")),
            both(rx(r"schema\.write-only", "False in the base, True"), ref_sibling("writeOnly")),
            both(rx(r"schema\.deprecated", "False in the base, True"), ref_sibling("deprecated")),
            both(
                either(
                    rx(r"schema\.nullable", "allowed in the revision"), rx(r"schema\.enum", r"adds values \[null\]")
                ),
                ref_sibling("nullable"),
            ),
            both(rx(r"schema\.default", "none in the base"), ref_sibling("default")),
            both(rx(r"schema\.union", "adds the alternative null"), ref_sibling("nullable")),
        ),
        "decision",
    ),
    Class(
        "D5 annotation in an allOf part beside a $ref dropped (readOnly, deprecated, default, ...)",
        both(
            rx(
                r"schema\.(read-only|write-only|deprecated|default)",
                r"True in the base, False|in the base, none in the revision",
            ),
            either(
                in_allof_part("readOnly"),
                in_allof_part("deprecated"),
                in_allof_part("default"),
                in_allof_part("writeOnly"),
            ),
        ),
    ),
    Class(
        "D6 readOnly/writeOnly/deprecated of a schema lost",
        rx(r"schema\.(read-only|write-only|deprecated)", r"True in the base, False"),
    ),
    Class(
        "D7 default dropped on a string with a format the engine has no type for",
        both(rx(r"schema\.default", "in the base, none in the revision"), formatted_without_engine_type),
    ),
    Class(
        "D8a oneOf whose branches cannot overlap (a required tag the other branch restricts or forbids), documented as anyOf",
        both(rx(r"schema\.union", "oneOf in the base, anyOf in the revision"), lambda f: _closed_exclusive(f)),
        "checker",
    ),
    Class(
        "D8 oneOf documented as anyOf (Pydantic unions)",
        rx(r"schema\.union", "oneOf in the base, (anyOf|one schema) in the revision"),
    ),
    Class(
        "D9 discriminator / polymorphism",
        either(
            rx(r"schema\.discriminator"),
            both(rx(r"schema\.(enum|type|required)"), lambda f: _under_discriminator(f)),
        ),
    ),
    Class(
        "D9b discriminator tag forced on a subtype used directly (or through several levels)",
        both(rx(r"schema\.enum", r"only \[.*\] allowed in the revision"), lambda f: _plain_tag(f)),
    ),
    Class(
        "D18 enum none of whose values has the schema's type",
        both(rx(r"schema\.(enum|type)"), lambda f: _wrong_typed_enum(f.node())),
        "spec",
    ),
    Class(
        "D19 integer bounds near 2**63 documented as floats (rounded)",
        rx(r"schema\.(maximum|minimum)", r"e\+\d+ in the revision"),
    ),
    Class(
        "D20 minLength/maxLength on an array documented as minItems/maxItems",
        both(
            rx(r"schema\.(min|max)-items", "none in the base"),
            lambda f: isinstance(f.node(), dict) and ("minLength" in f.node() or "maxLength" in f.node()),
        ),
    ),
    Class("D21 pattern dropped", rx(r"schema\.pattern", "in the base, none in the revision")),
    Class("D10 maxProperties/minProperties dropped", rx(r"schema\.(max|min)-properties")),
    Class(
        "D11a map without type: object (additionalProperties only) documented as any",
        both(
            rx(
                r"schema\.(type|additional-properties)",
                r"type object in the base, any|additionalProperties \S+ in the base, any",
            ),
            lambda f: isinstance(f.node(), dict) and "type" not in f.node() and "additionalProperties" in f.node(),
        ),
    ),
    Class(
        "D11 object type lost (documented with no type)",
        rx(r"schema\.type", "type object in the base, any in the revision"),
    ),
    Class("D12 additionalProperties changed", rx(r"schema\.additional-properties")),
    Class("D13 nullable added elsewhere", rx(r"schema\.nullable", "allowed in the revision")),
    Class(
        "D15 single-value enum given a default the spec does not have",
        both(rx(r"schema\.default", "default none in the base"), lambda f: _single_enum(f.node())),
    ),
    Class("D16 default of a response header dropped", rx(r"schema\.default", where="› header ")),
    Class("D14 default changed or added", rx(r"schema\.default")),
]


def _structured(node: dict[str, Any]) -> bool:
    return node.get("type") is not None or any(
        k in node for k in ("properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties", "enum")
    )


def _single_subtype(f: Item) -> bool:
    """The base's schema (or the one its where starts from) is a discriminated component that
    exactly one component extends through allOf."""
    pointer = f.base if f.rule == "schema.discriminator" else f.base.rsplit("/properties/", 1)[0]
    found = re.match(r"/components/schemas/([^/]+)$", pointer)
    if not found:
        return False
    name = _unescape(found.group(1))
    node = f.node(pointer)
    if not isinstance(node, dict) or "discriminator" not in node or "oneOf" in node or "anyOf" in node:
        return False
    schemas = (f.document.get("components") or {}).get("schemas") or {}
    target = "#/components/schemas/" + found.group(1)
    children = [
        k
        for k, v in schemas.items()
        if isinstance(v, dict) and any(isinstance(p, dict) and p.get("$ref") == target for p in v.get("allOf") or ())
    ]
    return len(children) == 1 and name not in children


def _closed_exclusive(f: Item) -> bool:
    """No value can match two branches of the oneOf: for each pair, one branch requires a
    property the other forbids (additionalProperties: false without it) or restricts, where
    present, to values (enum/const) disjoint from the first's."""
    node = f.node()
    branches = node.get("oneOf") if isinstance(node, dict) else None
    if not isinstance(branches, list) or len(branches) < 2:
        return False
    resolved = [_deref(f.document, b, 0) for b in branches]
    if not all(isinstance(b, dict) for b in resolved):
        return False

    def values(schema: dict[str, Any], name: str) -> set[str] | None:
        prop = _deref(f.document, (schema.get("properties") or {}).get(name), 0)
        if not isinstance(prop, dict):
            return None
        if "const" in prop:
            return {json.dumps(prop["const"])}
        return {json.dumps(v) for v in prop["enum"]} if isinstance(prop.get("enum"), list) else None

    def apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
        for name in a.get("required") or ():
            if b.get("additionalProperties") is False and name not in (b.get("properties") or {}):
                return True
            mine, theirs = values(a, name), values(b, name)
            if mine is not None and theirs is not None and not mine & theirs:
                return True
        return False

    return all(apart(a, b) or apart(b, a) for i, a in enumerate(resolved) for b in resolved[i + 1 :])


def _plain_tag(f: Item) -> bool:
    node = f.node()
    return isinstance(node, dict) and "enum" not in node and "const" not in node and node.get("type") == "string"


def _wrong_typed_enum(node: Any) -> bool:
    if not isinstance(node, dict) or not isinstance(node.get("enum"), list) or not isinstance(node.get("type"), str):
        return False
    kinds: dict[str, type | tuple[type, ...]] = {
        "string": str, "integer": int, "number": (int, float), "boolean": bool, "object": dict, "array": list,
    }  # fmt: skip
    kind = kinds.get(node["type"])
    return kind is not None and not any(isinstance(v, kind) for v in node["enum"] if v is not None)


def _single_enum(node: Any) -> bool:
    return isinstance(node, dict) and isinstance(node.get("enum"), list) and len(node["enum"]) == 1


def _scheme_used(f: Item) -> bool:
    name = f.named
    doc = f.document

    def uses(requirements: Any) -> bool:
        return isinstance(requirements, list) and any(isinstance(r, dict) and name in r for r in requirements)

    if uses(doc.get("security")):
        return True
    for item in (doc.get("paths") or {}).values():
        for op in item.values() if isinstance(item, dict) else ():
            if isinstance(op, dict) and uses(op.get("security")):
                return True
    return False


_ADDED: dict[str, set[str]] = {}


def _urlencoded_added(f: Item) -> bool:
    return f.where in _ADDED.get(f.spec, set())


def _under_discriminator(f: Item) -> bool:
    return bool(f.extra.get("discriminated"))


# -- reading results -----------------------------------------------------------------------


def load(path: Path) -> list[dict[str, Any]]:
    text = path.read_text()
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    results: list[dict[str, Any]] = json.loads(text)
    return results


def findings(results: list[dict[str, Any]]) -> list[Item]:
    items = []
    for r in results:
        found = r.get("findings") or ()
        _ADDED[r["spec"]] = {f["where"] for f in found if f["rule"] == "request-body.media-type-added"}
        discriminated = {f["where"] for f in found if f["rule"] == "schema.discriminator"}
        for f in found:
            item = Item(r["spec"], f["rule"], f["message"], f["where"], f["base"], f["revision"], f["severity"])
            item.extra["discriminated"] = any(f["where"].startswith(w) for w in discriminated)
            items.append(item)
    return items


def signature(f: Item) -> str:
    message = re.sub(r"\(#/[^)]*\)", "(#…)", f.message)
    message = re.sub(r"'[^']*'", "'X'", message)
    message = re.sub(r'"[^"]*"', '"V"', message)
    message = re.sub(r"\[[^\]]*\]", "[…]", message)
    message = re.sub(r"-?\d+(\.\d+)?", "N", message)
    return f"{f.severity} {f.rule} [{f.side}{', json' if _json_media(f.media) else ''}]: {message[:140]}"


def classify(items: list[Item]) -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = defaultdict(list)
    for f in items:
        name = next((c.name for c in CLASSES if c.test(f)), None)
        groups[name or f"(unclassified) {signature(f)}"].append(f)
    return groups


def _error_class(text: str) -> str:
    text = re.sub(r"\(/[^)]*\)", "", text)
    text = re.sub(r"/tmp/[^ ]*", "…", text)
    return text.split(" [", 1)[0][:120]


def failures(results: list[dict[str, Any]]) -> dict[str, list[Item]]:
    """Failures by class: a stage not passed (by its error), a timeout, a mypy or ruff code."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for r in results:
        if r["stage"] not in ("ok", "invalid"):
            stage = r.get("during", r["stage"]) if r["stage"] == "timeout" else r["stage"]
            kind = "timeout" if r["stage"] == "timeout" else stage
            groups[f"{kind}: {_error_class(r.get('error', ''))}"].append(
                Item(r["spec"], kind, r.get("error", ""), stage)
            )
        elif r["stage"] == "invalid":
            groups[f"invalid: {_error_class(r.get('error', ''))}"].append(
                Item(r["spec"], "invalid", r.get("error", ""), "")
            )
        for tool, found in (r.get("typecheck") or {}).items():
            if found.get("ok"):
                continue
            messages = found.get("messages") or [found.get("first", "")]
            for code, n in (found.get("codes") or {"timeout" if found.get("timeout") else "?": 1}).items():
                sample = next((m for m in messages if code in m), messages[0] if messages else "")
                module = re.match(r"api/([\w/]+)\.py", sample)
                where = module.group(1) if module else "?"
                if where.startswith("routers/"):
                    where = "routers/*"
                elif where.startswith("interfaces/"):
                    where = "interfaces/*"
                item = Item(r["spec"], tool, sample, where, extra={"n": n})
                groups[f"{tool} {code} in {where}"].append(item)
    return groups


def blockers(groups: dict[str, list[Item]]) -> dict[str, set[str]]:
    """For each spec with findings: the classes it has."""
    per_spec: dict[str, set[str]] = defaultdict(set)
    for name, items in groups.items():
        for f in items:
            per_spec[f.id].add(name)
    return per_spec


def report(groups: dict[str, list[Item]], examples: int, only: str | None = None) -> str:
    per_spec = blockers(groups)
    lines = []
    ordered = sorted(groups.items(), key=lambda kv: (-len({f.id for f in kv[1]}), -len(kv[1]), kv[0]))
    for name, items in ordered:
        if only is not None and only not in name:
            continue
        specs = Counter(f.id for f in items)
        alone = sum(1 for s in specs if per_spec[s] == {name})
        lines.append(f"{len(specs):4} specs {len(items):7} findings {alone:4} alone  {name}")
        for spec, _ in specs.most_common(examples):
            first = next(f for f in items if f.id == spec)
            lines.append(f"        {spec}: {first.where[:220]} -- {first.message[:200]}")
    return "\n".join(lines)


def greedy(groups: dict[str, list[Item]], zero: int, valid: int) -> list[tuple[str, int, float]]:
    """Classes in the order that frees most specs: (class, specs at zero drift after fixing it
    and those before, their share of the valid specs)."""
    per_spec = {s: set(c) for s, c in blockers(groups).items()}
    fixed: set[str] = set()
    order = []
    while per_spec:
        best = max(
            {c for cs in per_spec.values() for c in cs} - fixed,
            key=lambda c: (
                sum(1 for cs in per_spec.values() if cs <= fixed | {c}),
                sum(1 for cs in per_spec.values() if c in cs),
            ),
        )
        fixed.add(best)
        freed = [s for s, cs in per_spec.items() if cs <= fixed]
        for s in freed:
            del per_spec[s]
        zero += len(freed)
        order.append((best, zero, zero / valid))
    return order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", type=Path)
    parser.add_argument("--signatures", action="store_true", help="only what no class matches")
    parser.add_argument("--class", dest="only", help="only classes whose name contains this")
    parser.add_argument("--examples", type=int, default=3)
    parser.add_argument("--failures", action="store_true", help="the failures (stages, type checks) instead")
    parser.add_argument("--greedy", action="store_true", help="zero drift after fixing the classes one by one")
    args = parser.parse_args()
    results = load(args.results)
    if args.failures:
        print(report(failures(results), args.examples, args.only))
        return
    groups = classify(findings(results))
    if args.greedy:
        ok = [r for r in results if r["stage"] == "ok"]
        zero = sum(1 for r in ok if not r["drift"]["breaking"] and not r["drift"]["warning"])
        valid = sum(1 for r in results if r["stage"] != "invalid")
        for name, n, share in greedy(groups, zero, valid):
            print(f"{n:4} {100 * share:5.1f}%  {name}")
        return
    if args.signatures:
        groups = {k: v for k, v in groups.items() if k.startswith("(unclassified)")}
    print(report(groups, args.examples, args.only))


if __name__ == "__main__":
    main()
