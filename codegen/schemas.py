"""Every schema that becomes a class, and the document the model engine receives.

The model engine (datamodel-code-generator) names inline schemas after their property alone
and numbers the collisions (GitHub's API: 2,074 ``Action1``...``Action259``). We decide the
names ourselves instead: component schemas keep their spec names; each inline object is
hoisted into a component named from its context (``Parent`` + ``Property``, or operation +
role such as ``CreatePetRequest``) before the engine runs, so the engine only ever sees
named components and never has to invent a name.

Hoisting an inline schema behind a ``$ref`` changes nothing a validator could notice, and the
drift check compares schemas structurally, so the generated app still says what the spec says.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

from codegen.formats import Formats
from codegen.jsontypes import json_type_in
from codegen.naming import Namespace, class_name
from codegen.problems import Problem, escape_pointer, split_pointer
from codegen.regex import regex_engine

__all__ = ["SchemaPlan", "is_object_like"]

COMPONENT_PREFIX = "#/components/schemas/"
_ENGINE_NAMES = {"BaseModel", "RootModel", "Field", "ConfigDict"}


def is_object_like(schema: Any) -> bool:
    """Would the model engine make a class of this inline schema?"""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    if isinstance(schema.get("properties"), dict) and schema["properties"]:
        return True
    if schema.get("additionalProperties") is False and schema.get("type") in ("object", None):
        return True  # an object that must be empty: a class that forbids extra fields
    parts = schema.get("allOf")
    if isinstance(parts, list) and parts:
        substantive = [p for p in parts if isinstance(p, dict) and set(p) - ANNOTATIONS]
        inline = [p for p in substantive if "$ref" not in p]
        # allOf: [{$ref: X}, {description: ...}] only annotates X: not a class of its own
        return len(substantive) > 1 or any(isinstance(p.get("properties"), dict) for p in inline)
    return False


# Keywords that describe a schema without changing what it accepts.
ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "xml", "deprecated", "$comment"}
    | {"readOnly", "writeOnly", "nullable", "default"}
)


def _fixed_tag(schema: Any, prop: str) -> list[str] | None:
    """The values a schema's own ``prop`` is limited to (const or enum), if any."""
    props = schema.get("properties") if isinstance(schema, dict) else None
    sub = props.get(prop) if isinstance(props, dict) else None
    if not isinstance(sub, dict):
        return None
    if "const" in sub:
        return [str(sub["const"])]
    enum = sub.get("enum")
    return sorted(str(v) for v in enum) if isinstance(enum, list) else None


def says_nullable(schema: Any) -> bool:
    """``nullable: true`` (3.0) or ``"null"`` among the types (3.1)."""
    if not isinstance(schema, dict):
        return False
    types = schema.get("type")
    return schema.get("nullable") is True or (isinstance(types, list) and "null" in types)


def _discriminated_base(schema: Any) -> bool:
    disc = schema.get("discriminator") if isinstance(schema, dict) else None
    return (
        isinstance(disc, dict)
        and isinstance(disc.get("propertyName"), str)
        and not ("oneOf" in schema or "anyOf" in schema)
    )


def _hint(pointer: str) -> str:
    """A name for a schema referenced where it sits inside an operation, from its location:
    ``/paths/~1pets/get/responses/200/...`` gives "get pets Response 200"."""
    parts = split_pointer(pointer)
    if len(parts) >= 3 and parts[0] == "paths":
        words = [parts[2], parts[1]]
        rest = parts[3:]
        if rest[:1] == ["responses"] and len(rest) > 1:
            words += ["Response", rest[1]]
        elif rest[:1] == ["requestBody"]:
            words.append("Request")
        elif rest[:1] == ["parameters"] and len(rest) > 1:
            words += ["Parameter", rest[1]]
        return " ".join(words)
    return parts[-1] if parts else "Schema"


_STRUCTURE = frozenset({"$ref", "allOf", "anyOf", "oneOf", "properties", "items", "additionalProperties", "not"})


_TIGHTER = {"maxLength": min, "maximum": min, "maxItems": min, "minLength": max, "minimum": max, "minItems": max}


def _allows_null(schema: dict[str, Any]) -> bool:
    if "enum" in schema:
        return None in schema["enum"] or schema.get("nullable") is True
    kinds = schema.get("type")
    if kinds is None:
        return True
    return schema.get("nullable") is True or (isinstance(kinds, list) and "null" in kinds)


def _merged_primitive(schemas: list[Any]) -> dict[str, Any] | None:
    """Several schemas a value must all satisfy (allOf parts defining one property, or an
    object and a branch refining it), as one schema, when they are primitives: types meet,
    enums intersect, the tighter bound wins, null only if all allow it. None if they are not
    primitives or disagree otherwise (then the engine's choice stands)."""
    if not all(isinstance(s, dict) and not (_STRUCTURE & set(s)) for s in schemas):
        return None
    merged: dict[str, Any] = {}
    for schema in schemas:
        for key, value in schema.items():
            if key == "nullable":
                continue
            if key == "type":
                kinds = [k for k in value if k != "null"] if isinstance(value, list) else value
                if merged.get("type", kinds) != kinds:
                    return None
                merged["type"] = kinds
            elif key == "enum" and isinstance(value, list):
                merged["enum"] = [v for v in merged["enum"] if v in value] if "enum" in merged else list(value)
            elif key in ANNOTATIONS or key not in merged:
                merged[key] = value
            elif merged[key] != value:
                tighter = _TIGHTER.get(key)
                if tighter is None or not all(isinstance(v, int | float) for v in (merged[key], value)):
                    return None
                merged[key] = tighter(merged[key], value)
    if all(_allows_null(s) for s in schemas):
        if "enum" in merged and None not in merged["enum"]:
            merged["enum"].append(None)
        merged["nullable"] = True
    return merged


def _partial_object(schema: Any) -> bool:
    """A branch that only says more about the object beside it (properties, required...)."""
    return (
        isinstance(schema, dict)
        and schema.get("type", "object") == "object"
        and not set(schema) - ANNOTATIONS - {"type", "properties", "required", "additionalProperties"}
    )


def _distribute_branches(schema: dict[str, Any]) -> dict[str, Any] | None:
    """``{properties: P, anyOf: [B1, B2]}`` with branches that refine the object is
    ``anyOf: [P and B1, P and B2]``: each branch written out whole, its properties merged
    with the object's (the engine would let the object's override the branch's)."""
    key = "anyOf" if "anyOf" in schema else "oneOf" if "oneOf" in schema else None
    if key is None or "discriminator" in schema or not (schema.get("properties") or schema.get("required")):
        return None
    branches = schema[key]
    if not isinstance(branches, list) or not branches or not all(_partial_object(b) for b in branches):
        return None
    if all(set(b) - ANNOTATIONS == {"required"} for b in branches):
        return None  # "at least one of these": the engine writes that out itself
    if set(schema) - ANNOTATIONS - {"type", "properties", "required", "additionalProperties", key}:
        return None
    own = schema.get("properties") or {}
    written = []
    for branch in branches:
        props = dict(own)
        for name, sub in (branch.get("properties") or {}).items():
            merged = _merged_primitive([own[name], sub]) if name in own else sub
            if merged is None:
                return None
            props[name] = merged
        out: dict[str, Any] = {k: v for k, v in branch.items() if k in ANNOTATIONS}
        out.update(type="object", properties=props)
        required = [
            *(schema.get("required") or []),
            *(r for r in branch.get("required") or () if r not in (schema.get("required") or [])),
        ]
        if required:
            out["required"] = required
        extras = [
            e for e in (schema.get("additionalProperties"), branch.get("additionalProperties")) if e not in (None, True)
        ]
        if len(extras) > 1 and any(e is not False for e in extras):
            return None
        if extras:
            out["additionalProperties"] = extras[0]
        written.append(out)
    return {**{k: v for k, v in schema.items() if k in ANNOTATIONS}, key: written}


def _is_enum(schema: Any) -> bool:
    return isinstance(schema, dict) and isinstance(schema.get("enum"), list) and "$ref" not in schema


class SchemaPlan:
    """Class names for schemas, and the transformed schemas handed to the model engine."""

    def __init__(self, document: dict[str, Any], formats: Formats | None = None) -> None:
        self.document = document
        self.formats = formats or Formats()
        components = document.get("components", {})
        raw = components.get("schemas", {}) if isinstance(components, dict) else {}
        self.components: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.names = Namespace(_ENGINE_NAMES)
        self.class_names: dict[str, str] = self.names.assign(self.components, class_name)
        self.model_view: dict[str, Any] = {}
        self.type_overrides: dict[str, str] = {}  # engine component -> alias in formats.py
        self.origins: dict[str, str] = {}  # class name -> pointer of its schema in the spec
        self.problems: list[Problem] = []
        self._hoisted: dict[int, str] = {}  # id() of an inline schema already named
        self._subtypes: dict[int, list[tuple[str, str]]] | None = None
        self._tags: dict[str, tuple[str, list[str]]] | None = None
        self._variant_of: dict[tuple[int, str], str] = {}  # (id of a branch schema, tag) -> class
        for name in sorted(self.components):
            self.origins[self.class_names[name]] = "/components/schemas/" + escape_pointer(
                name
            )  # a pointer, not a $ref

    def finish(self) -> dict[str, Any]:
        """Transform the component schemas (after the operations have named their own inline
        schemas, so a schema two places share takes the operation's name) and return the view."""
        for name in sorted(self.components):
            cls = self.class_names[name]
            if cls not in self.model_view:
                self.model_view[cls] = {}  # placeholder: a recursive schema refers back here
                view = self._transform(self.components[name], cls, self.origins[cls], top=True)
                tag = self._tag_of(name)
                if tag is not None and isinstance(view, dict):
                    # A union member's tag can only take its mapping values (for a subtype of a
                    # discriminated base, its own name); saying so lets Pydantic tell the
                    # members apart wherever the union is used.
                    prop, values = tag
                    view.setdefault("properties", {})[prop] = {
                        "type": "string",
                        "enum": values,
                        "x-enum-field-as-literal": True,
                    }
                    view["required"] = sorted({*view.get("required", []), prop})
                self.model_view[cls] = view
        return {cls: self.model_view[cls] for cls in sorted(self.model_view)}

    # -- refs

    def ref_class(self, ref: str) -> str | None:
        """The class a ``$ref`` names, hoisting refs that point outside ``components``."""
        if ref.startswith(COMPONENT_PREFIX):
            name = "/".join(split_pointer("/" + ref[len(COMPONENT_PREFIX) :]))
            if name in self.class_names:
                return self.class_names[name]
        target = self.resolve(ref)
        if not isinstance(target, dict):
            return None
        pointer = urllib.parse.unquote(ref[1:])
        return self.hoist(target, _hint(pointer), pointer)

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None
        node: Any = self.document
        for part in split_pointer(urllib.parse.unquote(ref[1:])):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def subtypes(self, schema: Any) -> list[str]:
        """Class names of the components that extend a discriminated ``schema`` via ``allOf``:
        where the spec names the base, the value may be any of them (OpenAPI polymorphism)."""
        if not _discriminated_base(schema):
            return []
        return [self.class_names[name] for name, _ in self._subtype_index().get(id(schema), [])]

    def _subtype_index(self) -> dict[int, list[tuple[str, str]]]:
        """id(base schema) -> [(subtype component name, its tag value)]."""
        if self._subtypes is None:
            self._subtypes = {}
            for name in sorted(self.components):
                parts = self.components[name].get("allOf") if isinstance(self.components[name], dict) else None
                for part in parts if isinstance(parts, list) else ():
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        parent = self.resolve(part["$ref"])
                        if _discriminated_base(parent):
                            mapping = parent["discriminator"].get("mapping")
                            tag = name
                            if isinstance(mapping, dict):
                                own = COMPONENT_PREFIX + escape_pointer(name)
                                tag = next((k for k, v in mapping.items() if v in (own, name)), name)
                            self._subtypes.setdefault(id(parent), []).append((name, tag))
        return self._subtypes

    def _tag_of(self, name: str) -> tuple[str, list[str]] | None:
        """(discriminator property, values) a component is told apart by in some union."""
        if self._tags is None:
            tags: dict[str, tuple[str, set[str]]] = {}
            bases = {id(schema): schema for schema in self.components.values()}
            for base_id, subs in self._subtype_index().items():
                if base_id in bases:
                    prop = str(bases[base_id]["discriminator"]["propertyName"])
                    for sub, tag in subs:
                        tags.setdefault(sub, (prop, set()))[1].add(tag)
            self._tags = {name: (prop, sorted(values)) for name, (prop, values) in tags.items()}
        return self._tags.get(name)

    def deref(self, schema: Any) -> Any:
        """Follow ``$ref`` chains (bounded: the loader already refused cycles)."""
        for _ in range(64):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema
            schema = self.resolve(schema["$ref"])
        return schema

    # -- hoisting

    def hoist(self, schema: dict[str, Any], hint: str, pointer: str) -> str:
        """Give an inline schema a class of its own (once, however often it is met)."""
        key = id(schema)
        if key in self._hoisted:
            return self._hoisted[key]
        cls = self.names.claim(class_name(hint))
        self._hoisted[key] = cls
        self.origins[cls] = pointer
        self.model_view[cls] = self._transform(schema, cls, pointer, top=True)
        return cls

    def _transform(self, schema: Any, owner: str, pointer: str, *, top: bool, part: bool = False) -> Any:
        """A copy of ``schema`` with refs renamed, inline objects hoisted, inline enums literal."""
        if not isinstance(schema, dict):
            return copy.deepcopy(schema)
        schema = _distribute_branches(schema) or schema
        if not top:
            formatted = self._format_ref(schema)
            if formatted is not None:
                return formatted
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key.startswith("x-"):
                continue  # the spec's extensions mean nothing to the engine; ours follow below
            at = f"{pointer}/{escape_pointer(key)}"
            if key == "$ref" and isinstance(value, str):
                cls = self.ref_class(value)
                out[key] = COMPONENT_PREFIX + cls if cls is not None else value
                if cls is not None and says_nullable(self.deref(schema)) and not top and not part:
                    # A nullable component: the engine drops nullability of a whole class, so
                    # say it where the class is used (not in an allOf: all parts must allow null).
                    return {"anyOf": [{"$ref": out[key]}, {"type": "null"}]}
            elif key in ("properties", "patternProperties") and isinstance(value, dict):
                out[key] = {
                    prop: self._child(sub, f"{owner} {prop}", f"{at}/{escape_pointer(prop)}")
                    for prop, sub in value.items()
                }
            elif key in ("items", "additionalProperties", "not", "contains", "unevaluatedProperties"):
                suffix = {"items": "Item", "additionalProperties": "Value"}.get(key, key)
                out[key] = self._child(value, f"{owner} {suffix}", at) if isinstance(value, dict) else value
                if isinstance(value, dict) and value.get("nullable") is True and "$ref" not in value:
                    # the engine honours 3.0's ``nullable`` on properties only: spell it out
                    inner = {k: v for k, v in out[key].items() if k != "nullable"}
                    out[key] = {"anyOf": [inner, {"type": "null"}]}
            elif key in ("oneOf", "anyOf") and isinstance(value, list):
                out[key] = [
                    self._child(sub, self._branch_hint(schema, sub, owner, i), f"{at}/{i}")
                    for i, sub in enumerate(value)
                ]
            elif key == "allOf" and isinstance(value, list):
                # inline parts merge into the owner; only their nested schemas are hoisted
                out[key] = [
                    self._transform(sub, owner, f"{at}/{i}", top=False, part=True) for i, sub in enumerate(value)
                ]
            elif key == "discriminator" and isinstance(value, dict):
                disc = self._resolvable_mapping(value, at)
                out[key] = self._discriminator(disc)
                tagged = self.tagged_branches(schema)
                if tagged is not None:
                    branch_key = "oneOf" if "oneOf" in schema else "anyOf"
                    out[branch_key] = [{"$ref": COMPONENT_PREFIX + cls} for cls in tagged]
                    out[key]["mapping"] = {
                        tag: COMPONENT_PREFIX + self._variant_of.get((id(self.deref_ref(target)), tag), "")
                        if (id(self.deref_ref(target)), tag) in self._variant_of
                        else out[key]["mapping"][tag]
                        for tag, target in disc["mapping"].items()
                    }
            elif key == "format" and isinstance(value, str) and not self._engine_format(schema, value):
                # a format the model engine has no type for stays an annotation on the field
                out["x-format"] = value
            elif key == "pattern" and isinstance(value, str) and regex_engine(value) is None:
                self.problems.append(
                    Problem.at(
                        "schema.pattern",
                        f"pattern {value!r} is not a regular expression Python can run; it is not enforced",
                        at,
                        warning=True,
                    )
                )
            elif key == "enum" and isinstance(value, list) and schema.get("type") is not None:
                out[key] = self._typed_enum(value, schema["type"], schema.get("nullable") is True, at)
            else:
                out[key] = copy.deepcopy(value)
        if isinstance(schema.get("allOf"), list):
            self._require_across_parts(schema, out, owner, pointer)
        if not top and _is_enum(schema):
            out["x-enum-field-as-literal"] = True
        if top:
            # the engine keeps readOnly/writeOnly of fields, not of whole classes: carry them as
            # extensions it copies into the class's JSON schema (see render.models)
            for key in ("readOnly", "writeOnly"):
                if schema.get(key) is True:
                    out[f"x-{key}"] = True
        return out

    def _require_across_parts(self, schema: dict[str, Any], out: dict[str, Any], owner: str, pointer: str) -> None:
        """``allOf`` parts hold together: a property one part requires and another defines is
        required (the engine keeps ``required`` only beside the property's own definition)."""
        required: set[str] = set()
        defined: dict[str, tuple[Any, bool]] = {}  # name -> (schema, required where defined)
        definitions: dict[str, list[Any]] = {}  # name -> every part's schema for it
        self._gather_parts(schema, required, defined, definitions, set())
        props = out.setdefault("properties", {})
        for name, schemas in definitions.items():
            merged = _merged_primitive(schemas) if len(schemas) > 1 and name not in props else None
            if merged is not None:
                # two parts define the property: a value must satisfy both (the engine takes one)
                props[name] = self._child(merged, f"{owner} {name}", f"{pointer}/allOf")
                for part in out.get("allOf") or ():  # inline parts would still give theirs
                    if isinstance(part, dict) and isinstance(part.get("properties"), dict):
                        part["properties"].pop(name, None)
        # the engine applies the schema's own ``required`` to the properties of its inline parts
        inline = set(schema.get("properties") or ())
        for part in schema["allOf"]:
            if isinstance(part, dict) and "$ref" not in part:
                inline |= set(part.get("properties") or ())
        required -= {r for r in schema.get("required") or () if isinstance(r, str) and r in inline}
        names = sorted(n for n in required if n in defined and not defined[n][1])
        if not props:
            del out["properties"]
        if not names:
            return
        props = out.setdefault("properties", {})
        for name in names:
            if name not in props:
                props[name] = self._child(defined[name][0], f"{owner} {name}", f"{pointer}/allOf")
        out["required"] = sorted({*(out.get("required") or []), *names})

    def _gather_parts(
        self,
        schema: Any,
        required: set[str],
        defined: dict[str, tuple[Any, bool]],
        definitions: dict[str, list[Any]],
        seen: set[int],
    ) -> None:
        target = self.deref(schema)
        if not isinstance(target, dict) or id(target) in seen:
            return
        seen.add(id(target))
        own_required = {r for r in target.get("required") or () if isinstance(r, str)}
        required |= own_required
        for name, sub in (target.get("properties") or {}).items():
            if name not in defined:  # the first part's definition is the one the class inherits
                defined[name] = (sub, name in own_required)
            definitions.setdefault(name, []).append(sub)
        for part in target.get("allOf") or ():
            self._gather_parts(part, required, defined, definitions, seen)

    def _typed_enum(self, values: list[Any], declared: Any, nullable: bool, at: str) -> list[Any]:
        """An enum value of another type than the schema's can never be valid (both keywords
        apply): it is left out, with a warning."""
        types = set(declared) if isinstance(declared, list) else {declared}
        if nullable:
            types.add("null")
        kept = [v for v in values if json_type_in(v, types)]
        if not kept:
            return copy.deepcopy(values)  # nothing would be valid: keep the spec's word for it
        for value in values:
            if not json_type_in(value, types):
                self.problems.append(
                    Problem.at(
                        "schema.enum",
                        f"enum value {json.dumps(value)} is not of type {'/'.join(sorted(map(str, types)))}: "
                        "no value can match it, so it is left out",
                        at,
                        warning=True,
                    )
                )
        return kept

    def _format_ref(self, schema: dict[str, Any]) -> dict[str, Any] | None:
        """A primitive with a format the engine has no type for, and nothing else to check,
        becomes a reference the engine replaces by our alias type (``type_overrides``), so the
        format survives in lists and maps too."""
        fmt, kind = schema.get("format"), schema.get("type")
        if not isinstance(fmt, str) or not isinstance(kind, str) or self._engine_format(schema, fmt):
            return None
        if set(schema) - ANNOTATIONS - {"type", "format"} or schema.get("nullable") is True:
            return None
        alias = self.formats.alias(kind, fmt)
        if alias is None:
            return None
        component = f"CodegenFormat{alias.name}"
        self.model_view.setdefault(component, {"type": kind, "format": fmt})
        self.type_overrides[component] = alias.name
        ref = {"$ref": COMPONENT_PREFIX + component}
        notes = {
            k: copy.deepcopy(v)
            for k, v in schema.items()
            if k in ("description", "readOnly", "writeOnly", "deprecated")
        }
        return {"allOf": [ref], **notes} if notes else ref

    def _engine_format(self, schema: dict[str, Any], fmt: str) -> bool:
        kind = schema.get("type")
        kinds = [k for k in kind if k != "null"] if isinstance(kind, list) else [kind]
        return len(kinds) == 1 and isinstance(kinds[0], str) and self.formats.engine_knows(kinds[0], fmt)

    def _child(self, sub: Any, hint: str, pointer: str) -> Any:
        if is_object_like(sub):
            return {"$ref": COMPONENT_PREFIX + self.hoist(sub, hint, pointer)}
        return self._transform(sub, class_name(hint), pointer, top=False)

    def _branch_hint(self, parent: dict[str, Any], branch: Any, owner: str, index: int) -> str:
        if isinstance(branch, dict):
            title = branch.get("title")
            if isinstance(title, str) and class_name(title) != "Model":
                # a title another schema already named a class after: say whose it is instead
                return title if self.names.free(class_name(title)) else f"{owner} {title}"
            disc = parent.get("discriminator")
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            props = branch.get("properties")
            if isinstance(prop, str) and isinstance(props, dict) and isinstance(props.get(prop), dict):
                values = props[prop].get("enum") or ([props[prop]["const"]] if "const" in props[prop] else [])
                if len(values) == 1 and isinstance(values[0], str):
                    return f"{owner} {values[0]}"
        return f"{owner} Option {index + 1}"

    def deref_ref(self, target: str) -> Any:
        return self.resolve(target if target.startswith("#") else COMPONENT_PREFIX + escape_pointer(target))

    def tagged_branches(self, schema: dict[str, Any]) -> list[str] | None:
        """For a ``oneOf``/``anyOf`` of components with a discriminator mapping: one class per
        branch that fixes its tag to its mapping values (a subclass of the component), so
        Pydantic can discriminate without changing the component where it is used alone."""
        disc = schema.get("discriminator")
        branches = schema.get("oneOf", schema.get("anyOf"))
        if (
            not isinstance(disc, dict)
            or not isinstance(disc.get("propertyName"), str)
            or not isinstance(branches, list)
        ):
            return None
        mapping = disc.get("mapping")
        if not isinstance(mapping, dict) or not branches:
            return None
        if not all(isinstance(b, dict) and set(b) == {"$ref"} and is_object_like(self.deref(b)) for b in branches):
            return None
        values: dict[int, list[str]] = {}
        for tag, target in mapping.items():
            if isinstance(target, str):
                values.setdefault(id(self.deref_ref(target)), []).append(str(tag))
        prop = disc["propertyName"]
        result = []
        for branch in branches:
            target = self.deref(branch)
            tags = values.get(id(target))
            base = self.ref_class(branch["$ref"])
            if not tags or base is None:
                return None
            key = (id(target), tags[0])
            if _fixed_tag(target, prop) == sorted(tags):
                result.append(base)  # the component already says its tag: use it as it is
                continue
            if key not in self._variant_of:
                cls = self.names.claim(class_name(f"{base} {' '.join(tags)}"))
                self.model_view[cls] = {
                    "allOf": [{"$ref": COMPONENT_PREFIX + base}],
                    "type": "object",
                    "properties": {prop: {"type": "string", "enum": sorted(tags), "x-enum-field-as-literal": True}},
                    "required": [prop],
                }
                self.origins[cls] = branch["$ref"][1:]
                for tag in tags:
                    self._variant_of[(id(target), tag)] = cls
            result.append(self._variant_of[key])
        return result

    def _resolvable_mapping(self, value: dict[str, Any], at: str) -> dict[str, Any]:
        """The discriminator without the mapping values that name no schema of the document
        (valid OpenAPI, the validator does not follow them): a warning each; no branch."""
        mapping = value.get("mapping")
        if not isinstance(mapping, dict):
            return value
        kept = {}
        for tag, target in mapping.items():
            if isinstance(target, str) and not isinstance(self.deref_ref(target), (dict, bool)):
                self.problems.append(
                    Problem.at(
                        "schema.mapping",
                        f"discriminator mapping {tag!r}: {target!r} does not resolve to a schema; "
                        "the union has no branch for it",
                        f"{at}/mapping/{escape_pointer(str(tag))}",
                        warning=True,
                    )
                )
            else:
                kept[tag] = target
        return value if len(kept) == len(mapping) else {**value, "mapping": kept}

    def _discriminator(self, value: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(value)
        mapping = out.get("mapping")
        if isinstance(mapping, dict):
            for tag, target in mapping.items():
                if isinstance(target, str) and target.startswith("#"):
                    cls = self.ref_class(target)
                    if cls is not None:
                        mapping[tag] = COMPONENT_PREFIX + cls
                elif isinstance(target, str) and target in self.class_names:
                    mapping[tag] = COMPONENT_PREFIX + self.class_names[target]
        return out

    def iter_classes(self) -> Iterator[tuple[str, str]]:
        """(class name, pointer of the spec schema it was made from)."""
        yield from sorted(self.origins.items())
