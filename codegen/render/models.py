"""``models.py`` from datamodel-code-generator, driven through its Python API.

The engine receives the model view built by :mod:`codegen.build.models` (every class already named)
and a small, fixed set of options, each chosen for what FastAPI will later derive from the
classes (see docs/pipeline.md):

``use_missing_sentinel`` + ``target_pydantic_version=2.14``
    an optional field the spec does not mark nullable is ``X | MISSING = MISSING``: it may be
    absent but not ``null``, and FastAPI documents it as plain ``X``. ``Optional[X] = None``
    would make every optional field nullable.
``strict_nullable``
    nullable only where the spec says ``nullable``/``"null"``.
``use_annotated`` + ``field_constraints``
    constraints as ``Annotated[int, Field(ge=1)]``: what type checkers understand, and what
    Pydantic turns back into ``minimum``.
``use_schema_description``
    schema descriptions become class docstrings; property descriptions stay
    ``Field(description=...)``, which is what Pydantic puts in the JSON schema.
``field_extra_keys={readOnly, writeOnly}``, ``model_extra_keys_without_x_prefix``
    kept as ``json_schema_extra`` (of fields, and of whole classes) so the app documents them.
``use_unique_items_as_set``
    ``uniqueItems`` arrays are sets, which Pydantic documents (and enforces) as unique.
``use_standard_collections``, ``use_union_operator``, ``keep_model_order``
    modern spelling; classes in name order, so spec reordering changes nothing.
Root models are kept (no ``collapse_root_models``): a component that is a union or an alias
stays a class under its spec name, so FastAPI documents it as the same named component.

Formats the engine would drop (``int32``) are mapped by its type manager to the aliases of
the generated ``formats`` module; formats it has no type for, or would change the type of
(``string`` + ``int64`` becomes ``int``), reach it as ``x-format`` and stay on the field as
an annotation (``field_extra_keys_without_x_prefix``), which is all JSON Schema makes of an
unknown format.
"""

from __future__ import annotations

import ast
import bisect
import keyword
import re
import warnings
from collections.abc import Callable
from typing import Any

from typing_extensions import override

from codegen.build.formats import ENGINE_ALIASES, Formats
from codegen.collector import few_collections
from codegen.naming import ascii_text
from codegen.regex import regex_engine
from codegen.render.recursion import complete_explicitly, depth_needed

__all__ = ["ModelEngineError", "render_models"]


class ModelEngineError(Exception):
    """The model engine failed on input that passed validation."""


def _type_manager(formats: Formats, base: type[Any]) -> type[Any]:
    """The engine's type manager, with the formats it would lose mapped to our aliases.

    A type-manager subclass is the engine's own extension point (a parser subclass would
    also work, but costs the engine its fast paths: a quarter more time on big specs).
    """
    from datamodel_code_generator.imports import Import
    from datamodel_code_generator.types import Types

    kinds = {"int32": Types.int32, "int64": Types.int64, "float": Types.float, "double": Types.double,
             "uri": Types.uri, "password": Types.password, "byte": Types.byte, "hostname": Types.hostname,
             "date_time": Types.date_time, "date": Types.date, "time": Types.time, "timedelta": Types.timedelta}  # fmt: skip
    aliases = {}
    for (type_, fmt), kind in ((k, kinds[v]) for k, v in ENGINE_ALIASES.items()):
        alias = formats.alias(type_, fmt)
        if alias is not None:  # a pair the spec does not use has no alias: nothing to map
            aliases[kind] = alias.name

    class FormatTypes(base):  # type: ignore[misc]
        @override
        def type_map_factory(self, data_type: Any, *args: Any, **kwargs: Any) -> dict[Any, Any]:
            mapping: dict[Any, Any] = super().type_map_factory(data_type, *args, **kwargs)
            for kind, name in aliases.items():
                mapping[kind] = data_type.from_import(Import(from_=".formats", import_=name))
            # a body is JSON: "5" is not an integer there, though Pydantic's lax mode takes it
            for kind, name in (
                (Types.integer, "StrictInt"),
                (Types.number, "StrictFloat"),
                (Types.boolean, "StrictBool"),
            ):
                mapping[kind] = data_type.from_import(Import(from_="pydantic", import_=name))
            return mapping

    return FormatTypes


def render_models(document: dict[str, Any], formats: Formats, header: str, package: str = "package") -> str:
    """The models module for a model-view document (see :mod:`codegen.build.models`)."""
    from datamodel_code_generator._format_types import PythonVersion
    from datamodel_code_generator.enums import DataModelType, TargetPydanticVersion
    from datamodel_code_generator.model import get_data_model_types

    if not document["components"]["schemas"]:
        return header + '"""No schemas in this spec."""\n\n__all__: list[str] = []\n'
    types = get_data_model_types(
        DataModelType.PydanticV2BaseModel, PythonVersion.PY_311, target_pydantic_version=TargetPydanticVersion("2.14")
    )
    from datamodel_code_generator.parser.openapi import OpenAPIParser

    parser = OpenAPIParser(
        source=document,  # type: ignore[arg-type]  # a dict is read as the parsed document
        data_model_type=types.data_model,
        data_model_root_type=types.root_model,
        data_model_field_type=types.field_model,
        data_type_manager_type=_type_manager(formats, types.data_type_manager),
        dump_resolve_reference_action=types.dump_resolve_reference_action,
        target_python_version=PythonVersion.PY_311,
        target_pydantic_version=TargetPydanticVersion("2.14"),
        use_missing_sentinel=True,
        strict_nullable=True,
        use_annotated=True,
        field_constraints=True,
        use_schema_description=True,
        field_extra_keys={"readOnly", "writeOnly"},
        field_extra_keys_without_x_prefix={"x-format"},
        type_overrides={
            component: f"{package}.formats.{alias}"
            for component, alias in document.get("x-codegen-type-overrides", {}).items()
        },
        model_extra_keys_without_x_prefix={"x-readOnly", "x-writeOnly"},
        use_standard_collections=True,
        use_unique_items_as_set=True,
        use_union_operator=True,
        keep_model_order=True,
        use_double_quotes=True,
        aliases=ascii_field_names(document),
        set_default_enum_member=True,
        formatters=[],
    )
    try:
        with few_collections(freeze=True), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Annotations as objects, not strings: Pydantic evaluates every string annotation
            # at import, which cost a large spec's models a quarter of their import time.
            result = parser.parse(disable_future_imports=True)
    except RecursionError as exc:
        raise ModelEngineError("the schemas nest too deeply for the model engine") from exc
    except Exception as exc:
        raise ModelEngineError(f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(result, str):
        raise ModelEngineError("the model engine produced several modules")
    # the engine writes overrides as absolute imports; the package imports itself relatively
    result = result.replace(f"from {package}.formats import", "from .formats import")
    result = unique_items(python_regex_engine(_none_last(result)))
    depth = depth_needed(document)
    if depth is not None:
        result = complete_explicitly(result, document, depth)
    return header + result


def ascii_field_names(document: dict[str, Any]) -> dict[str, str]:
    """Python names for properties whose names are not ASCII (``Ventilação`` -> ``Ventilacao``;
    the alias keeps the spec's name on the wire). A name whose ASCII form another property
    already has keeps the engine's own spelling, so two fields never merge."""
    names: set[str] = set()
    todo: list[Any] = [document.get("components", {})]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(key for key in properties if isinstance(key, str))
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    aliases: dict[str, str] = {}
    taken = {name for name in names if name.isascii()}
    for name in sorted(n for n in names if not n.isascii()):
        folded = re.sub(r"\W", "_", ascii_text(name))
        folded = folded.lstrip("_") or "field"
        if folded[0].isdigit():
            folded = f"field_{folded}"
        if keyword.iskeyword(folded):
            folded += "_"
        if folded not in taken and folded.isidentifier():
            aliases[name] = folded
            taken.add(folded)
    return aliases


_NONE_FIRST = re.compile(r"\bNone \| MISSING\b")


def _none_last(source: str) -> str:
    """``X | None | MISSING`` -> ``X | MISSING | None`` (the same type; the order linters
    expect), in the code of each line, never inside a string."""
    if "None | MISSING" not in source:
        return source
    lines = source.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if "None | MISSING" in line:
            quote = min((p for p in (line.find('"'), line.find("'")) if p >= 0), default=len(line))
            lines[i] = _NONE_FIRST.sub("MISSING | None", line[:quote]) + line[quote:]
    return "".join(lines)


_BLOCK_START = re.compile(r"(?:class |[A-Za-z_]\w*\s*[:=])")


def unique_items(source: str) -> str:
    """Make every ``set[...]`` (an array with ``uniqueItems``) refuse duplicates, which a set
    would silently drop: :class:`_types.UniqueItems` goes last in the ``Annotated[...]``
    around it (after the engine's ``Field(max_length=...)``), or a new one wraps it. A set of
    what Python cannot hash (models, dicts, lists) becomes a list, checked the same way.

    Only the top-level statements that mention ``set[`` are parsed: a large spec's module has
    hundreds of thousands of nodes, and a handful of sets."""
    hits = [m.start() for m in re.finditer(r"\bset\[", source)]
    if not hits:
        return source
    lines = source.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if _BLOCK_START.match(line)]
    unhashable = {"dict", "list", "set", "Any"} | {
        m.group(1) for m in re.finditer(r"^class (\w+)\(([^)]*)\):", source, re.MULTILINE) if "Enum" not in m.group(2)
    }
    blocks: set[tuple[int, int]] = set()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    for hit in hits:
        row = bisect.bisect_right(offsets, hit) - 1
        i = bisect.bisect_right(starts, row) - 1
        blocks.add((starts[i] if i >= 0 else 0, starts[i + 1] if i + 1 < len(starts) else len(lines)))
    edits: set[tuple[int, int, int, bytes]] = set()
    for first, last in sorted(blocks):
        try:
            tree = ast.parse("".join(lines[first:last]))
        except SyntaxError:  # a block boundary guessed wrong: read the whole module
            edits = _set_edits(ast.parse(source), unhashable, 0)
            break
        edits |= _set_edits(tree, unhashable, first)
    encoded = {index: lines[index].encode("utf-8") for index, *_ in edits}
    for index, column, replace, text in sorted(edits, reverse=True):
        raw = encoded[index]
        encoded[index] = raw[:column] + text + raw[column + (len(b"set") if replace else 0) :]
    for index, raw in encoded.items():
        lines[index] = raw.decode("utf-8")
    result = "".join(lines)
    imports = "from codegen_runtime.types import UNIQUE_ITEMS\n"
    if not re.search(r"^from typing import .*\bAnnotated\b", result, re.MULTILINE):
        imports = "from typing import Annotated\n\n" + imports
    anchor = re.search(r"^from pydantic import .*$", result, re.MULTILINE)
    assert anchor is not None
    return result[: anchor.end() + 1] + "\n" + imports + result[anchor.end() + 1 :]


def _set_edits(tree: ast.AST, unhashable: set[str], first_line: int) -> set[tuple[int, int, int, bytes]]:
    """(line index, byte column, 1 to replace "set" / 0 to insert, text), applied from the end."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    edits: set[tuple[int, int, int, bytes]] = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "set"):
            continue
        assert node.end_lineno is not None and node.end_col_offset is not None
        if any(isinstance(n, ast.Name) and n.id in unhashable for n in ast.walk(node.slice)):
            edits.add((first_line + node.value.lineno - 1, node.value.col_offset, 1, b"list"))
        top: ast.AST = node
        while isinstance(parents.get(top), ast.BinOp):
            top = parents[top]  # through ``X | MISSING | None``
        holder = parents.get(top)
        annotated = parents.get(holder) if isinstance(holder, ast.Tuple) else None
        if (
            isinstance(annotated, ast.Subscript)
            and isinstance(annotated.value, ast.Name)
            and annotated.value.id == "Annotated"
            and isinstance(holder, ast.Tuple)
            and holder.elts[0] is top
        ):
            end = holder.elts[-1]
            assert end.end_lineno is not None and end.end_col_offset is not None
            edits.add((first_line + end.end_lineno - 1, end.end_col_offset, 0, b", UNIQUE_ITEMS"))
        else:
            edits.add((first_line + node.lineno - 1, node.col_offset, 0, b"Annotated["))
            edits.add((first_line + node.end_lineno - 1, node.end_col_offset, 0, b", UNIQUE_ITEMS]"))
    return edits


def python_regex_engine(source: str) -> str:
    """Give ``regex_engine="python-re"`` to every class with a pattern Pydantic's own engine
    cannot compile. The engine already does so for look-around; other patterns (back
    references, ``\\S{1,8192}`` beyond the Rust engine's size limit) would fail at import."""
    literals = re.findall(r"""\bpattern=("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""", source)
    if not any(regex_engine(ast.literal_eval(text)) == "python" for text in literals):
        return source  # the common case: skip parsing a module of thousands of classes
    return set_config(source, _needs_python_re, "regex_engine", '"python-re"')


def set_config(source: str, select: Callable[[ast.ClassDef], bool], key: str, value: str) -> str:
    """``key=value`` in the ``model_config`` of every top-level class ``select`` picks (a
    ``model_config`` after the docstring where the class has none), unless it sets ``key``."""
    tree = ast.parse(source)
    # lines as the AST counts them (str.splitlines also breaks at \x0c, \u2028, ...), in bytes,
    # as the AST's columns count
    lines = [line.encode("utf-8") for line in re.findall(r"[^\n]*\n|[^\n]+$", source)]
    edits: list[tuple[int, int, str]] = []  # (line index, byte column, text)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not select(node):
            continue
        config = _model_config_call(node)
        if config is not None:
            if not any(k.arg == key for k in config.keywords):
                given: list[ast.expr] = [*config.args, *(k.value for k in config.keywords)]
                if given:  # after the last argument: a trailing comma may follow it
                    last = max(given, key=lambda e: (e.end_lineno or 0, e.end_col_offset or 0))
                    edits.append(((last.end_lineno or 1) - 1, last.end_col_offset or 0, f", {key}={value}"))
                else:
                    end_line, end_col = config.end_lineno or config.lineno, (config.end_col_offset or 1) - 1
                    edits.append((end_line - 1, end_col, f"{key}={value}"))
        else:
            first = node.body[0]
            line = first.lineno - 1
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):  # the docstring
                line = first.end_lineno or first.lineno  # after it: it must stay the first statement
            indent = " " * first.col_offset
            edits.append((line, 0, f"{indent}model_config = ConfigDict({key}={value})\n"))
    if not edits:
        return source
    lines.append(b"")  # a class that ends the module may get a line after its docstring
    for index, column, text in sorted(edits, reverse=True):
        lines[index] = lines[index][:column] + text.encode("utf-8") + lines[index][column:]
    result = b"".join(lines).decode("utf-8")
    if not re.search(r"^from pydantic import .*\bConfigDict\b", result, re.MULTILINE):
        result = re.sub(
            r"^from pydantic import ", "from pydantic import ConfigDict, ", result, count=1, flags=re.MULTILINE
        )
    return result


def _needs_python_re(node: ast.ClassDef) -> bool:
    for sub in ast.walk(node):
        if (
            isinstance(sub, ast.keyword)
            and sub.arg == "pattern"
            and isinstance(sub.value, ast.Constant)
            and isinstance(sub.value.value, str)
            and regex_engine(sub.value.value) == "python"
        ):
            return True
    return False


def _model_config_call(node: ast.ClassDef) -> ast.Call | None:
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "model_config" for t in stmt.targets)
            and isinstance(stmt.value, ast.Call)
        ):
            return stmt.value
    return None
