"""Every spelling the drift check treats as meaning the same: the only differences that are not
findings. Default-deny: whatever is not named here is compared, and a difference is reported.

Each id is cited in the code that applies it, listed in docs/drift.md ("What is the same"),
and proven by at least one hand-written pair in ``tests/drift/pairs/`` whose verdict is "no
finding" (``tests/drift/test_pairs.py`` fails if an id has none).
"""

from __future__ import annotations

__all__ = ["EQUIVALENCES"]

EQUIVALENCES: dict[str, str] = {
    # schemas (codegen.drift.normalize)
    "ref": "`$ref` is followed: component names do not matter, only structure; recursive schemas compare as graphs",
    "ref-siblings-3.0": "in OpenAPI 3.0, keywords beside `$ref` are ignored, as the 3.0 spec says; in 3.1 they apply too",
    "nullable": "3.0 `nullable: true`, 3.1 `type: [X, null]`, and `anyOf`/`oneOf` with a `{type: null}` branch all mean X or null",
    "exclusive-bounds": "3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` beside `minimum`/`maximum` are the numeric 3.1 forms",
    "const-enum": "`const: x` is `enum: [x]`; order and repetition of enum values do not matter; 1 and 1.0 are one number",
    "enum-decides": "beside an enum only its values matter: values the other keywords refuse are unreachable, and keywords every value meets (type, bounds, lengths, pattern, format) say nothing more",
    "implied-type": "a schema with object keywords (`properties`, `additionalProperties`, …) and no `type` is an object, and one with `items` and no `type` an array, as OpenAPI tools read them (JSON Schema alone would let other types through: the check does not hold an app to that)",
    "inapplicable": "keywords for another type than the schema's (`maxLength` on an integer) constrain nothing",
    "format-lengths": "`minLength` 0 or 1 beside a format that is never empty (date-time, date, uuid, email, uri, ...), and length bounds a fixed-length format meets (uuid: 36, date: 10), say nothing more",
    "trivial": "keywords at their neutral value say nothing: `minLength`/`minItems`/`minProperties` 0, `uniqueItems: false`, `required: []`, `additionalProperties`/`items` `true` or `{}`, empty `properties`",
    "integer-number": "integer is a number: `type: [integer, number]` is number",
    "binary": "`format: binary` is `contentMediaType: application/octet-stream`; `format: byte` is `contentEncoding: base64`",
    "all-of": "`allOf` parts that merge exactly are one schema (types meet, the tighter bound wins, properties and required join): what a Pydantic subclass documents",
    "one-branch": "`anyOf`/`oneOf`/`allOf` of one schema is that schema; `anyOf` inside `anyOf` flattens",
    "distribute": "keywords beside `anyOf`/`oneOf` apply to every branch: `{properties: P, anyOf: [B1, B2]}` is `anyOf: [P and B1, P and B2]`",
    "union-of-types": "`anyOf`/`oneOf` of branches of pairwise different types, each with keywords of its own type only, is one schema of those types",
    "exclusive-union": "`oneOf` and `anyOf` are the same when no value can match two branches (different types, different values of a required property, or a discriminator)",
    "polymorphism": "a schema with a discriminator that other components extend through `allOf` stands, where it is used, for one of those components (OpenAPI's discriminator)",
    "discriminator-tag": "in a branch of a discriminated union, the tag property is required and holds the branch's mapping values",
    "implicit-mapping": "a discriminator without `mapping` maps each alternative's component name to it",
    "discriminator-alone": "a discriminator beside no alternatives says nothing",
    "xml-elsewhere": "the `xml` keyword outside an XML media type (a JSON body, a parameter) says nothing",
    "annotations": "annotations are not compared: `title`, `description`, `example(s)`, `$comment`, `externalDocs`, `$id`, `$schema`, `$anchor`, `$defs`, `x-*`",
    "undeclared-property": "a property declared with the schema `additionalProperties` gives it anyway (any, when that is absent) is the same as not declaring it",
    "read-only-required": "readOnly properties are not required in requests, writeOnly ones not in responses (OpenAPI)",
    # documents (codegen.drift.documents)
    "path-names": "paths match with their parameter names ignored; the names are compared apart (`parameter.name`)",
    "ignored-headers": "header parameters named Accept, Content-Type or Authorization are not parameters (OpenAPI), nor is a Content-Type response header",
    "parameter-defaults": "style, explode and required at their defaults for the location are the same as left out; path parameters are required",
    "media-type-names": "media type names compare case-insensitively and without spaces; a charset parameter of a JSON media type says nothing",
    "no-schema": "content without a schema is content with the schema `{}`",
    "security-inherited": "an operation without `security` has the document's",
    "fastapi-invented": "summaries and operationIds FastAPI makes up from function names, where the spec has none",
    "fastapi-422": "FastAPI's automatic 422 and its validation-error schemas, where the spec declares no 422 (info, counted apart)",
    "fastapi-200": "FastAPI's response for the route's own status, where the spec gives only `default` or ranges (info; its content is compared with the range's)",
    "no-body-status": "content declared for a 1xx, 204 or 304 response, which HTTP never sends (info)",
    "default-server": "no `servers` is `servers: [{url: /}]`",
    "openapi-version": "the `openapi` and `jsonSchemaDialect` fields: both dialects are translated into one before comparing",
    "components-where-used": "schemas, parameters, responses, bodies, headers and examples of `components` are compared where operations use them; their names, and unused ones, do not matter (security schemes are all compared)",
}
