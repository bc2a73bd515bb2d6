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
from typing import Any

import jinja2
from pydantic import ValidationError

from codegen import ir
from codegen.build import BuildResult
from codegen.build.formats import ENGINE_ALIASES, FormatAlias, Formats, type_format_pairs
from codegen.problems import Problem, ProblemsError
from codegen.render import operations as ops
from codegen.render.code import docstring, header, pystr
from codegen.render.format import Formatting, format_sources
from codegen.render.library import render_pyproject
from codegen.render.models import ModelEngineError, render_models
from codegen.render.pysource import NotAValue, Param, expr, import_lines, literal, needs, source
from codegen.render.recursion import depth_needed
from codegen.render.security import security_module

__all__ = ["MANIFEST", "render_package", "spec_digest"]

MANIFEST = "_manifest.py"  # what the package was generated from: the only file that names the spec's hash


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
        autoescape=False,  # noqa: S701 - the output is Python; spec text goes through pystr/docstring/expr
    )
    env.filters["pystr"] = pystr
    env.filters["docstring"] = docstring
    env.filters["pyliteral"] = literal
    env.filters["pytype"] = source
    env.filters["expr"] = expr
    return env


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


def _result_types(op: ir.Operation) -> list[ir.Type]:
    """Every type the results of an operation hold (for the interface's imports)."""
    types: list[ir.Type] = []
    for r in op.responses:
        if r.media is not None and r.media.type is not None:
            types.append(r.media.type)
        types.extend(h.type for h in r.headers)
    return types


class _Renderer:
    def __init__(self, result: BuildResult, version: str, inputs: dict[str, bytes], style: str) -> None:
        self.result = result
        self.style = style
        self.api = result.api
        self.env = _environment()
        self.header = header(self.api.spec_name)
        self.version = version
        self.inputs = inputs
        self.schemes = {s.python_name: s for s in self.api.security_schemes}
        self.security = security_module(self.api)

    def template(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(header=self.header, api=self.api, **context)

    def route_params(self, op: ir.Operation) -> list[Param]:
        dependency = self.security.by_requirement.get((op.security, op.optional_security)) if op.security else None
        return ops.route_params(op, dependency, self.schemes)

    def router(self, group: ir.Group) -> str:
        needed: set[tuple[str, str]] = {("fastapi", "APIRouter"), ("fastapi", "Response")}
        for op in group.operations:
            needed |= needs(
                [
                    self.route_params(op),
                    ops.route_keywords(op),
                    ops.styled(op),
                    ops.error_model(op),
                    ops.unauthenticated_model(op),
                    [ops.result_spec(r) for r in op.responses],
                ]
            )
            if any(f.optional and f.file for f in ops.form_fields(op) or ()):
                needed.add(("pydantic", "MISSING"))
            if any(not p.required and not p.has_default for p in op.parameters) or (
                op.body is not None and not op.body.media.fields and not op.body.required
            ):
                needed.add(("pydantic", "MISSING"))
        return self.template(
            "router.py.jinja",
            group=group,
            group_label=_label(group),
            imports=import_lines(needed),
            result_names=sorted(r.class_name for op in group.operations for r in op.responses),
            result_spec=ops.result_spec,
            route_keywords=ops.route_keywords,
            styled=ops.styled,
            error_model=ops.error_model,
            unauthenticated_model=ops.unauthenticated_model,
            route_params=self.route_params,
            form_fields=ops.form_fields,
            negotiates=ops.negotiates,
        )

    def interface(self, group: ir.Group) -> str:
        exported = []
        needed: set[tuple[str, str]] = set()
        for op in group.operations:
            needed |= needs([ops.interface_params(op, self.schemes), _result_types(op)])
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
            imports=import_lines(needed),
            exported=sorted(exported),
            interface_doc=doc,
            interface_params=lambda op: ops.interface_params(op, self.schemes),
            result_union=ops.result_union,
            result_fields=ops.result_fields,
            operation_doc=_operation_doc,
            style=self.style,
        )

    def security_source(self) -> str:
        needed = needs(
            [[value for _, value in self.security.objects], [list(d.params) for d in self.security.dependencies]]
        )
        return self.template("security.py.jinja", module=self.security, imports=import_lines(needed))

    def models(self) -> str:
        try:
            source_text = render_models(self.api.models, self.result.formats, self.header, self.api.package)
        except ModelEngineError as exc:
            raise ProblemsError([self._engine_problem(exc)]) from None
        names = sorted(set(re.findall(r"^class (\w+)", source_text, re.MULTILINE)))
        return source_text.rstrip() + "\n\n__all__ = [" + ", ".join(pystr(n) for n in names) + "]\n"

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
            "__init__.py": self.template("package_init.py.jinja", codegen_version=self.version),
            "security.py": self.security_source(),
            "app.py": self.template("app.py.jinja", recursion_depth=depth_needed(api.models)),
            "routers/__init__.py": self.template("routers_init.py.jinja", groups=api.groups),
            "interfaces/__init__.py": self.template("interfaces_init.py.jinja", groups=api.groups),
        }
        for group in api.groups:
            out[f"interfaces/{group.module}.py"] = self.interface(group)
            out[f"routers/{group.module}.py"] = self.router(group)
        out["examples.py"] = self.template("examples.py.jinja", examples=self.examples())
        out[MANIFEST] = self.template(
            "manifest.py.jinja",
            version=self.version,
            digest=spec_digest(self.inputs),
            inputs=sorted((key, hashlib.sha256(data).hexdigest()) for key, data in self.inputs.items()),
        )
        return out

    def examples(self) -> list[tuple[str, str]]:
        found = []
        for op in self.api.operations:
            if op.primary is not None and op.primary.example is not None:
                try:
                    found.append((op.python_name, literal(op.primary.example)))
                except NotAValue:
                    continue
        return found

    def model_files(self) -> dict[str, str]:
        aliases = used_aliases(self.api, self.result.formats)
        needed = needs([a.definition for a in aliases])
        files = {"models.py": self.models()}
        files["formats.py"] = self.template(
            "formats.py.jinja",
            aliases=aliases,
            imports=import_lines(needed | {("typing", "TypeAlias")} if aliases else needed),
        )
        return files


def used_aliases(api: ir.Api, formats: Formats) -> list[FormatAlias]:
    """The format aliases generated code refers to: in the routes' and interfaces' types, and in
    the model view (the engine's type manager maps its formats to them, and its overrides)."""
    names: set[str] = set()
    todo: list[Any] = [[*_route_types(op)] for op in api.operations]
    while todo:
        node = todo.pop()
        if isinstance(node, ir.Named):
            if node.module == "formats":
                names.add(node.name)
        elif isinstance(node, ir.Generic):
            todo += [node.origin, *node.args]
        elif isinstance(node, ir.UnionOf):
            todo += node.members
        elif isinstance(node, ir.AnnotatedOf):
            todo.append(node.base)
        elif isinstance(node, list):
            todo += node
    pairs = type_format_pairs(api.models.get("components"))
    for (kind, fmt, text), alias in formats.aliases.items():
        if not text and (kind, fmt) in ENGINE_ALIASES and (kind, fmt) in pairs:
            names.add(alias.name)
    names |= set(api.models.get("x-codegen-type-overrides", {}).values())
    return formats.by_name(names)


def _route_types(op: ir.Operation) -> list[ir.Type]:
    types = [p.type for p in op.parameters]
    if op.body is not None:
        if op.body.media.type is not None:
            types.append(op.body.media.type)
        types.extend(f.type for f in op.body.media.fields)
    return types + _result_types(op)


def render_package(
    result: BuildResult,
    *,
    version: str,
    inputs: dict[str, bytes],
    interface_style: str = "any",
    library: bool = False,
    formatter: Callable[[dict[str, str]], dict[str, str]] = format_sources,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, str]:
    renderer = _Renderer(result, version, inputs, interface_style)
    progress("rendering routers and interfaces")
    # Routers and interfaces are formatted by ruff in a child process while the model engine
    # runs. (Rendering them in a forked child as well saved no time on two cores, and the
    # child's copy-on-write pages cost GitHub's API 60 MB.)
    routes = Formatting(renderer.files()) if formatter is format_sources else None
    try:
        progress("generating models (datamodel-code-generator)")
        models = renderer.model_files()
        progress("formatting")
        files = formatter(models)
        files.update(routes.result() if routes is not None else formatter(renderer.files()))
    except BaseException:  # a failure, or a signal as an exit: the formatter's scratch files go too
        if routes is not None:
            routes.cancel()
        raise
    files["py.typed"] = ""
    if library:
        files["pyproject.toml"] = render_pyproject(result.api, renderer.header)
    return dict(sorted(files.items()))
