"""IR in, package files out: ``{relative path: text}``. Nothing here touches the disk.

The models come from the model engine; everything else from the jinja2 templates beside
this module, fed with IR objects and the snippet functions of :mod:`operations`. The whole
package is then formatted by ruff with fixed settings, so output is byte-identical wherever it
is generated.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

import jinja2
from pydantic import ValidationError

from codegen import ir
from codegen.build import BuildResult
from codegen.problems import Problem, ProblemsError
from codegen.render import operations as ops
from codegen.render.code import docstring, header, import_block, pystr
from codegen.render.format import Formatting, format_sources
from codegen.render.models import ModelEngineError, render_models
from codegen.render.recursion import depth_needed
from codegen.render.security import render_security

__all__ = ["RUNTIME_FILES", "render_package", "spec_digest"]

RUNTIME_FILES = ("_runtime.py", "_synth.py", "_types.py")  # copied verbatim into every package


def spec_digest(inputs: dict[str, bytes]) -> str:
    """sha256 of the spec's only file, or of all its files (key, NUL, bytes; sorted by key)."""
    if len(inputs) == 1:
        return hashlib.sha256(next(iter(inputs.values()))).hexdigest()
    digest = hashlib.sha256()
    for key in sorted(inputs):
        digest.update(key.encode() + b"\0" + inputs[key])
    return digest.hexdigest()


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("codegen.render", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - the output is Python; spec text goes through pystr/docstring
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["pyliteral"] = _pyliteral
    return env


def _pyliteral(value: Any) -> str:
    from codegen.pytypes import literal

    return literal(value)


def _label(group: ir.Group) -> str:
    return f"the operations tagged {group.tag!r}" if group.tag is not None else "the operations without a tag"


def _operation_doc(op: ir.Operation) -> str:
    parts = [op.summary or f"{op.method.upper()} {op.path}"]
    if op.description:
        parts.append(op.description)
    parts.append(
        f"``{op.method.upper()} {op.path}``" + (f" (operationId ``{op.operation_id}``)" if op.operation_id else "")
    )
    return "\n\n".join(parts)


def _op_types(op: ir.Operation) -> list[ir.TypeExpr]:
    types = [p.type for p in op.parameters]
    if op.body is not None:
        if op.body.media.type is not None:
            types.append(op.body.media.type)
        types.extend(f.type for f in op.body.media.fields)
    for r in op.responses:
        if r.media is not None and r.media.type is not None:
            types.append(r.media.type)
        types.extend(h.type for h in r.headers)
    return types


def _result_spec(op: ir.Operation, r: ir.Response) -> str:
    media = r.media
    args = [str(r.fixed_status) if r.fixed_status is not None else "None"]
    args.append(pystr(media.name) if media is not None else "None")
    args.append(media.type.code if media is not None and media.type is not None else "None")
    args.append(pystr(media.kind if media is not None else "json"))
    if r.headers:
        pairs = ", ".join(f"({pystr(h.python_name)}, {pystr(h.name)}, {h.type.code}, {h.required})" for h in r.headers)
        args.append(f"headers=({pairs},)")
    if media is not None and media.also:
        args.append(f"also=({', '.join(pystr(n) for n in media.also)},)")
    return f"_runtime.ResultSpec({', '.join(args)})"


class _Renderer:
    def __init__(self, result: BuildResult, version: str, inputs: dict[str, bytes], style: str) -> None:
        self.result = result
        self.style = style
        self.api = result.api
        self.env = _environment()
        self.header = header(self.api.spec_name, spec_digest(inputs), version, len(inputs))
        self.schemes = {s.python_name: s for s in self.api.security_schemes}
        self.security = render_security(self.api, self.header)

    def template(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(header=self.header, api=self.api, **context)

    def route_parameters(self, op: ir.Operation) -> list[str]:
        lines = [ops.param_annotation(p) for p in op.parameters]
        if ops.negotiates(op):
            lines.append("request: Request")
        lines += ops.body_parameters(op.body)
        if op.security:
            dependency = self.security.dependencies[(op.security, op.optional_security)]
            auth = ops.auth_type(op, self.schemes)
            lines.append(f"auth: Annotated[{auth}, Depends(security.{dependency})]")
        return lines

    def error_model(self, op: ir.Operation, kind: str) -> str:
        if kind == "invalid":
            return ops.error_model(op) or "None"
        by_status = {r.status: r for r in op.responses if not r.variant}
        for status in ("401", "4XX", "default"):
            r = by_status.get(status)
            if r is not None:
                media = r.media
                if media is not None and media.kind == "json" and media.type is not None:
                    return f"_runtime.ErrorModel(401, {media.type.code}, {pystr(media.name)})"
                return "_runtime.ErrorModel(401, None)"
        return "None"

    def router(self, group: ir.Group) -> str:
        types = [t for op in group.operations for t in _op_types(op)]
        fastapi_names = {"APIRouter", "Response"}
        if any(ops.negotiates(op) for op in group.operations):
            fastapi_names.add("Request")
        for op in group.operations:
            for p in op.parameters:
                fastapi_names.add(
                    {"path": "Path", "query": "Query", "header": "Header", "cookie": "Cookie"}[p.location]
                )
            if op.body is not None:
                if op.body.media.fields:
                    fastapi_names.add("Form")
                    if any(f.is_file for f in op.body.media.fields):
                        fastapi_names.update({"File", "UploadFile"})
                else:
                    fastapi_names.add("Form" if op.body.media.kind in ("form", "multipart") else "Body")
            if op.security:
                fastapi_names.add("Depends")
        extra = [("fastapi", n) for n in fastapi_names]
        if any(self.route_parameters(op) for op in group.operations):
            extra.append(("typing", "Annotated"))
        if any("MISSING" in line for op in group.operations for line in self.route_parameters(op)) or any(
            ops.form_body(op) and "MISSING" in (ops.form_body(op) or "") for op in group.operations
        ):
            extra.append(("pydantic", "MISSING"))
        return self.template(
            "router.py.jinja",
            group=group,
            group_label=_label(group),
            imports=import_block(types, extra),
            result_names=sorted(r.class_name for op in group.operations for r in op.responses),
            result_spec=_result_spec,
            primary_spec=lambda op: _result_spec(op, op.primary) if op.primary is not None else "None",
            route_keywords=ops.route_keywords,
            styled=ops.styled,
            error_model=self.error_model,
            route_parameters=self.route_parameters,
            form_body=ops.form_body,
            call_arguments=ops.call_arguments,
            negotiates=ops.negotiates,
        )

    def interface(self, group: ir.Group) -> str:
        types = [t for op in group.operations for t in _op_types(op)]
        exported = []
        for op in group.operations:
            for r in op.responses:
                if r.headers:
                    exported.append(f"{r.class_name}Headers")
                exported.append(r.class_name)
            exported.append(op.result_name)
        doc = f"Implement this for {_label(group)}."
        if group.description:
            doc = f"{group.description}\n\n{doc}"
        return self.template(
            "interface.py.jinja",
            group=group,
            group_label=_label(group),
            imports=import_block(types),
            exported=sorted(exported),
            interface_doc=doc,
            interface_parameters=lambda op: ops.interface_parameters(op, self.schemes),
            result_union=ops.result_union,
            result_fields=ops.result_fields,
            operation_doc=_operation_doc,
            style=self.style,
        )

    def models(self) -> str:
        try:
            source = render_models(self.api.models, self.result.formats, self.header, self.api.package)
        except ModelEngineError as exc:
            raise ProblemsError([self._engine_problem(exc)]) from None
        names = sorted(set(re.findall(r"^class (\w+)", source, re.M)))
        return source.rstrip() + "\n\n__all__ = [" + ", ".join(pystr(n) for n in names) + "]\n"

    def _engine_problem(self, exc: ModelEngineError) -> Problem:
        """The model engine refused a schema the validator let through: say which, and why."""
        found = re.search(r"schema path '#/components/schemas/([^']+)'", str(exc))
        pointer = self.api.origins.get(found.group(1), "") if found else ""
        reason = str(exc).split("\n", 1)[0]
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, ValidationError):  # the engine's reading of the schema: what broke
                reason = "; ".join(
                    f"{'/'.join(map(str, e['loc'])) or 'schema'}: {e['msg']}" for e in cause.errors()[:3]
                )
                break
            cause = cause.__cause__ or cause.__context__
        return Problem.at("schema.engine", f"the model engine cannot read this schema: {reason}", pointer)

    def files(self) -> dict[str, str]:
        """Everything but ``models.py`` and ``formats.py``, which the model engine decides."""
        api = self.api
        out = {
            "__init__.py": self.template("package_init.py.jinja"),
            "security.py": self.security.source,
            "app.py": self.template("app.py.jinja", recursion_depth=depth_needed(api.models)),
            "routers/__init__.py": self.template("routers_init.py.jinja", groups=api.groups),
            "interfaces/__init__.py": self.template("interfaces_init.py.jinja", groups=api.groups),
        }
        for group in api.groups:
            out[f"interfaces/{group.module}.py"] = self.interface(group)
            out[f"routers/{group.module}.py"] = self.router(group)
        out["examples.py"] = self.template("examples.py.jinja", examples=self.examples())
        for name in RUNTIME_FILES:
            text = resources.files("codegen.render.runtime").joinpath(name).read_text(encoding="utf-8")
            out[name] = self.header + text
        return out

    def examples(self) -> list[tuple[str, str]]:
        from codegen.pytypes import UnsupportedSchema, literal

        found = []
        for op in self.api.operations:
            if op.primary is not None and op.primary.example is not None:
                try:
                    found.append((op.python_name, literal(op.primary.example)))
                except UnsupportedSchema:
                    continue
        return found

    def model_files(self) -> dict[str, str]:
        models = self.models()  # the model engine registers the last format aliases
        aliases = self.result.formats.used
        markers = sorted({a.definition.split(", ")[1].split("(")[0] for a in aliases})
        imports = import_block([ir.TypeExpr("", frozenset(i for a in aliases for i in a.imports))])
        files = {"models.py": models}
        files["formats.py"] = self.template("formats.py.jinja", aliases=aliases, markers=markers, imports=imports)
        return files


def render_package(
    result: BuildResult,
    *,
    version: str,
    inputs: dict[str, bytes],
    interface_style: str = "any",
    formatter: Callable[[dict[str, str]], dict[str, str]] = format_sources,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, str]:
    renderer = _Renderer(result, version, inputs, interface_style)
    progress("rendering routers and interfaces")
    # Routers and interfaces are formatted by ruff in a child process while the model engine
    # runs. (Rendering them in a forked child as well saved no time on two cores, and the
    # child's copy-on-write pages cost GitHub's API 60 MB.)
    routes = Formatting(renderer.files()) if formatter is format_sources else None
    progress("generating models (datamodel-code-generator)")
    try:
        models = renderer.model_files()
    except BaseException:
        if routes is not None:
            routes.cancel()
        raise
    progress("formatting")
    files = formatter(models)
    files.update(routes.result() if routes is not None else formatter(renderer.files()))
    files["py.typed"] = ""
    return dict(sorted(files.items()))
