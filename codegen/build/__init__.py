"""The build stage: the bundled, validated document in, the IR out, as passes over data.

1. :func:`codegen.build.formats.format_table`: an alias for every format the spec uses;
2. the naming pass (:mod:`codegen.build.names`): every class named, in a fixed order, into a
   frozen plan keyed by JSON pointer;
3. with the plan: security schemes (:mod:`.security`), operations with their parameters,
   bodies, responses and requirements (:mod:`.operations`, :mod:`.parameters`,
   :mod:`.content`), their groups, and the model view the model engine receives
   (:mod:`.models`). Each is a function that returns ``(value, problems)``.

Constructs FastAPI cannot express are kept out of the app's behaviour claims and reported as
warnings, so the drift check can count them honestly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from codegen import ir
from codegen.build.context import Context, text
from codegen.build.formats import Formats, format_table
from codegen.build.models import Out
from codegen.build.names import Plan, Recorder, escape_ref, operation_names
from codegen.build.operations import build_operations, groups
from codegen.build.schema import deref
from codegen.build.security import build_schemes
from codegen.problems import Problem, ProblemsError, Severity

__all__ = ["BuildResult", "build_api", "plan_names"]


@dataclass(frozen=True, slots=True)
class BuildResult:
    api: ir.Api
    formats: Formats
    problems: list[Problem] = field(default_factory=list)


def plan_names(document: dict[str, Any], formats: Formats) -> Plan:
    """The naming pass: the build run once with a recorder, which keeps only the names."""
    components = (document.get("components") or {}).get("schemas") or {}
    names = sorted(components) if isinstance(components, dict) else []
    recorder = Recorder.start(document, names)
    recorder.operations.update(operation_names(document, set(recorder.components.values())))
    ctx = Context.of(document, recorder, formats)

    def meet(pointer: str, cls: str) -> None:
        # a newly named schema: what it holds is named next (depth first, as it is met)
        schema = recorder.schemas.get(pointer)
        if schema is None:
            schema, _ = deref(document, {"$ref": "#" + escape_ref(pointer)}, pointer)
        ctx.view.transform(schema, cls, pointer, Out(), top=True)

    recorder.on_new = meet
    schemes, _ = build_schemes(document)
    build_operations(ctx, recorder.operations, schemes)
    ctx.view.walk_components()
    return recorder.freeze()


def build_api(document: dict[str, Any], *, package: str, spec_name: str) -> BuildResult:
    formats = format_table(document)
    plan = plan_names(document, formats)
    ctx = Context.of(document, plan, formats)
    schemes, problems = build_schemes(document)
    operations, found = build_operations(ctx, dict(plan.operations), schemes)
    problems += found
    variants = sorted({v.name: v for v in plan.variants.values()}.values(), key=lambda v: v.name)
    view, overrides, found = ctx.view.build(dict(plan.classes), dict(plan.schemas), variants)
    problems += found
    info = document.get("info") or {}
    api = ir.Api(
        package=package,
        spec_name=spec_name,
        openapi_version=str(document.get("openapi")),
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        summary=text(info.get("summary")),
        description=text(info.get("description")),
        terms_of_service=text(info.get("termsOfService")),
        contact=info.get("contact") if isinstance(info.get("contact"), dict) else None,
        license=info.get("license") if isinstance(info.get("license"), dict) else None,
        servers=tuple(s for s in document.get("servers") or () if isinstance(s, dict)),
        tags=tuple(t for t in document.get("tags") or () if isinstance(t, dict)),
        external_docs=document.get("externalDocs") if isinstance(document.get("externalDocs"), dict) else None,
        groups=groups(document, operations),
        security_schemes=tuple(schemes.values()),
        models={
            "openapi": document.get("openapi"),
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": view},
            "x-codegen-type-overrides": overrides,
        },
        origins=plan.origins,
        class_names=dict(plan.components),
    )
    if any(p.severity is Severity.ERROR for p in problems):
        raise ProblemsError(problems)
    return BuildResult(api, formats, problems)
