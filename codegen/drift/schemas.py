"""Two normalized schemas in, their differences out, keyword by keyword.

Default-deny: every keyword of either schema is compared. The ones this module knows are
compared for what they mean (a tighter bound is *narrower*, a dropped enum value too, a
property that stops being required is *wider*); any other keyword is compared as JSON and a
difference is ``schema.keyword``. Each difference is a :class:`Diff` relative to the pair: the
caller adds where the pair is and grades it for its direction (:func:`findings.grade`).

The direction is ``request`` or ``response``, with ``:xml`` under an XML media type (the only
place the ``xml`` keyword means anything). Comparisons are memoized by the pair of schemas and
the direction; a pair met again while it is
being compared (recursion) is taken as equal, which is what makes recursive schemas finish.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from codegen.drift.findings import Change
from codegen.drift.normalize import ANY, NUMERIC, Cycle, Discriminator, Normalizer, Schema

__all__ = ["AS_JSON", "COMPARED", "Diff", "Result", "SchemaComparer"]

N, W, D, DOC = Change.NARROWER, Change.WIDER, Change.DIFFERENT, Change.DOC


@dataclass(frozen=True, slots=True)
class Diff:
    rule: str
    change: Change
    message: str
    path: tuple[str, ...]  # steps below the compared pair: property names, "[]", "{*}", …
    base: str  # JSON pointers, in each document
    revision: str
    graded: Change | None = None  # the change to grade, where it is not the change of values


@dataclass(frozen=True, slots=True)
class Result:
    """The differences of one pair: its own, and its parts' under the step that leads there
    (a tree, shared where pairs repeat: flattened only when reported)."""

    own: tuple[Diff, ...]
    parts: tuple[tuple[str, Result], ...]
    changes: frozenset[Change]  # of everything below, for relation()
    size: int  # how many differences in all

    def flat(self, prefix: tuple[str, ...] = ()) -> list[Diff]:
        """Every difference once, under the shortest path that leads to it: the tree is a
        graph where schemas recur (recursive groups), and its paths grow exponentially."""
        out: list[Diff] = []
        seen: set[int] = set()
        queue: deque[tuple[tuple[str, ...], Result]] = deque([(prefix, self)])
        while queue:
            path, node = queue.popleft()
            if id(node) in seen:
                continue
            seen.add(id(node))
            out.extend(
                Diff(d.rule, d.change, d.message, path + d.path, d.base, d.revision, d.graded) if path else d
                for d in node.own
            )
            queue.extend(((*path, step), part) for step, part in node.parts if part.size)
        return out


EMPTY = Result((), (), frozenset(), 0)

_LENGTH_RULES = {
    "minLength": "schema.min-length", "maxLength": "schema.max-length", "minItems": "schema.min-items",
    "maxItems": "schema.max-items", "minProperties": "schema.min-properties",
    "maxProperties": "schema.max-properties", "minContains": "schema.contains", "maxContains": "schema.contains",
}  # fmt: skip
_FAMILY = {
    **dict.fromkeys(("minimum", "maximum", "multipleOf"), "number"),
    **dict.fromkeys(("minLength", "maxLength", "pattern", "format"), "string"),
    **dict.fromkeys(("minItems", "maxItems", "uniqueItems", "minContains", "maxContains", "contains"), "array"),
    **dict.fromkeys(("minProperties", "maxProperties"), "object"),
}
# Every keyword compared for its meaning; the keyword-coverage test reads this.
COMPARED = frozenset(
    {"type", "enum", "minimum", "maximum", "multipleOf", "pattern", "format", "uniqueItems",
     "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
     "dependentRequired", "dependentSchemas", "unevaluatedProperties", "unevaluatedItems",
     "items", "prefixItems", "contains", "anyOf", "oneOf", "allOf", "not", "if", "then", "else",
     "contentMediaType", "contentEncoding", "contentSchema", "readOnly", "writeOnly", "deprecated",
     "default", "discriminator", "xml"} | NUMERIC
)  # fmt: skip
# Keywords compared as JSON values only (as any keyword no rule knows: ``schema.keyword``).
AS_JSON = frozenset({"$dynamicRef"})
_INT_FORMATS = {"int32": 0, "int64": 1}


def _kw(schema: Schema) -> dict[str, Any]:
    try:
        return schema.kw
    except Cycle:
        return {}


def _admits(types: frozenset[str] | None, family: str) -> bool:
    if types is None:
        return True
    if family == "number":
        return bool(types & {"number", "integer"})
    return family in types


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return f"{value[0]}{' (exclusive)' if value[1] else ''}"
    if isinstance(value, frozenset):
        return ", ".join(sorted(map(str, value)))
    return str(value)


class SchemaComparer:
    """Compares schemas of the base (normalized by ``base``) with the revision's."""

    def __init__(self, base: Normalizer, revision: Normalizer) -> None:
        self.base = base
        self.revision = revision
        self._memo: dict[tuple[Schema, Schema, str], Result] = {}  # Schema hashes by identity
        self._active: set[tuple[Schema, Schema, str]] = set()

    # -- entry points

    def diff(self, a: Schema, b: Schema, direction: str) -> Result:
        key = (a, b, direction)
        found = self._memo.get(key)
        if found is not None:
            return found
        if key in self._active:
            return EMPTY  # met again while comparing it: equal unless shown otherwise
        self._active.add(key)
        try:
            result = self._compare(a, b, direction)
        finally:
            self._active.discard(key)
        self._memo[key] = result
        return result

    def relation(self, a: Schema, b: Schema, direction: str) -> Change | None:
        """What the revision ``b`` is to the base ``a`` as a set of values: None if equal."""
        changes = self.diff(a, b, direction).changes & {N, W, D}
        if not changes:
            return None
        if changes == {W}:
            return W
        if changes == {N}:
            return N
        return D

    # -- one pair

    def _compare(self, a: Schema, b: Schema, d: str) -> Result:
        ka, kb = _kw(a), _kw(b)
        out: list[Diff] = []
        parts: list[tuple[str, Result]] = []

        def add(
            rule: str, change: Change, message: str, path: tuple[str, ...] = (), graded: Change | None = None
        ) -> None:
            out.append(Diff(rule, change, message, path, a.pointer, b.pointer, graded))

        def nested(result: Result, step: str) -> None:
            if result.size:
                parts.append((step, result))

        self._keywords(a, b, ka, kb, d, add, nested)
        changes = frozenset({x.change for x in out}).union(*(r.changes for _, r in parts))
        return Result(tuple(out), tuple(parts), changes, len(out) + sum(r.size for _, r in parts))

    def _keywords(self, a: Schema, b: Schema, ka: dict[str, Any], kb: dict[str, Any], d: str,
                  add: Callable[..., None], nested: Callable[..., None]) -> None:  # fmt: skip
        union_a = "anyOf" in ka or "oneOf" in ka
        union_b = "anyOf" in kb or "oneOf" in kb
        if union_a or union_b:
            self._unions(a, b, ka, kb, d, add, nested)
            if union_a != union_b:
                self._behaviour(ka, kb, add, xml=d.endswith(":xml"))
                return
        self._types(ka, kb, add)
        ta, tb = a.types, b.types
        self._enum(ka, kb, add)
        for key in ("minimum", "maximum"):
            if _admits(ta, "number") and _admits(tb, "number"):
                self._bound(key, ka.get(key), kb.get(key), add)
        for key in sorted(NUMERIC):
            family = _FAMILY[key]
            if _admits(ta, family) and _admits(tb, family):
                self._length(key, ka.get(key), kb.get(key), add)
        both_strings = _admits(ta, "string") and _admits(tb, "string")
        both_numbers = _admits(ta, "number") and _admits(tb, "number")
        if both_strings:
            self._sets("pattern", "schema.pattern", ka.get("pattern"), kb.get("pattern"), add)
        if both_numbers:
            self._multiple_of(ka.get("multipleOf"), kb.get("multipleOf"), add)
        if both_strings or both_numbers:
            self._format(ka.get("format"), kb.get("format"), add)
        if _admits(ta, "array") and _admits(tb, "array"):
            if ka.get("uniqueItems") != kb.get("uniqueItems"):
                add("schema.unique-items", N if kb.get("uniqueItems") else W,
                    f"uniqueItems {bool(ka.get('uniqueItems'))} in the base, {bool(kb.get('uniqueItems'))} in the revision")  # fmt: skip
            self._arrays(ka, kb, d, add, nested)
        if _admits(ta, "object") and _admits(tb, "object"):
            self._objects(ka, kb, d, add, nested)
        self._content(ka, kb, d, add)
        self._behaviour(ka, kb, add, xml=d.endswith(":xml"))
        self._logic(ka, kb, d, add)
        for key in sorted((ka.keys() | kb.keys()) - COMPARED):
            if ka.get(key) != kb.get(key):  # default-deny: a keyword no rule knows
                # (one JSON Schema does not define constrains nothing, but the documents differ)
                change = D if key in AS_JSON else DOC
                add(
                    "schema.keyword",
                    change,
                    f"{key} {ka.get(key, 'none')} in the base, {kb.get(key, 'none')} in the revision",
                )

    # -- scalars

    def _types(self, ka: dict[str, Any], kb: dict[str, Any], add: Callable[..., None]) -> None:
        ta, tb = ka.get("type"), kb.get("type")
        if ta == tb:
            return
        ra = None if ta is None else ta - {"null"}
        rb = None if tb is None else tb - {"null"}
        if ta is not None and tb is not None:
            null_a, null_b = "null" in ta, "null" in tb
            if null_a != null_b:
                add("schema.nullable", W if null_b else N,
                    "null is allowed in the revision, not in the base" if null_b
                    else "null is allowed in the base, not in the revision")  # fmt: skip
            if ra == rb:
                return
        else:
            ra, rb = ta, tb  # one side takes any type: compare the whole sets
        change = _type_relation(ra, rb)
        if change is not None:
            add("schema.type", change, f"type {_types(ta)} in the base, {_types(tb)} in the revision")

    def _enum(self, ka: dict[str, Any], kb: dict[str, Any], add: Callable[..., None]) -> None:
        ea: frozenset[str] | None = ka.get("enum")
        eb: frozenset[str] | None = kb.get("enum")
        if ea == eb:
            return
        if ea is None or eb is None:
            values = eb if ea is None else ea
            assert values is not None
            add("schema.enum", N if ea is None else W,
                f"only {_values(values)} allowed in {'the revision' if ea is None else 'the base'}")  # fmt: skip
            return
        removed, added = ea - eb, eb - ea
        if removed and added:
            add("schema.enum", D, f"values {_values(removed)} only in the base, {_values(added)} only in the revision")
        elif removed:
            add("schema.enum", N, f"values {_values(removed)} of the base are not in the revision")
        else:
            add("schema.enum", W, f"the revision adds values {_values(added)}")

    def _bound(self, key: str, x: Any, y: Any, add: Callable[..., None]) -> None:
        if x == y:
            return
        rule = "schema.minimum" if key == "minimum" else "schema.maximum"
        if x is None or y is None:
            change = W if y is None else N
        else:
            lower = key == "minimum"
            tighter = (y[0], y[1]) > (x[0], x[1]) if lower else (y[0], not y[1]) < (x[0], not x[1])
            change = N if tighter else W
        add(rule, change, f"{key} {_show(x) if x else 'none'} in the base, {_show(y) if y else 'none'} in the revision")

    def _length(self, key: str, x: Any, y: Any, add: Callable[..., None]) -> None:
        if x == y:
            return
        if x is None or y is None:
            change = W if y is None else N
        else:
            change = (N if y > x else W) if key.startswith("min") else (N if y < x else W)
        none = "none"
        add(_LENGTH_RULES[key], change,
            f"{key} {x if x is not None else none} in the base, {y if y is not None else none} in the revision")  # fmt: skip

    def _sets(self, key: str, rule: str, x: Any, y: Any, add: Callable[..., None]) -> None:
        """Keywords that all apply (patterns): more of them is narrower."""
        x, y = x or frozenset(), y or frozenset()
        if x == y:
            return
        change = N if y > x else W if y < x else D
        add(rule, change, f"{key} {_show(x) or 'none'} in the base, {_show(y) or 'none'} in the revision")

    def _multiple_of(self, x: Any, y: Any, add: Callable[..., None]) -> None:
        x, y = x or frozenset(), y or frozenset()
        if x == y:
            return
        if not x or not y:
            change = N if y else W
        elif all(any(_divides(xi, yi) for yi in y) for xi in x):
            change = N  # every base factor divides a revision one: multiples of those are multiples of these
        elif all(any(_divides(yi, xi) for xi in x) for yi in y):
            change = W
        else:
            change = D
        add(
            "schema.multiple-of",
            change,
            f"multipleOf {_show(x) or 'none'} in the base, {_show(y) or 'none'} in the revision",
        )

    def _format(self, x: Any, y: Any, add: Callable[..., None]) -> None:
        if x == y:
            return
        if x is None or y is None:
            change = W if y is None else N
        elif x in _INT_FORMATS and y in _INT_FORMATS:
            change = W if _INT_FORMATS[y] > _INT_FORMATS[x] else N
        else:
            change = D
        add("schema.format", change, f"format {x or 'none'} in the base, {y or 'none'} in the revision")

    def _content(self, ka: dict[str, Any], kb: dict[str, Any], d: str, add: Callable[..., None]) -> None:
        for key in ("contentMediaType", "contentEncoding"):
            x, y = ka.get(key), kb.get(key)
            if x != y:
                add("schema.content", D, f"{key} {x or 'none'} in the base, {y or 'none'} in the revision")
        x, y = ka.get("contentSchema"), kb.get("contentSchema")
        if x is not None or y is not None:
            change = self.relation(x or ANY, y or ANY, d)
            if change is not None:
                add("schema.content", change, "contentSchema differs")

    def _behaviour(self, ka: dict[str, Any], kb: dict[str, Any], add: Callable[..., None], *, xml: bool) -> None:
        for key, rule in (("readOnly", "schema.read-only"), ("writeOnly", "schema.write-only"),
                          ("deprecated", "schema.deprecated")):  # fmt: skip
            if bool(ka.get(key)) != bool(kb.get(key)):
                add(rule, DOC, f"{key} {bool(ka.get(key))} in the base, {bool(kb.get(key))} in the revision")
        for key, rule in (("default", "schema.default"), ("xml", "schema.xml")):
            if key == "xml" and not xml:
                continue  # equivalence "xml-elsewhere"
            if ka.get(key) != kb.get(key):
                add(rule, DOC, f"{key} {ka.get(key, 'none')} in the base, {kb.get(key, 'none')} in the revision")

    # -- arrays

    def _arrays(self, ka: dict[str, Any], kb: dict[str, Any], d: str, add: Callable[..., None],
                nested: Callable[..., None]) -> None:  # fmt: skip
        pa, pb = ka.get("prefixItems") or [], kb.get("prefixItems") or []
        ia, ib = ka.get("items") or ANY, kb.get("items") or ANY
        for i in range(max(len(pa), len(pb))):
            nested(self.diff(pa[i] if i < len(pa) else ia, pb[i] if i < len(pb) else ib, d), f"[{i}]")
        if "items" in ka or "items" in kb:
            nested(self.diff(ia, ib, d), "[]")
        ca, cb = ka.get("contains"), kb.get("contains")
        if ca is not None or cb is not None:
            if ca is None or cb is None:
                add(
                    "schema.contains",
                    N if ca is None else W,
                    f"contains in the {'revision' if ca is None else 'base'} only",
                )
            else:
                change = self.relation(ca, cb, d)
                if change is not None:
                    add("schema.contains", change, "the schema of contains differs")
        ua, ub = ka.get("unevaluatedItems"), kb.get("unevaluatedItems")
        if ua is not None or ub is not None:
            change = self.relation(ua or ANY, ub or ANY, d)
            if change is not None:
                add("schema.unevaluated", change, "unevaluatedItems differs")

    # -- objects

    def _objects(self, ka: dict[str, Any], kb: dict[str, Any], d: str, add: Callable[..., None],
                 nested: Callable[..., None]) -> None:  # fmt: skip
        props_a, props_b = ka.get("properties") or {}, kb.get("properties") or {}
        for name in sorted(props_a.keys() | props_b.keys()):
            x, y = props_a.get(name), props_b.get(name)
            if x is not None and y is not None:
                nested(self.diff(x, y, d), name)
                continue
            if x is not None:
                change = self.relation(x, _implied(kb, name), d)
                if change is not None:
                    refused = (
                        kb.get("additionalProperties") is not None
                        and _kw(kb["additionalProperties"]).get("type") == frozenset()
                    )
                    add("schema.property-missing", change,
                        f"the revision {'refuses' if refused else 'does not declare'} property {name!r}", (name,))  # fmt: skip
                continue
            assert y is not None
            implied = _implied(ka, name)
            change = self.relation(implied, y, d)
            if change is not None:
                # a request property a client of the base never sent: nothing it sends is refused
                quiet = DOC if d.startswith("request") and change is N and implied is ANY else None
                add("schema.property-added", change, f"the revision declares property {name!r}", (name,), quiet)
        req_a, req_b = _required(ka, d), _required(kb, d)
        for name in sorted(req_a ^ req_b):
            now = name in req_b
            add("schema.required", N if now else W,
                f"property {name!r} is {'required' if now else 'optional'} in the revision", (name,))  # fmt: skip
        xa, xb = ka.get("additionalProperties"), kb.get("additionalProperties")
        if xa is not None and xb is not None:
            nested(self.diff(xa, xb, d), "{*}")
        elif xa is not None or xb is not None:
            change = self.relation(xa or ANY, xb or ANY, d)
            if change is not None:
                add("schema.additional-properties", change,
                    f"additionalProperties {_describe(xa)} in the base, {_describe(xb)} in the revision")  # fmt: skip
        pa, pb = ka.get("patternProperties") or {}, kb.get("patternProperties") or {}
        for pattern in sorted(pa.keys() | pb.keys()):
            change = self.relation(pa.get(pattern, ANY), pb.get(pattern, ANY), d)
            if change is not None:
                add("schema.pattern-properties", change, f"patternProperties {pattern!r} differ")
        for key, rule in (("propertyNames", "schema.property-names"), ("unevaluatedProperties", "schema.unevaluated")):
            x, y = ka.get(key), kb.get(key)
            if x is not None or y is not None:
                change = self.relation(x or ANY, y or ANY, d)
                if change is not None:
                    add(rule, change, f"{key} differs")
        da, db = ka.get("dependentRequired") or {}, kb.get("dependentRequired") or {}
        for name in sorted(da.keys() | db.keys()):
            x_req, y_req = da.get(name, frozenset()), db.get(name, frozenset())
            if x_req != y_req:
                change = N if y_req > x_req else W if y_req < x_req else D
                add("schema.dependent", change, f"dependentRequired {name!r} differs")
        sa, sb = ka.get("dependentSchemas") or {}, kb.get("dependentSchemas") or {}
        for name in sorted(sa.keys() | sb.keys()):
            change = self.relation(sa.get(name, ANY), sb.get(name, ANY), d)
            if change is not None:
                add("schema.dependent", change, f"dependentSchemas {name!r} differs")

    # -- logic

    def _logic(self, ka: dict[str, Any], kb: dict[str, Any], d: str, add: Callable[..., None]) -> None:
        na, nb = ka.get("not"), kb.get("not")
        if na is not None or nb is not None:
            if na is None or nb is None:
                add("schema.not", N if na is None else W, f"not in the {'revision' if na is None else 'base'} only")
            else:
                change = self.relation(na, nb, d)
                if change is not None:
                    add("schema.not", change.flipped(), "the schema under not differs")
        if any(k in ka or k in kb for k in ("if", "then", "else")):
            for key in ("if", "then", "else"):
                if self.relation(ka.get(key) or ANY, kb.get(key) or ANY, d) is not None:
                    add("schema.conditional", D, f"{key} differs")
                    break
        la, lb = list(ka.get("allOf") or []), list(kb.get("allOf") or [])
        for x in list(la):
            match = next((y for y in lb if self.relation(x, y, d) is None), None)
            if match is not None:
                la.remove(x)
                lb.remove(match)
        if la or lb:
            change = D if la and lb else (W if la else N)
            add(
                "schema.all-of",
                change,
                f"allOf parts that do not merge: {len(la)} only in the base, {len(lb)} only in the revision",
            )

    # -- unions

    def _unions(self, a: Schema, b: Schema, ka: dict[str, Any], kb: dict[str, Any], d: str,
                add: Callable[..., None], nested: Callable[..., None]) -> None:  # fmt: skip
        kind_a, left, disc_a = _union(a, ka, split="anyOf" in kb or "oneOf" in kb)
        kind_b, right, disc_b = _union(b, kb, split="anyOf" in ka or "oneOf" in ka)
        exclusive_a = kind_a == "anyOf" or disc_a is not None or _pairwise_disjoint(left)
        exclusive_b = kind_b == "anyOf" or disc_b is not None or _pairwise_disjoint(right)
        if exclusive_a != exclusive_b:  # equivalence "exclusive-union" otherwise
            add("schema.union", W if exclusive_b else N,
                f"{_kind(kind_a, ka)} in the base, {_kind(kind_b, kb)} in the revision: a value matching two "
                f"alternatives is {'accepted' if exclusive_b else 'refused'} by the revision only")  # fmt: skip
        self._discriminators(disc_a, disc_b, add)
        left, right = list(left), list(right)
        pairs: list[tuple[Schema, Schema, str]] = []
        if disc_a and disc_b and disc_a.property == disc_b.property:
            for value in sorted(disc_a.mapping.keys() & disc_b.mapping.keys()):
                x = next((s for s in left if s is disc_a.mapping[value]), None)
                y = next((s for s in right if s is disc_b.mapping[value]), None)
                if x is None or y is None:
                    continue
                va = frozenset(_json(k) for k, v in disc_a.mapping.items() if v is x)
                vb = frozenset(_json(k) for k, v in disc_b.mapping.items() if v is y)
                tx = self.base.tagged(x, disc_a.property, va)
                ty = self.revision.tagged(y, disc_b.property, vb)
                pairs.append((tx, ty, value))
                left.remove(x)
                right.remove(y)
        for x in list(left):
            match = next((y for y in right if self.relation(x, y, d) is None), None)
            if match is not None:
                pairs.append((x, match, f"#{_index(a, ka, x)}"))  # equal as values; doc may differ
                left.remove(x)
                right.remove(match)
        for x in list(left):  # the same named schema on both sides: compared with each other
            name = _component(x.pointer)
            match = next((y for y in right if name is not None and _component(y.pointer) == name), None)
            if match is not None:
                pairs.append((x, match, f"#{_index(a, ka, x)}"))
                left.remove(x)
                right.remove(match)
        while left and right and (len(left) == len(right) or len(left) == 1 or len(right) == 1):
            x, y = min(((x, y) for x in left for y in right), key=lambda p: self.diff(p[0], p[1], d).size)
            if len(left) != len(right) and not self._close(x, y, d):
                break
            pairs.append((x, y, f"#{_index(a, ka, x)}"))
            left.remove(x)
            right.remove(y)
        for x, y, label in pairs:
            nested(self.diff(x, y, d), label)
        # Under oneOf, a value must match exactly one alternative: one that overlaps the others
        # refuses what they share, so adding or dropping it changes values either way.
        one_a, one_b = not exclusive_a, not exclusive_b
        others_a, others_b = _alternatives(a, ka), _alternatives(b, kb)
        for x in left:
            covered = any(self.relation(x, y, d) in (None, W) for y in others_b)
            overlapping = one_a and not all(_disjoint(x, o) for o in others_a if o is not x)
            if not covered or overlapping:
                add("schema.union", D if overlapping else N,
                    f"the revision has no alternative for {x.describe()} (#{x.pointer})")  # fmt: skip
        for y in right:
            covered = any(self.relation(x, y, d) in (None, N) for x in others_a)
            overlapping = one_b and not all(_disjoint(y, o) for o in others_b if o is not y)
            if not covered or overlapping:
                add("schema.union", D if overlapping else W,
                    f"the revision adds the alternative {y.describe()} (#{y.pointer})")  # fmt: skip

    def _close(self, x: Schema, y: Schema, d: str) -> bool:
        """Alike enough to compare in detail: the same type, and not every keyword differs."""
        return x.types == y.types

    def _discriminators(self, x: Discriminator | None, y: Discriminator | None, add: Callable[..., None]) -> None:
        if x is None and y is None:
            return
        if x is None or y is None:
            add("schema.discriminator", DOC, f"a discriminator in the {'base' if y is None else 'revision'} only")
            return
        if x.property != y.property:
            add("schema.discriminator", D, f"discriminator {x.property!r} in the base, {y.property!r} in the revision")
            return
        removed, added = x.mapping.keys() - y.mapping.keys(), y.mapping.keys() - x.mapping.keys()
        if removed or added:
            change = D if removed and added else (N if removed else W)
            add("schema.discriminator", change,
                f"discriminator values {sorted(removed)} only in the base, {sorted(added)} only in the revision")  # fmt: skip


def _component(pointer: str) -> str | None:
    """The name of a component schema a pointer is, if it is one."""
    head, _, name = pointer.rpartition("/")
    return name if head in ("/components/schemas", "/definitions") else None


def _json(text: str) -> str:
    import json

    return json.dumps(text)


def _union(
    schema: Schema, kw: dict[str, Any], *, split: bool = False
) -> tuple[str, list[Schema], Discriminator | None]:
    """A schema's alternatives. ``split``: a schema of several types, compared with a union, as
    a union of one schema per type (equivalence "union-of-types", read backwards)."""
    for key in ("oneOf", "anyOf"):
        if key in kw:
            disc = kw.get("discriminator")
            return key, list(kw[key]), disc if isinstance(disc, Discriminator) else None
    types = kw.get("type")
    if split and isinstance(types, frozenset) and len(types) > 1 and "enum" not in kw:
        parts = _split_types(schema, kw, types)
        if parts is not None:
            return "anyOf", parts, None
    return "anyOf", [schema], None  # a schema is a union of one


_BEHAVIOUR = frozenset({"default", "readOnly", "writeOnly", "deprecated", "xml"})


def _split_types(schema: Schema, kw: dict[str, Any], types: frozenset[str]) -> list[Schema] | None:
    parts = []
    for kind in sorted(types):
        family = "number" if kind in ("integer", "number") else kind
        own: dict[str, Any] = {"type": frozenset({kind})}
        for key, value in kw.items():
            if key == "type" or key in _BEHAVIOUR:
                continue
            applies = _FAMILY.get(key) or _OBJECT_KEYS.get(key)
            if applies is None:
                return None  # a keyword of every type: not one schema per type
            if applies == family:
                own[key] = value
        parts.append(Schema(f"{schema.pointer}", kw=own))
    return parts


_OBJECT_KEYS = dict.fromkeys(
    ("properties", "required", "additionalProperties", "patternProperties", "propertyNames", "dependentRequired",
     "dependentSchemas", "unevaluatedProperties"), "object"
) | dict.fromkeys(("items", "prefixItems", "unevaluatedItems"), "array")  # fmt: skip


def _kind(kind: str, kw: dict[str, Any]) -> str:
    return kind if kind in kw else "one schema"


def _alternatives(schema: Schema, kw: dict[str, Any]) -> list[Schema]:
    return _union(schema, kw)[1]


def _index(schema: Schema, kw: dict[str, Any], branch: Schema) -> int:
    for i, b in enumerate(_alternatives(schema, kw)):
        if b is branch:
            return i
    return 0


def _pairwise_disjoint(branches: list[Schema]) -> bool:
    return all(_disjoint(x, y) for i, x in enumerate(branches) for y in branches[i + 1 :])


def _disjoint(x: Schema, y: Schema, depth: int = 0) -> bool:
    """Whether no value can match both (when this can tell; False when unsure)."""
    kx, ky = _kw(x), _kw(y)
    tx, ty = kx.get("type"), ky.get("type")
    if tx is not None and ty is not None:
        wx = set(tx) | ({"integer"} if "number" in tx else set())
        wy = set(ty) | ({"integer"} if "number" in ty else set())
        if not wx & wy:
            return True
    ex, ey = kx.get("enum"), ky.get("enum")
    if ex is not None and ey is not None and not ex & ey:
        return True
    if depth < 2:
        shared = (kx.get("required") or frozenset()) & (ky.get("required") or frozenset())
        px, py = kx.get("properties") or {}, ky.get("properties") or {}
        for name in shared:
            if name in px and name in py and _disjoint(px[name], py[name], depth + 1):
                return True
    return False


def _implied(kw: dict[str, Any], name: str) -> Schema:
    """The schema a property the object does not declare meets: a pattern property's, or
    additionalProperties', or any."""
    for pattern, schema in (kw.get("patternProperties") or {}).items():
        try:
            if re.search(pattern, name) and isinstance(schema, Schema):
                return schema
        except re.error:
            continue
    extra = kw.get("additionalProperties")
    return extra if isinstance(extra, Schema) else ANY


def _required(kw: dict[str, Any], d: str) -> frozenset[str]:
    """Required properties as a client sees them in this direction (equivalence
    "read-only-required")."""
    required = kw.get("required") or frozenset()
    props = kw.get("properties") or {}
    hidden = "readOnly" if d.startswith("request") else "writeOnly"
    return frozenset(r for r in required if not (r in props and _kw(props[r]).get(hidden)))


def _type_relation(ra: frozenset[str] | None, rb: frozenset[str] | None) -> Change | None:
    def widen(types: frozenset[str] | None) -> set[str] | None:
        if types is None:
            return None
        return set(types) | ({"integer"} if "number" in types else set())

    wa, wb = widen(ra), widen(rb)
    if wa == wb:
        return None
    if wa is None:
        return N
    if wb is None:
        return W
    if wa < wb:
        return W
    if wb < wa:
        return N
    return D


def _types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    return " or ".join(sorted(types)) or "nothing"


def _values(values: frozenset[str], limit: int = 6) -> str:
    shown = sorted(values)[:limit]
    more = f", … ({len(values)} in all)" if len(values) > limit else ""
    return "[" + ", ".join(shown) + more + "]"


def _describe(schema: Schema | None) -> str:
    if schema is None:
        return "any"
    if _kw(schema).get("type") == frozenset():
        return "none"
    return schema.describe()


def _divides(x: float, y: float) -> bool:
    """Whether y is a multiple of x."""
    if x == 0:
        return False
    q = y / x
    return abs(q - round(q)) < 1e-9
