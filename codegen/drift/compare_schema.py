"""Structural comparison of two normalized schemas, cycle-safe and graded by direction."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field

from codegen.drift.findings import Context, Finding, Severity, Side, Sink
from codegen.drift.schema import Node

__all__ = ["SchemaComparer"]

_LOWER = {"minimum": "schema.minimum", "exclusiveMinimum": "schema.minimum", "minLength": "schema.min-length",
          "minItems": "schema.min-items", "minProperties": "schema.min-properties"}  # fmt: skip
_UPPER = {"maximum": "schema.maximum", "exclusiveMaximum": "schema.maximum", "maxLength": "schema.max-length",
          "maxItems": "schema.max-items", "maxProperties": "schema.max-properties"}  # fmt: skip
_NUMBERS = {"number", "integer"}


def _short(values: frozenset[str] | set[str]) -> str:
    shown = sorted(values)[:5]
    text = ", ".join(shown)
    return text + (f" and {len(values) - 5} more" if len(values) > 5 else "")


def _types_wider(a: frozenset[str] | None, b: frozenset[str] | None) -> bool | None:
    """True if b admits more than a, False if less, None if neither (or equal)."""
    if a == b:
        return None
    if a is None:
        return False
    if b is None:
        return True

    def expand(types: frozenset[str]) -> set[str]:
        return set(types) | ({"integer"} if "number" in types else set())

    ea, eb = expand(a), expand(b)
    if ea == eb:
        return None
    if ea <= eb:
        return True
    if eb <= ea:
        return False
    return None


@dataclass
class SchemaComparer:
    sink: Sink
    _active: set[tuple[int, int, str]] = field(default_factory=set)
    _done: set[tuple[int, int, str, tuple[str, str] | None]] = field(default_factory=set)
    _probes: dict[tuple[int, int, str], bool] = field(default_factory=dict)
    _stripped: dict[int, Node] = field(default_factory=dict)

    def report(self, ctx: Context, rule: str, severity: Severity, message: str, a: Node, b: Node) -> None:
        self.sink.add(Finding(rule, severity, message, ctx.where, ctx.operation, Side(a.pointer), Side(b.pointer)))

    def compare(self, a: Node, b: Node, ctx: Context) -> None:
        if a is b:
            return
        key = (id(a), id(b), ctx.direction)
        done_key = (*key, ctx.narrowed)
        if key in self._active or done_key in self._done:
            return
        self._active.add(key)
        try:
            self._compare(a, b, ctx)
        finally:
            self._active.discard(key)
            self._done.add(done_key)

    def equal(self, a: Node, b: Node, ctx: Context) -> bool:
        """Whether comparing would report nothing above info (used to pair union branches)."""
        key = (id(a), id(b), ctx.direction)
        if key not in self._probes:
            self._probes[key] = True  # assume equal while recursing
            probe = SchemaComparer(Sink(), set(self._active))
            probe._probes = self._probes
            probe.compare(a, b, ctx)
            self._probes[key] = not any(f.severity > Severity.INFO for f in probe.sink.findings)
        return self._probes[key]

    def _flatten(self, branches: list[Node], depth: int = 0) -> list[Node]:
        """Branches as Pydantic writes them: a union of unions is one union, and a branch that
        allows null (``X or null``) is ``X`` plus one ``null`` branch."""
        result: list[Node] = []
        null: Node | None = None
        for branch in branches:
            # a union inside a union is one union, if it says nothing its branches do not
            plain = (
                branch.union is not None
                and not branch.discriminator
                and (branch.types is None or all(b.types is not None and b.types <= branch.types for b in branch.union))
            )
            if plain and not branch.properties and depth < 8:
                assert branch.union is not None
                result.extend(self._flatten(branch.union, depth + 1))
            elif branch.union is None and branch.types is not None and "null" in branch.types and len(branch.types) > 1:
                key = id(branch)
                if key not in self._stripped:
                    stripped = copy.copy(branch)
                    stripped.types = branch.types - {"null"}
                    self._stripped[key] = stripped
                result.append(self._stripped[key])
                null = null or Node(f"{branch.pointer}/null", types=frozenset({"null"}))
            elif branch not in result:
                result.append(branch)
        if null is not None and not any(b.types == frozenset({"null"}) for b in result):
            result.append(null)
        return result

    # -- the checks

    def _compare(self, a: Node, b: Node, ctx: Context) -> None:
        if a.union is not None or b.union is not None:
            self._unions(a, b, ctx)
            return
        self._types(a, b, ctx)
        self._format(a, b, ctx)
        self._enum(a, b, ctx)
        self._constraints(a, b, ctx)
        self._flags(a, b, ctx)
        if a.items is not None or b.items is not None:
            self._items(a, b, ctx)
        if a.properties or b.properties or a.additional is not True or b.additional is not True:
            self._object(a, b, ctx)

    def _unions(self, a: Node, b: Node, ctx: Context) -> None:
        if a.union is None or b.union is None:
            single, union, a_is_union = (b, a, True) if b.union is None else (a, b, False)
            assert union.union is not None
            if len(union.union) == 1 and union.discriminator and union.mapping:
                # one subtype of a discriminated base: compare it, its tag fixed to its value
                value = next(iter(union.mapping))
                narrowed = Context(ctx.mode, ctx.direction, ctx.where, ctx.operation, (union.discriminator, value))
                pair = (union.union[0], single) if a_is_union else (single, union.union[0])
                self.compare(*pair, narrowed)
                return
            matches = [
                branch for branch in union.union if self.equal(branch, single, ctx) or self.equal(single, branch, ctx)
            ]
            if matches and len(union.union) == 1:
                return
            wider = a_is_union is False
            described = f"one of {len(union.union)} schemas"
            msg = (
                f"{described} in the base, {single.describe_type()} in the revision"
                if a_is_union
                else f"{single.describe_type()} in the base, {described} in the revision"
            )
            self.report(ctx, "schema.union", ctx.grade(wider), msg, a, b)
            return
        assert a.union is not None and b.union is not None
        if (a.discriminator or b.discriminator) and a.discriminator != b.discriminator:
            self.report(
                ctx, "schema.discriminator", Severity.WARNING,
                f"discriminator {a.discriminator!r} in the base, {b.discriminator!r} in the revision", a, b,
            )  # fmt: skip
        if a.mapping and b.mapping and set(a.mapping) != set(b.mapping):
            self.report(
                ctx, "schema.discriminator", Severity.WARNING,
                f"discriminator values {_short(set(a.mapping))} in the base, {_short(set(b.mapping))} in the revision",
                a, b,
            )  # fmt: skip
        pairs, missing, added = self._pair(a, b, ctx)
        for left, right, label in pairs:
            tag = (a.discriminator, label) if a.discriminator and label else None
            self.compare(
                left,
                right,
                Context(ctx.mode, ctx.direction, f"{ctx.where} › {label or 'branch'}", ctx.operation, tag),
            )
        for branch in missing:
            self.report(
                ctx,
                "schema.union",
                ctx.grade(False),
                f"the alternative {branch.describe_type()} at #{branch.pointer} is not in the revision",
                branch,
                b,
            )
        for branch in added:
            self.report(
                ctx,
                "schema.union",
                ctx.grade(True),
                f"the revision adds the alternative {branch.describe_type()} at #{branch.pointer}",
                a,
                branch,
            )

    def _pair(
        self, a: Node, b: Node, ctx: Context
    ) -> tuple[list[tuple[Node, Node, str | None]], list[Node], list[Node]]:
        assert a.union is not None and b.union is not None
        pairs: list[tuple[Node, Node, str | None]] = []
        left, right = self._flatten(a.union), self._flatten(b.union)
        if a.mapping and b.mapping:  # pair by discriminator value
            for value, target in a.mapping.items():
                other = b.mapping.get(value)
                if other is not None and target in left and other in right:
                    pairs.append((target, other, value))
                    left.remove(target)
                    right.remove(other)
        for branch in list(left):
            match = next((r for r in right if self.equal(branch, r, ctx)), None)
            if match is not None:
                pairs.append((branch, match, None))
                left.remove(branch)
                right.remove(match)
        if len(left) == len(right):  # same count: compare the rest in order, precisely
            pairs.extend((x, y, None) for x, y in zip(left, right, strict=True))
            return pairs, [], []
        return pairs, left, right

    def _types(self, a: Node, b: Node, ctx: Context) -> None:
        if a.types == b.types:
            return
        a_null, b_null = a.nullable, b.nullable
        if a_null != b_null:
            self.report(
                ctx, "schema.nullable", ctx.grade(b_null),
                "null is allowed in the revision but not the base" if b_null else "null is allowed in the base but not the revision",
                a, b,
            )  # fmt: skip
        a_rest = None if a.types is None else a.types - {"null"}
        b_rest = None if b.types is None else b.types - {"null"}
        if a_rest == b_rest or (a_rest is not None and b_rest is not None and not a_rest and not b_rest):
            return
        if a_rest is not None and not a_rest and a_null:
            a_rest = None  # "null only" comes from a lone nullable: treat as unconstrained
        wider = _types_wider(a_rest, b_rest)
        if wider is None and a_rest != b_rest:
            self.report(
                ctx,
                "schema.type",
                Severity.BREAKING,
                f"type {a.describe_type()} in the base, {b.describe_type()} in the revision",
                a,
                b,
            )
        elif wider is not None:
            self.report(
                ctx,
                "schema.type",
                ctx.grade(wider),
                f"type {a.describe_type()} in the base, {b.describe_type()} in the revision",
                a,
                b,
            )

    def _format(self, a: Node, b: Node, ctx: Context) -> None:
        if a.format == b.format:
            return
        if a.format is None or b.format is None:
            wider = b.format is None
            self.report(
                ctx,
                "schema.format",
                ctx.grade(wider),
                f"format {a.format or 'none'} in the base, {b.format or 'none'} in the revision",
                a,
                b,
            )
        else:
            self.report(
                ctx,
                "schema.format",
                Severity.BREAKING,
                f"format {a.format} in the base, {b.format} in the revision",
                a,
                b,
            )

    def _enum(self, a: Node, b: Node, ctx: Context) -> None:
        if a.enum == b.enum:
            return
        if ctx.narrowed is not None and (a.enum is None or b.enum is None):
            fixed = a.enum or b.enum or frozenset()
            if fixed == {json.dumps(ctx.narrowed[1])}:
                return  # a discriminator property fixed to its mapping value
        if a.enum is None or b.enum is None:
            wider = b.enum is None
            values = _short(b.enum or a.enum or frozenset())
            where = "the base" if a.enum is not None else "the revision"
            self.report(ctx, "schema.enum", ctx.grade(wider), f"only {values} allowed in {where}", a, b)
            return
        added, removed = b.enum - a.enum, a.enum - b.enum
        if removed:
            self.report(
                ctx,
                "schema.enum",
                ctx.grade(False),
                f"values {_short(removed)} of the base are not in the revision",
                a,
                b,
            )
        if added:
            self.report(ctx, "schema.enum", ctx.grade(True), f"the revision adds values {_short(added)}", a, b)

    def _constraints(self, a: Node, b: Node, ctx: Context) -> None:
        keys = set(a.constraints) | set(b.constraints)
        for key in sorted(keys):
            x, y = a.constraints.get(key), b.constraints.get(key)
            if x == y:
                continue
            if key in _LOWER or key in _UPPER:
                rule = _LOWER.get(key) or _UPPER[key]
                if x is None or y is None:
                    wider = y is None
                else:
                    wider = (y < x) if key in _LOWER else (y > x)
                self.report(
                    ctx,
                    rule,
                    ctx.grade(wider),
                    f"{key} {x if x is not None else 'none'} in the base, {y if y is not None else 'none'} in the revision",
                    a,
                    b,
                )
            elif key == "uniqueItems":
                self.report(
                    ctx,
                    "schema.unique-items",
                    ctx.grade(not y),
                    f"uniqueItems {bool(x)} in the base, {bool(y)} in the revision",
                    a,
                    b,
                )
            else:
                rule = "schema.pattern" if key == "pattern" else "schema.multiple-of"
                severity = ctx.grade(y is None) if (x is None or y is None) else Severity.BREAKING
                self.report(ctx, rule, severity, f"{key} {x!r} in the base, {y!r} in the revision", a, b)

    def _access(self, a: Node, b: Node, ctx: Context) -> None:
        """readOnly/writeOnly, which only mean something for properties of a body."""
        if a.read_only != b.read_only:
            msg = f"readOnly {a.read_only} in the base, {b.read_only} in the revision"
            self.report(ctx, "schema.read-only", Severity.WARNING, msg, a, b)
        if a.write_only != b.write_only:
            msg = f"writeOnly {a.write_only} in the base, {b.write_only} in the revision"
            self.report(ctx, "schema.write-only", Severity.WARNING, msg, a, b)

    def _flags(self, a: Node, b: Node, ctx: Context) -> None:
        if a.default != b.default and not (a.default is None and b.default == "null"):
            self.report(
                ctx,
                "schema.default",
                Severity.INFO,
                f"default {a.default or 'none'} in the base, {b.default or 'none'} in the revision",
                a,
                b,
            )

    def _items(self, a: Node, b: Node, ctx: Context) -> None:
        if a.items is not None and b.items is not None:
            self.compare(a.items, b.items, ctx.at("[]"))
        elif a.items is None and b.items is not None and b.items.types is not None:
            self.report(
                ctx,
                "schema.type",
                ctx.grade(False),
                f"any items in the base, {b.items.describe_type()} in the revision",
                a,
                b,
            )
        elif b.items is None and a.items is not None and a.items.types is not None:
            self.report(
                ctx,
                "schema.type",
                ctx.grade(True),
                f"{a.items.describe_type()} items in the base, any in the revision",
                a,
                b,
            )

    def _visible(self, node: Node, name: str, ctx: Context) -> bool:
        prop = node.properties[name]
        return not (prop.read_only if ctx.direction == "request" else prop.write_only)

    def _required(self, node: Node, ctx: Context) -> set[str]:
        """Required properties as a client sees them in this direction (OpenAPI 3.0 semantics:
        readOnly ones are not required in requests, writeOnly ones not in responses); the
        discriminator property of a union branch is always there."""
        required = {name for name in node.required if name not in node.properties or self._visible(node, name, ctx)}
        if ctx.narrowed is not None and ctx.narrowed[0] in node.properties:
            required.add(ctx.narrowed[0])
        return required

    def _object(self, a: Node, b: Node, ctx: Context) -> None:
        a_req, b_req = self._required(a, ctx), self._required(b, ctx)
        request = ctx.direction == "request"
        for name in sorted(set(a.properties) - set(b.properties)):
            if not self._visible(a, name, ctx):
                continue
            if request:
                severity = Severity.BREAKING if b.additional is False else ctx.grade(True)
                msg = f"the revision does not read property {name!r}" + (
                    " and refuses it" if b.additional is False else ""
                )
            else:
                severity = Severity.BREAKING if name in a_req else ctx.grade(False)
                msg = f"the revision never sends property {name!r}"
            self.report(ctx.at(name), "schema.property-missing", severity, msg, a, b)
        for name in sorted(set(b.properties) - set(a.properties)):
            if not self._visible(b, name, ctx):
                continue
            if request:
                severity = Severity.BREAKING if name in b_req else Severity.INFO
                msg = f"the revision reads property {name!r}" + (", and requires it" if name in b_req else "")
            else:
                severity = Severity.BREAKING if a.additional is False else Severity.INFO
                msg = f"the revision may send property {name!r}"
            self.report(ctx.at(name), "schema.property-added", severity, msg, a, b)
        for name in sorted(set(a.properties) & set(b.properties)):
            sub = ctx.at(name)
            narrowed = ctx.narrowed if ctx.narrowed is not None and ctx.narrowed[0] == name else None
            if narrowed is not None:
                sub = Context(sub.mode, sub.direction, sub.where, sub.operation, narrowed)
            if (name in a_req) != (name in b_req):
                now = name in b_req
                wider = not now if request else now
                msg = f"property {name!r} is {'required' if now else 'optional'} in the revision"
                self.report(sub, "schema.required", ctx.grade(wider), msg, a, b)
            self._access(a.properties[name], b.properties[name], sub)
            self.compare(a.properties[name], b.properties[name], sub)
        self._additional(a, b, ctx)

    def _additional(self, a: Node, b: Node, ctx: Context) -> None:
        x, y = a.additional, b.additional
        if x is y or (x is True and y is True):
            return
        if isinstance(x, Node) and isinstance(y, Node):
            self.compare(x, y, ctx.at("{*}"))
            return
        rank = {True: 2, False: 0}
        rx = rank[x] if isinstance(x, bool) else 1
        ry = rank[y] if isinstance(y, bool) else 1
        if rx == ry:
            return
        describe = {2: "any", 1: "typed", 0: "none"}
        self.report(
            ctx, "schema.additional-properties", ctx.grade(ry > rx),
            f"additional properties: {describe[rx]} in the base, {describe[ry]} in the revision", a, b,
        )  # fmt: skip
