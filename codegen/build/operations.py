"""Operations: each from its path item and its object, and the groups (one per tag) they form."""

from __future__ import annotations

from typing import Any

from codegen import ir
from codegen.build.content import body, primary, responses
from codegen.build.context import Context, text
from codegen.build.names import raw_operations
from codegen.build.parameters import parameters
from codegen.build.security import requirements
from codegen.naming import Namespace, class_name, module_name
from codegen.problems import Problem

__all__ = ["RESERVED_LOCALS", "build_operations", "groups"]

# Names a route function or interface method uses itself; parameters must not shadow them.
RESERVED_LOCALS = frozenset({
    "models", "formats", "security", "request", "body", "auth", "implementation", "result", "rt",
    "Annotated", "Any", "Literal", "Query", "Path", "Header", "Cookie", "Body", "Form", "File",
    "UploadFile", "Depends", "Security", "Request", "Response", "Field", "UUID", "AwareDatetime",
    "EmailStr", "IPv4Address", "IPv6Address", "date", "time", "timedelta", "self", "call",
    "isinstance", "str", "int", "float", "bool", "list", "dict", "bytes", "None",
})  # fmt: skip


def build_operations(
    ctx: Context, operation_names: dict[str, tuple[str, str]], schemes: dict[str, ir.SecurityScheme]
) -> tuple[list[ir.Operation], list[Problem]]:
    problems: list[Problem] = []
    result = []
    for op, item, method, path, ptr in raw_operations(ctx.document):
        python_name, prefix = operation_names[ptr]
        built, found = operation(ctx, op, item, method, path, ptr, python_name, prefix, schemes)
        result.append(built)
        problems += found
    return result, problems


def operation(
    ctx: Context,
    op: dict[str, Any],
    item: dict[str, Any],
    method: str,
    path: str,
    ptr: str,
    python_name: str,
    prefix: str,
    schemes: dict[str, ir.SecurityScheme],
) -> tuple[ir.Operation, list[Problem]]:
    locals_ = Namespace(RESERVED_LOCALS)
    params, problems = parameters(ctx, op, item, path, ptr, prefix, locals_)
    request, found = body(ctx, op.get("requestBody"), f"{ptr}/requestBody", prefix, locals_)
    problems += found
    results, found = responses(ctx, op.get("responses") or {}, f"{ptr}/responses", prefix)
    problems += found
    chosen, found = primary(results, ptr)
    problems += found
    reqs, optional, found = requirements(op, ctx.document, schemes, ptr)
    problems += found
    built = ir.Operation(
        method=method,
        path=path,
        operation_id=text(op.get("operationId")),
        python_name=python_name,
        class_prefix=prefix,
        summary=text(op.get("summary")),
        description=text(op.get("description")),
        tags=tuple(t for t in op.get("tags") or () if isinstance(t, str)),
        deprecated=op.get("deprecated") is True,
        parameters=tuple(params),
        body=request,
        responses=tuple(results),
        primary=chosen,
        security=reqs,
        optional_security=optional,
        pointer=ptr,
    )
    return built, problems


def groups(document: dict[str, Any], operations: list[ir.Operation]) -> tuple[ir.Group, ...]:
    """One group per first tag (untagged operations last), with module and interface names."""
    by_tag: dict[str | None, list[ir.Operation]] = {}
    for op in operations:
        by_tag.setdefault(op.tags[0] if op.tags else None, []).append(op)
    modules = Namespace({"__init__"}, fold_case=True)
    interfaces = Namespace()
    descriptions = {
        t.get("name"): text(t.get("description")) for t in document.get("tags") or () if isinstance(t, dict)
    }
    result = []
    for tag in sorted(by_tag, key=lambda t: (t is None, t or "")):
        label = tag if tag is not None else "default"
        result.append(
            ir.Group(
                tag=tag,
                module=modules.claim(module_name(label)),
                interface=interfaces.claim(class_name(label, prefix="Tag") + "Api"),
                description=descriptions.get(tag) if tag is not None else None,
                operations=tuple(by_tag[tag]),
            )
        )
    return tuple(result)
