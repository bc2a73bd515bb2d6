"""Proactive content negotiation (RFC 9110, section 12.5.1): which of the media types the spec
declares for a response to send, given the request's ``Accept`` header.

Each offered type gets the quality of the most specific range that matches it (``text/plain``
over ``text/*`` over ``*/*``; a range with parameters over one without); ``q=0`` excludes it.
The best quality wins and ties keep the spec's order, so a client that states no preference
gets the spec's first media type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["MediaRange", "acceptable", "negotiate", "parse_accept"]


@dataclass(frozen=True, slots=True)
class MediaRange:
    type: str  # lower case; "*" for any
    subtype: str
    params: tuple[tuple[str, str], ...]  # other than q, lower-cased names
    q: float

    @property
    def specificity(self) -> int:
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str) -> bool:
        kind, subtype, params = _split(media_type)
        if self.type not in ("*", kind):
            return False
        if self.subtype not in ("*", subtype):
            return False
        offered = dict(params)
        return all(offered.get(name) == value for name, value in self.params)


def _split(media_type: str) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    head, *raw_params = media_type.split(";")
    kind, _, subtype = head.strip().lower().partition("/")
    params = []
    for raw in raw_params:
        name, _, value = raw.partition("=")
        if name.strip():
            params.append((name.strip().lower(), value.strip().strip('"')))
    return kind, subtype, tuple(params)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` value; a malformed range or weight is left out (it
    names nothing that could be matched)."""
    ranges = []
    for part in header.split(","):
        if not part.strip():
            continue
        kind, subtype, params = _split(part)
        if not kind or not subtype or (kind == "*" and subtype != "*"):
            continue
        q = 1.0
        rest = []
        bad = False
        for name, value in params:
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    bad = True
                if not 0 <= q <= 1:
                    bad = True
            else:
                rest.append((name, value))
        if not bad:
            ranges.append(MediaRange(kind, subtype, tuple(rest), q))
    return ranges


def _quality(ranges: Sequence[MediaRange], media_type: str) -> float:
    best: MediaRange | None = None
    for candidate in ranges:
        if candidate.matches(media_type) and (best is None or candidate.specificity > best.specificity):
            best = candidate
    return best.q if best is not None else 0.0


def negotiate(accept: str | None, offered: Sequence[str]) -> str | None:
    """The offered media type to send (in the spec's order on ties), or None when the client
    accepts none of them. No ``Accept`` (or one that names nothing parseable) accepts anything."""
    if not offered:
        return None
    if accept is None or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best: tuple[float, str] | None = None
    for media_type in offered:
        q = _quality(ranges, media_type)
        if q > 0 and (best is None or q > best[0]):
            best = (q, media_type)
    return best[1] if best is not None else None


def acceptable(accept: str | None, media_type: str) -> bool:
    """Whether the client accepts ``media_type`` at all."""
    return negotiate(accept, (media_type,)) is not None
