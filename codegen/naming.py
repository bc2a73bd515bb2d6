"""Spec names to Python names, predictably.

The rules (also in docs/pipeline.md):

* Words are split at any character that is not a letter or digit, and at lower-to-upper case
  changes (``petId`` -> ``pet``, ``Id``); letters are reduced to ASCII (``Café`` -> ``Cafe``).
* Classes are PascalCase with the author's inner capitals kept (``HTTPError`` stays).
  Functions, methods, parameters and modules are snake_case.
* A name that would start with a digit gets a prefix (``Model``/``n``); a keyword, or a name
  the generated module itself uses, gets a suffix (``Model`` for classes, ``_`` otherwise).
* Names that collide after this are told apart with a number, given in the sorted order of
  the original spec names, so reordering a spec never renames anything.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable

__all__ = ["Namespace", "ascii_text", "class_name", "module_name", "snake_name", "words"]

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+[a-z]*")

# Names the generated models module imports or defines; a schema must not shadow them.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Annotated", "Any", "AwareDatetime", "BaseModel", "ConfigDict", "Decimal", "EmailStr",
        "Enum", "Field", "IntEnum", "IPv4Address", "IPv6Address", "Literal", "MISSING",
        "NaiveDatetime", "Optional", "RootModel", "StrEnum", "UUID", "Union", "date", "datetime",
        "time", "timedelta", "None", "True", "False", "Self", "TypeAlias", "Base64Str",
        "SecretStr", "AnyUrl", "Json",
        # FastAPI's own components: a model of the same name would be shadowed in the app's schema
        "ValidationError", "HTTPValidationError",
    }
)  # fmt: skip


def ascii_text(text: str) -> str:
    """Letters reduced to ASCII (``Café`` -> ``Cafe``); what has no ASCII form is dropped."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def words(text: str) -> list[str]:
    return _WORD.findall(ascii_text(text))


def class_name(text: str, *, prefix: str = "Model") -> str:
    parts = words(text)
    name = "".join(p[:1].upper() + p[1:] for p in parts)
    if not name:
        return prefix
    if name[0].isdigit():
        name = prefix + name
    if keyword.iskeyword(name) or name in RESERVED_CLASS_NAMES:
        name += "Model"
    return name


def snake_name(text: str, *, prefix: str = "n") -> str:
    name = "_".join(p.lower() for p in words(text))
    if not name:
        return prefix
    if name[0].isdigit():
        name = f"{prefix}{name}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def module_name(text: str) -> str:
    name = snake_name(text, prefix="m")
    if name in sys.stdlib_module_names or name.startswith("_"):
        name += "_api"
    return name


class Namespace:
    """Hands out unique names in one scope; ``taken`` are names the scope already uses."""

    def __init__(self, taken: Iterable[str] = (), *, fold_case: bool = False) -> None:
        self._fold = fold_case  # modules become files, and file systems may ignore case
        self._used: set[str] = {self._key(n) for n in taken}

    def _key(self, name: str) -> str:
        return name.lower() if self._fold else name

    def free(self, name: str) -> bool:
        return self._key(name) not in self._used

    def claim(self, name: str) -> str:
        """Reserve ``name`` or the first free ``name2``, ``name3``, ..."""
        candidate, n = name, 1
        while self._key(candidate) in self._used:
            n += 1
            candidate = f"{name}_{n}" if name[-1].isdigit() else f"{name}{n}"
        self._used.add(self._key(candidate))
        return candidate

    def assign(self, originals: Iterable[str], convert: Callable[[str], str]) -> dict[str, str]:
        """Names for many originals at once, collisions broken in sorted order of the originals."""
        return {original: self.claim(convert(original)) for original in sorted(set(originals))}
