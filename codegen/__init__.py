"""codegen: a schema-first code generation pipeline for FastAPI services.

An OpenAPI document is the contract; codegen validates it, generates a typed Python package
(Pydantic models, FastAPI routers, one interface per tag, an app factory) and checks that the
app built from that package still says exactly what the contract says.
"""

# The one place the version is written: setuptools reads it (pyproject.toml, dynamic version),
# the CLI shows it, the cache keys on it; CHANGELOG.md and the release tag (v0.2.0) follow it.
__version__ = "0.2.0"

__all__ = ["__version__"]
