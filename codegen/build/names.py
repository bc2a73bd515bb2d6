"""The first pass: a name for every class the package will have, before anything is built.

Classes come from component schemas (their spec names), from inline objects the model engine
would otherwise name after a property alone (hoisted, named from their context: ``Parent`` +
``Property``, or operation + role such as ``CreatePetRequest``), and from the variants of
discriminated unions (a component with its tag fixed). Which inline schemas become classes is
decided by the same code that later builds the models and types the operations: this pass runs
it once with a :class:`Recorder`, which claims a name the first time a schema is met, and keeps
only the names. The result is a :class:`Plan`, frozen and keyed by JSON pointer; every later
pass reads names from it and never claims one.

Names are claimed in a fixed order that does not depend on the order of the spec: component
names first (sorted), then what the operations use (operations by path and method), then what
the component schemas hold (by component name); collisions are broken in that order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from codegen.build.schema import deref, resolve
from codegen.naming import Namespace, class_name, snake_name
from codegen.problems import escape_pointer

__all__ = ["Namer", "Plan", "Recorder", "Variant", "escape_ref", "operation_names", "raw_operations"]


def escape_ref(pointer: str) -> str:
    """A pointer as the fragment of a ``$ref`` (percent signs escaped: refs are unquoted)."""
    return pointer.replace("%", "%25")


ENGINE_NAMES = frozenset({"BaseModel", "RootModel", "Field", "ConfigDict"})


@dataclass(frozen=True, slots=True)
class Variant:
    """A member of a discriminated union: the component ``base`` with ``prop`` fixed to ``tags``."""

    name: str
    base: str
    target: str  # pointer of the component's schema
    prop: str
    tags: tuple[str, ...]


class Namer(Protocol):
    """What the build reads class names from: a :class:`Recorder` in the naming pass, the
    frozen :class:`Plan` in every other."""

    @property
    def components(self) -> Mapping[str, str]: ...

    def hoist(self, pointer: str, hint: str, schema: Any) -> str: ...

    def variant(self, target: str, base: str, prop: str, tags: tuple[str, ...]) -> str: ...

    def variant_for(self, target: str, tag: str) -> str | None: ...

    def free(self, name: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class Plan:
    components: Mapping[str, str]  # component name -> class name
    classes: Mapping[str, str]  # pointer of a schema -> its class (components and hoisted objects)
    variants: Mapping[tuple[str, str], Variant]  # (pointer of the component, a tag) -> variant
    operations: Mapping[str, tuple[str, str]]  # operation pointer -> (method name, result class prefix)
    schemas: Mapping[str, Any]  # pointer -> schema of a class that is not the document's own there

    def hoist(self, pointer: str, hint: str, schema: Any) -> str:
        return self.classes[pointer]

    def variant(self, target: str, base: str, prop: str, tags: tuple[str, ...]) -> str:
        return self.variants[(target, tags[0])].name

    def variant_for(self, target: str, tag: str) -> str | None:
        found = self.variants.get((target, tag))
        return found.name if found is not None else None

    def free(self, name: str) -> bool:
        return True  # only the naming pass asks (to choose a hint); here every name is given

    @property
    def origins(self) -> dict[str, str]:
        """Class name -> pointer of the schema it was made from (variants: their component's)."""
        found = {cls: pointer for pointer, cls in self.classes.items()}
        found.update({v.name: v.target for v in self.variants.values()})
        return found


@dataclass
class Recorder:
    """Claims a name for each schema the first time the build meets it; ``on_new`` is called
    with every newly named schema's pointer, so the schemas inside it are met too."""

    components: dict[str, str]
    names: Namespace
    operations: dict[str, tuple[str, str]]
    on_new: Callable[[str, str], None] = lambda pointer, cls: None
    classes: dict[str, str] = field(default_factory=dict)
    variants: dict[tuple[str, str], Variant] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)
    document: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def start(cls, document: dict[str, Any], component_names: list[str]) -> Recorder:
        names = Namespace(ENGINE_NAMES)
        components = names.assign(component_names, class_name)
        recorder = cls(components, names, {}, document=document)
        for name in sorted(components):
            recorder.classes[f"/components/schemas/{escape_pointer(name)}"] = components[name]
        return recorder

    def hoist(self, pointer: str, hint: str, schema: Any) -> str:
        found = self.classes.get(pointer)
        if found is None:
            found = self.classes[pointer] = self.names.claim(class_name(hint))
            at = resolve(self.document, "#" + escape_ref(pointer))
            if at is None or at[0] is not schema:
                self.schemas[pointer] = schema  # made by the build (a branch written out whole)
            self.on_new(pointer, found)
        return found

    def variant(self, target: str, base: str, prop: str, tags: tuple[str, ...]) -> str:
        key = (target, tags[0])
        if key not in self.variants:
            variant = Variant(self.names.claim(class_name(f"{base} {' '.join(tags)}")), base, target, prop, tags)
            for tag in tags:
                self.variants[(target, tag)] = variant
        return self.variants[key].name

    def variant_for(self, target: str, tag: str) -> str | None:
        found = self.variants.get((target, tag))
        return found.name if found is not None else None

    def free(self, name: str) -> bool:
        return self.names.free(name)

    def freeze(self) -> Plan:
        return Plan(
            dict(self.components), dict(self.classes), dict(self.variants), dict(self.operations), dict(self.schemas)
        )


METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def raw_operations(document: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any], str, str, str]]:
    """(operation, path item, method, path, pointer), sorted so spec order never matters."""
    found = []
    paths = document.get("paths") or {}
    for path in sorted(paths):
        item, _ = deref(document, paths[path])
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                found.append((op, item, method, path, f"/paths/{escape_pointer(path)}/{method}"))
    return found


def operation_names(document: dict[str, Any], taken: set[str]) -> dict[str, tuple[str, str]]:
    """(interface method name, result class prefix) of every operation, by its pointer: from
    its operationId, else its method and path, claimed in sorted order of the pointers."""
    bases: dict[str, str] = {}
    for op, _, method, path, pointer in raw_operations(document):
        op_id = op.get("operationId")
        bases[pointer] = op_id if isinstance(op_id, str) and op_id else f"{method} {path}"
    methods, prefixes = Namespace(), Namespace(taken)
    return {
        pointer: (
            methods.claim(snake_name(bases[pointer], prefix="op")),
            prefixes.claim(class_name(bases[pointer], prefix="Op")),
        )
        for pointer in sorted(bases)
    }
