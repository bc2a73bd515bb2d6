"""The document the model engine receives: every class's schema, with the class names decided.

The model engine (datamodel-code-generator) names inline schemas after their property alone and
numbers the collisions (GitHub's API: 2,074 ``Action1``...``Action259``). Here every schema
that becomes a class is a named component of the model view (names from the plan): component
schemas keep their spec names, inline objects are hoisted behind a ``$ref``, discriminated
unions get one variant class per member. Hoisting an inline schema behind a ``$ref`` changes
nothing a validator could notice.

:class:`ModelView` is read-only over the document; names come from its namer. The naming pass
runs it with a recorder (to find the classes), every other pass with the frozen plan.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from codegen.build.formats import Formats, engine_knows
from codegen.build.names import Namer, escape_ref
from codegen.build.schema import (
    ANNOTATIONS,
    COMPONENT_PREFIX,
    deref,
    distribute_branches,
    fixed_tag,
    hint_for,
    is_discriminated_base,
    is_enum,
    is_object_like,
    merged_primitive,
    resolve,
    says_nullable,
)
from codegen.jsontypes import json_type_in
from codegen.naming import class_name
from codegen.problems import Problem, escape_pointer, split_pointer
from codegen.regex import regex_engine

__all__ = ["ModelView", "Out"]


_LIFTED = ANNOTATIONS - {"nullable"}  # nullable in one part does not make the whole nullable


def _annotation_only(part: Any) -> bool:
    return isinstance(part, dict) and bool(part) and all(k in _LIFTED for k in part)


class ModelView:
    """Schemas of one document as the model engine must see them."""

    def __init__(self, document: dict[str, Any], namer: Namer, formats: Formats) -> None:
        self.document = document
        self.namer = namer
        self.formats = formats
        components = document.get("components", {})
        raw = components.get("schemas", {}) if isinstance(components, dict) else {}
        self.components: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self._subtypes: dict[str, list[tuple[str, str]]] | None = None
        # OpenAPI 3.0: a Reference Object's other keys SHALL be ignored (3.1: they apply)
        self.v30 = str(document.get("openapi", "")).startswith("3.0")

    def ref_siblings(self, schema: dict[str, Any]) -> dict[str, Any]:
        """``schema`` (holding a ``$ref``) as 3.0 reads it: the reference alone, with its
        description and extensions (documentation, no meaning)."""
        if not self.v30:
            return schema
        return {k: v for k, v in schema.items() if k in ("$ref", "description") or k.startswith("x-")}

    # -- the whole view

    def build(
        self, classes: dict[str, str], schemas: dict[str, Any], variants: list[Any]
    ) -> tuple[dict[str, Any], dict[str, str], list[Problem]]:
        """(the engine's components, type overrides, problems) for ``classes`` (pointer -> class;
        ``schemas`` holds those not in the document as they are, like branches written out
        whole) and the plan's variants."""
        out = Out()
        for pointer, cls in sorted(classes.items(), key=lambda kv: kv[1]):
            # the node at the pointer itself (a component that is only a $ref stays one: the
            # naming pass met it so, and what its target holds is named under the target)
            found = resolve(self.document, "#" + escape_ref(pointer)) if pointer not in schemas else None
            schema = schemas[pointer] if pointer in schemas else (found[0] if found is not None else {})
            view = self.transform(schema, cls, pointer, out, top=True)
            component = self._component_name(pointer)
            tag = self._tag_of(component) if component is not None else None
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
            out.view[cls] = view
        for variant in variants:
            out.view[variant.name] = {
                "allOf": [{"$ref": COMPONENT_PREFIX + variant.base}],
                "type": "object",
                "properties": {
                    variant.prop: {"type": "string", "enum": sorted(variant.tags), "x-enum-field-as-literal": True}
                },
                "required": [variant.prop],
            }
        return {cls: out.view[cls] for cls in sorted(out.view)}, dict(sorted(out.overrides.items())), out.problems

    def walk_components(self) -> None:
        """Meet every component schema (the naming pass: what they hold gets named)."""
        out = Out()
        for name in sorted(self.components):
            pointer = f"/components/schemas/{escape_pointer(name)}"
            self.transform(self.components[name], self.namer.components[name], pointer, out, top=True)

    def _component_name(self, pointer: str) -> str | None:
        parts = split_pointer(pointer)
        if len(parts) == 3 and parts[:2] == ["components", "schemas"] and parts[2] in self.components:
            return parts[2]
        return None

    # -- references

    def ref_class(self, ref: str) -> str | None:
        """The class a ``$ref`` names, hoisting refs that point outside ``components``."""
        if ref.startswith(COMPONENT_PREFIX):
            name = "/".join(split_pointer("/" + ref[len(COMPONENT_PREFIX) :]))
            if name in self.namer.components:
                return self.namer.components[name]
        found = resolve(self.document, ref)
        if found is None or not isinstance(found[0], dict):
            return None
        return self.namer.hoist(found[1], hint_for(found[1]), found[0])

    def deref(self, schema: Any) -> Any:
        return deref(self.document, schema)[0]

    def locate(self, schema: Any, pointer: str) -> tuple[Any, str]:
        """The schema a (possibly ``$ref``) schema stands for, and where it is."""
        return deref(self.document, schema, pointer)

    def subtypes(self, pointer: str) -> list[str]:
        """Class names of the components that extend the discriminated schema at ``pointer``
        through ``allOf``: where the spec names the base, the value may be any of them."""
        schema = resolve(self.document, "#" + pointer)
        if schema is None or not is_discriminated_base(schema[0]):
            return []
        return [self.namer.components[name] for name, _ in self._subtype_index().get(pointer, [])]

    def _subtype_index(self) -> dict[str, list[tuple[str, str]]]:
        """pointer of a base schema -> [(subtype component name, its tag value)]."""
        if self._subtypes is None:
            index: dict[str, list[tuple[str, str]]] = {}
            for name in sorted(self.components):
                parts = self.components[name].get("allOf") if isinstance(self.components[name], dict) else None
                for part in parts if isinstance(parts, list) else ():
                    if isinstance(part, dict) and isinstance(part.get("$ref"), str):
                        found = resolve(self.document, part["$ref"])
                        if found is not None and is_discriminated_base(found[0]):
                            mapping = found[0]["discriminator"].get("mapping")
                            tag = name
                            if isinstance(mapping, dict):
                                own = COMPONENT_PREFIX + escape_pointer(name)
                                tag = next((k for k, v in mapping.items() if v in (own, name)), name)
                            index.setdefault(found[1], []).append((name, tag))
            self._subtypes = index
        return self._subtypes

    def _tag_of(self, name: str) -> tuple[str, list[str]] | None:
        """(discriminator property, values) a component is told apart by in some union."""
        tags: dict[str, tuple[str, set[str]]] = {}
        for base_pointer, subs in self._subtype_index().items():
            base = self._component_name(base_pointer)
            if base is not None:
                prop = str(self.components[base]["discriminator"]["propertyName"])
                for sub, tag in subs:
                    if sub == name:
                        tags.setdefault(sub, (prop, set()))[1].add(tag)
        if name not in tags:
            return None
        prop, values = tags[name]
        return prop, sorted(values)

    def target_of(self, mapping_target: str) -> tuple[Any, str] | None:
        """What a discriminator mapping value names (a ``$ref`` or a component name)."""
        ref = mapping_target if mapping_target.startswith("#") else COMPONENT_PREFIX + escape_pointer(mapping_target)
        return resolve(self.document, ref)

    # -- one schema

    def transform(self, schema: Any, owner: str, pointer: str, out: Out, *, top: bool, part: bool = False) -> Any:
        """A copy of ``schema`` with refs renamed, inline objects hoisted, inline enums literal."""
        if not isinstance(schema, dict):
            return copy.deepcopy(schema)
        if isinstance(schema.get("$ref"), str) and self.v30:
            ignored = sorted(k for k in schema if k not in ("$ref", "description") and not k.startswith("x-"))
            if ignored:
                out.problems.append(
                    Problem.at(
                        "schema.ref-siblings",
                        f"{', '.join(ignored)} beside $ref: OpenAPI 3.0 ignores them (wrap the reference in "
                        "allOf, or use 3.1, for them to apply)",
                        pointer,
                        warning=True,
                    )
                )
                schema = self.ref_siblings(schema)
        schema = distribute_branches(schema) or schema
        if not top:
            formatted = self._format_ref(schema, out)
            if formatted is not None:
                return formatted
        result: dict[str, Any] = {}
        for key, value in schema.items():
            if key.startswith("x-"):
                continue  # the spec's extensions mean nothing to the engine; ours follow below
            at = f"{pointer}/{escape_pointer(key)}"
            if key == "$ref" and isinstance(value, str):
                cls = self.ref_class(value)
                result[key] = COMPONENT_PREFIX + cls if cls is not None else value
                if cls is not None and says_nullable(self.deref(schema)) and not top and not part:
                    # A nullable component: the engine drops nullability of a whole class, so
                    # say it where the class is used (not in an allOf: all parts must allow null).
                    return {"anyOf": [{"$ref": result[key]}, {"type": "null"}]}
            elif key in ("properties", "patternProperties") and isinstance(value, dict):
                result[key] = {
                    prop: self.child(sub, f"{owner} {prop}", f"{at}/{escape_pointer(prop)}", out)
                    for prop, sub in value.items()
                }
            elif key in ("items", "additionalProperties", "not", "contains", "unevaluatedProperties"):
                suffix = {"items": "Item", "additionalProperties": "Value"}.get(key, key)
                result[key] = self.child(value, f"{owner} {suffix}", at, out) if isinstance(value, dict) else value
                if isinstance(value, dict) and value.get("nullable") is True and "$ref" not in value:
                    # the engine honours 3.0's ``nullable`` on properties only: spell it out
                    inner = {k: v for k, v in result[key].items() if k != "nullable"}
                    result[key] = {"anyOf": [inner, {"type": "null"}]}
            elif key in ("oneOf", "anyOf") and isinstance(value, list):
                result[key] = [
                    self.child(sub, self._branch_hint(schema, sub, owner, i), f"{at}/{i}", out)
                    for i, sub in enumerate(value)
                ]
            elif key == "allOf" and isinstance(value, list):
                # inline parts merge into the owner; only their nested schemas are hoisted. A
                # part that only annotates ({readOnly: true} beside a $ref: asana.com, lightsail)
                # says it of the owner: the engine drops such parts, so it is said there.
                kept = []
                lift = not all(_annotation_only(sub) for sub in value)
                for i, sub in enumerate(value):
                    if lift and _annotation_only(sub):
                        for name, note in sub.items():
                            if name not in schema:
                                result.setdefault(name, copy.deepcopy(note))
                        continue
                    if lift and isinstance(sub, dict) and "$ref" not in sub:
                        for name in ("readOnly", "writeOnly", "deprecated"):  # the whole value's
                            if name in sub and name not in schema:
                                result.setdefault(name, sub[name])
                    kept.append(self.transform(sub, owner, f"{at}/{i}", out, top=False, part=True))
                result[key] = kept
            elif key == "discriminator" and isinstance(value, dict):
                disc = self._resolvable_mapping(value, at, out)
                result[key] = self._discriminator(disc)
                tagged = self.tagged_branches(schema, pointer)
                if tagged is not None:
                    branch_key = "oneOf" if "oneOf" in schema else "anyOf"
                    result[branch_key] = [{"$ref": COMPONENT_PREFIX + cls} for cls in tagged]
                    result[key]["mapping"] = self._tagged_mapping(disc, result[key]["mapping"])
            elif key == "format" and isinstance(value, str) and not self._engine_format(schema, value):
                # a format the model engine has no type for stays an annotation on the field
                result["x-format"] = value
            elif key == "pattern" and isinstance(value, str) and regex_engine(value) is None:
                out.problems.append(
                    Problem.at(
                        "schema.pattern",
                        f"pattern {value!r} is not a regular expression Python can run; it is not enforced",
                        at,
                        warning=True,
                    )
                )
            elif key == "enum" and isinstance(value, list) and schema.get("type") is not None:
                result[key] = self._typed_enum(value, schema["type"], schema.get("nullable") is True, at, out)
            else:
                result[key] = copy.deepcopy(value)
        if isinstance(schema.get("allOf"), list):
            self._require_across_parts(schema, result, owner, pointer, out)
        self._declare_required_keys(schema, result, owner, pointer, out)
        if not top and is_enum(schema):
            result["x-enum-field-as-literal"] = True
        if top:
            # the engine keeps readOnly/writeOnly of fields, not of whole classes: carry them as
            # extensions it copies into the class's JSON schema (see render.models)
            for key in ("readOnly", "writeOnly"):
                if schema.get(key) is True or result.get(key) is True:
                    result[f"x-{key}"] = True
        return result

    def child(self, sub: Any, hint: str, pointer: str, out: Out) -> Any:
        if is_object_like(sub):
            return {"$ref": COMPONENT_PREFIX + self.namer.hoist(pointer, hint, sub)}
        return self.transform(sub, class_name(hint), pointer, out, top=False)

    def _declare_required_keys(
        self, schema: dict[str, Any], result: dict[str, Any], owner: str, pointer: str, out: Out
    ) -> None:
        """A key ``required`` lists is required even where no part declares it (JSON Schema),
        of the schema ``additionalProperties`` gives (any, when absent): declared as a field of
        that schema, since the engine drops requirements of keys it has no property for."""
        required = [r for r in schema.get("required") or () if isinstance(r, str)]
        if not required or not ("properties" in schema or schema.get("type") == "object" or "allOf" in schema):
            return
        declared = set(result.get("properties") or ())
        for part in schema.get("allOf") or ():
            target = self.deref(part)
            if isinstance(target, dict):
                declared |= set(target.get("properties") or ())
                declared |= set(self._all_properties(target))
        extra = schema.get("additionalProperties")
        if extra is False or schema.get("patternProperties"):
            return  # the key cannot be there, or a pattern decides its schema: left as it is
        missing = [name for name in required if name not in declared]
        if not missing:
            return
        props = result.setdefault("properties", {})
        for name in missing:
            at = f"{pointer}/additionalProperties"
            props[name] = self.child(extra, f"{owner} {name}", at, out) if isinstance(extra, dict) else {}
        result["required"] = sorted({*(result.get("required") or []), *missing})

    def _all_properties(self, schema: dict[str, Any], depth: int = 0) -> set[str]:
        """The properties a schema declares, through its allOf parts."""
        names = set(schema.get("properties") or ())
        if depth < 32:
            for part in schema.get("allOf") or ():
                target = self.deref(part)
                if isinstance(target, dict):
                    names |= self._all_properties(target, depth + 1)
        return names

    def _require_across_parts(
        self, schema: dict[str, Any], result: dict[str, Any], owner: str, pointer: str, out: Out
    ) -> None:
        """``allOf`` parts hold together: a property one part requires and another defines is
        required (the engine keeps ``required`` only beside the property's own definition)."""
        required: set[str] = set()
        defined: dict[str, tuple[Any, bool, str]] = {}  # name -> (schema, required where defined, pointer)
        definitions: dict[str, list[Any]] = {}  # name -> every part's schema for it
        self._gather_parts(schema, pointer, required, defined, definitions, set())
        props = result.setdefault("properties", {})
        for name, schemas in definitions.items():
            merged = merged_primitive(schemas) if len(schemas) > 1 and name not in props else None
            if merged is not None:
                # two parts define the property: a value must satisfy both (the engine takes one)
                props[name] = self.transform(merged, class_name(f"{owner} {name}"), f"{pointer}/allOf", out, top=False)
                for part in result.get("allOf") or ():  # inline parts would still give theirs
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
            del result["properties"]
        if not names:
            return
        props = result.setdefault("properties", {})
        for name in names:
            if name not in props:
                sub, _, at = defined[name]
                props[name] = self.child(sub, f"{owner} {name}", at, out)
        result["required"] = sorted({*(result.get("required") or []), *names})

    def _gather_parts(
        self,
        schema: Any,
        pointer: str,
        required: set[str],
        defined: dict[str, tuple[Any, bool, str]],
        definitions: dict[str, list[Any]],
        seen: set[str],
    ) -> None:
        target, at = self.locate(schema, pointer)
        if not isinstance(target, dict) or at in seen:
            return
        seen.add(at)
        own_required = {r for r in target.get("required") or () if isinstance(r, str)}
        required |= own_required
        for name, sub in (target.get("properties") or {}).items():
            if name not in defined:  # the first part's definition is the one the class inherits
                defined[name] = (sub, name in own_required, f"{at}/properties/{escape_pointer(name)}")
            definitions.setdefault(name, []).append(sub)
        for i, part in enumerate(target.get("allOf") or ()):
            self._gather_parts(part, f"{at}/allOf/{i}", required, defined, definitions, seen)

    def _typed_enum(self, values: list[Any], declared: Any, nullable: bool, at: str, out: Out) -> list[Any]:
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
                out.problems.append(
                    Problem.at(
                        "schema.enum",
                        f"enum value {json.dumps(value)} is not of type {'/'.join(sorted(map(str, types)))}: "
                        "no value can match it, so it is left out",
                        at,
                        warning=True,
                    )
                )
        return kept

    def _format_ref(self, schema: dict[str, Any], out: Out) -> dict[str, Any] | None:
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
        out.view.setdefault(component, {"type": kind, "format": fmt})
        out.overrides[component] = alias.name
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
        return len(kinds) == 1 and isinstance(kinds[0], str) and engine_knows(kinds[0], fmt)

    def _branch_hint(self, parent: dict[str, Any], branch: Any, owner: str, index: int) -> str:
        if isinstance(branch, dict):
            title = branch.get("title")
            if isinstance(title, str) and class_name(title) != "Model":
                # a title another schema already named a class after: say whose it is instead
                return title if self.namer.free(class_name(title)) else f"{owner} {title}"
            disc = parent.get("discriminator")
            prop = disc.get("propertyName") if isinstance(disc, dict) else None
            props = branch.get("properties")
            if isinstance(prop, str) and isinstance(props, dict) and isinstance(props.get(prop), dict):
                values = props[prop].get("enum") or ([props[prop]["const"]] if "const" in props[prop] else [])
                if len(values) == 1 and isinstance(values[0], str):
                    return f"{owner} {values[0]}"
        return f"{owner} Option {index + 1}"

    # -- discriminated unions

    def tagged_branches(self, schema: dict[str, Any], pointer: str) -> list[str] | None:
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
        values: dict[str, list[str]] = {}
        for tag, target in mapping.items():
            found = self.target_of(target) if isinstance(target, str) else None
            if found is not None:
                values.setdefault(found[1], []).append(str(tag))
        prop = disc["propertyName"]
        result = []
        for branch in branches:
            target, at = self.locate(branch, pointer)
            tags = values.get(at)
            base = self.ref_class(branch["$ref"])
            if not tags or base is None:
                return None
            if fixed_tag(target, prop) == sorted(tags):
                result.append(base)  # the component already says its tag: use it as it is
                continue
            result.append(self.namer.variant(at, base, prop, tuple(tags)))
        return result

    def _tagged_mapping(self, disc: dict[str, Any], renamed: dict[str, str]) -> dict[str, str]:
        """The discriminator's mapping, pointing at the variants that fix each tag."""
        mapping: dict[str, str] = {}
        for tag, target in disc["mapping"].items():
            found = self.target_of(target) if isinstance(target, str) else None
            variant = self.namer.variant_for(found[1], str(tag)) if found is not None else None
            mapping[tag] = COMPONENT_PREFIX + variant if variant is not None else renamed[tag]
        return mapping

    def _resolvable_mapping(self, value: dict[str, Any], at: str, out: Out) -> dict[str, Any]:
        """The discriminator without the mapping values that name no schema of the document
        (valid OpenAPI, the validator does not follow them): a warning each; no branch."""
        mapping = value.get("mapping")
        if not isinstance(mapping, dict):
            return value
        kept = {}
        for tag, target in mapping.items():
            found = self.target_of(target) if isinstance(target, str) else None
            if isinstance(target, str) and (found is None or not isinstance(found[0], (dict, bool))):
                out.problems.append(
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
        result = copy.deepcopy(value)
        mapping = result.get("mapping")
        if isinstance(mapping, dict):
            for tag, target in mapping.items():
                if isinstance(target, str) and target.startswith("#"):
                    cls = self.ref_class(target)
                    if cls is not None:
                        mapping[tag] = COMPONENT_PREFIX + cls
                elif isinstance(target, str) and target in self.namer.components:
                    mapping[tag] = COMPONENT_PREFIX + self.namer.components[target]
        return result


class Out:
    """What transforming schemas produces besides their copies: engine components made on the
    way (format overrides), the overrides themselves, and problems."""

    __slots__ = ("overrides", "problems", "view")

    def __init__(self) -> None:
        self.view: dict[str, Any] = {}
        self.overrides: dict[str, str] = {}
        self.problems: list[Problem] = []
