"""codegen: a schema-first code generation pipeline for FastAPI services.

An OpenAPI document is the contract; codegen validates it, generates a typed Python package
(Pydantic models, FastAPI routers, one interface per tag, an app factory) and checks that the
app built from that package still says exactly what the contract says.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
