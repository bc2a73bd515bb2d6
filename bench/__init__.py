"""Benchmarks and corpus runs: ``make bench`` (``python -m bench``). Not part of the tests."""

from pathlib import Path

MARK = "<!-- figures -->"


def record(page: Path, title: str, text: str) -> None:
    """Replace the figures of a docs page (everything after its mark), keeping its prose."""
    head = page.read_text().split(MARK)[0] if page.exists() else f"# {title}\n\n"
    page.write_text(f"{head}{MARK}\n\n{text.rstrip()}\n")
