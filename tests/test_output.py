from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from codegen import output
from codegen.output import GENERATED_MARK, compare, recover, write_package
from codegen.problems import ProblemsError

FILES = {
    "__init__.py": f"{GENERATED_MARK} x\n",
    "models.py": f"{GENERATED_MARK} x\nA = 1\n",
    "sub/mod.py": f"{GENERATED_MARK}\n",
}


def test_write_then_compare_finds_nothing(tmp_path: Path) -> None:
    write_package(tmp_path, "pkg", FILES)
    assert not compare(tmp_path / "pkg", FILES).any
    changed = {**FILES, "models.py": f"{GENERATED_MARK} x\nA = 2\n", "new.py": "x"}
    del changed["sub/mod.py"]
    changes = compare(tmp_path / "pkg", changed)
    assert (changes.changed, changes.added, changes.removed) == (("models.py",), ("new.py",), ("sub/mod.py",))


def test_rewrite_replaces_exactly_and_leaves_no_staging(tmp_path: Path) -> None:
    write_package(tmp_path, "pkg", FILES)
    write_package(tmp_path, "pkg", {"__init__.py": f"{GENERATED_MARK} y\n"})
    assert sorted(p.name for p in (tmp_path / "pkg").rglob("*")) == ["__init__.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_a_folder_codegen_did_not_write_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg/handwritten.py").write_text("print('mine')\n")
    with pytest.raises(ProblemsError, match=r"holds files codegen did not write: handwritten\.py"):
        write_package(tmp_path, "pkg", FILES)
    assert (tmp_path / "pkg/handwritten.py").read_text() == "print('mine')\n"


def test_a_user_file_inside_a_generated_package_is_not_deleted(tmp_path: Path) -> None:
    write_package(tmp_path, "pkg", FILES)
    (tmp_path / "pkg/notes.py").write_text("mine\n")
    with pytest.raises(ProblemsError, match=r"notes\.py"):
        write_package(tmp_path, "pkg", FILES)
    assert (tmp_path / "pkg/notes.py").exists()


def test_failure_while_writing_keeps_the_previous_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_package(tmp_path, "pkg", FILES)
    before = {p: p.read_bytes() for p in (tmp_path / "pkg").rglob("*") if p.is_file()}
    calls = []

    def full_disk(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    monkeypatch.setattr(output, "_write_file", full_disk)
    with pytest.raises(
        ProblemsError, match=r"writing failed \(No space left on device\); the previous package is unchanged"
    ):
        write_package(tmp_path, "pkg", {**FILES, "models.py": "changed"})
    assert {p: p.read_bytes() for p in (tmp_path / "pkg").rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_interrupt_while_writing_keeps_the_previous_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_package(tmp_path, "pkg", FILES)

    def interrupted(path: Path, text: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "_write_file", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_package(tmp_path, "pkg", {"__init__.py": "new"})
    assert (tmp_path / "pkg/models.py").read_text() == FILES["models.py"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_killed_process_leaves_the_package_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    write_package(tmp_path, "pkg", FILES)
    script = f"""
import os, sys
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from pathlib import Path
from codegen import output
count = 0
def dying(path, text):
    global count
    count += 1
    if count == 2:
        os._exit(137)  # like SIGKILL: no cleanup runs
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
output._write_file = dying
output.write_package(Path({str(tmp_path)!r}), "pkg", {{"__init__.py": "a", "models.py": "b", "c.py": "c"}})
"""
    done = subprocess.run([sys.executable, "-c", script], check=False)
    assert done.returncode == 137
    assert (tmp_path / "pkg/models.py").read_text() == FILES["models.py"]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "pkg"]
    assert len(leftovers) == 1 and leftovers[0].startswith(".pkg.codegen-staging-")
    recover(tmp_path, "pkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only folders")
def test_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    write_package(tmp_path, "pkg", FILES)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(ProblemsError, match="cannot write to"):
            write_package(tmp_path, "pkg", {"__init__.py": "x"})
    finally:
        tmp_path.chmod(0o755)
    assert (tmp_path / "pkg/models.py").exists()


def test_exchange_failure_falls_back_to_two_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_package(tmp_path, "pkg", FILES)
    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    write_package(tmp_path, "pkg", {"__init__.py": f"{GENERATED_MARK} 2\n"})
    assert (tmp_path / "pkg/__init__.py").read_text() == f"{GENERATED_MARK} 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


def test_unwritable_output_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder does for a user who is not root (tests run as root in CI)."""
    write_package(tmp_path, "pkg", FILES)

    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)  # the module codegen.output writes through
    with pytest.raises(ProblemsError, match=r"cannot write to .*: Permission denied"):
        write_package(tmp_path, "pkg", {"__init__.py": "x"})
    assert (tmp_path / "pkg/models.py").read_text() == FILES["models.py"]
