from __future__ import annotations

from pathlib import Path

import pytest

from codegen.config import load_config, package_for
from codegen.problems import ProblemsError
from tests.conftest import write


def test_defaults_without_pyproject(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert (config.out.name, config.allow_remote_refs, config.interface_style, config.specs) == (
        "generated",
        False,
        "any",
        (),
    )


def test_every_key_is_read(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        """
        [tool.codegen]
        out = "src/gen"
        allow-remote-refs = true
        interface-style = "async"
        specs = ["specs/a.yaml", {path = "specs/b.yaml", package = "billing"}]
        """,
    )
    config = load_config(tmp_path / "sub" if False else tmp_path)
    assert config.out == tmp_path / "src/gen"
    assert config.allow_remote_refs is True
    assert config.interface_style == "async"
    assert [(s.path, s.package) for s in config.specs] == [
        (tmp_path / "specs/a.yaml", None),
        (tmp_path / "specs/b.yaml", "billing"),
    ]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('outt = "x"', "outt: unknown key"),
        ("allow-remote-refs = 1", "allow-remote-refs: must be true or false"),
        ('interface-style = "threads"', "interface-style: must be one of any, async, sync"),
        ('specs = "a.yaml"', "specs: must be a list"),
        ('specs = [{path = "a.yaml", pkg = "x"}]', "specs[0].pkg: unknown key"),
        (
            'specs = [{path = "a.yaml", package = "not valid"}]',
            "specs[0].package: 'not valid' is not a Python identifier",
        ),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, table: str, message: str) -> None:
    write(tmp_path / "pyproject.toml", f"[tool.codegen]\n{table}\n")
    with pytest.raises(ProblemsError) as caught:
        load_config(tmp_path)
    assert message in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("spec", "package"),
    [("specs/shipping.yaml", "shipping"), ("Pet-Store.v2.json", "pet_store"), ("json.yaml", "json_api")],
)
def test_package_name_from_the_spec_stem(spec: str, package: str) -> None:
    assert package_for(Path(spec)) == package


def test_cli_flags_override_the_config(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL, run_cli

    write(tmp_path / "pyproject.toml", '[tool.codegen]\nout = "gen"\ninterface-style = "async"\nspecs = ["api.yaml"]\n')
    write(tmp_path / "api.yaml", MINIMAL)
    assert run_cli("generate", cwd=tmp_path).exit_code == 0
    interfaces = "".join(p.read_text() for p in (tmp_path / "gen/api/interfaces").glob("*.py"))
    assert "async def " in interfaces
    result = run_cli("generate", "--interface-style", "sync", "--out", "other", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    interfaces = "".join(p.read_text() for p in (tmp_path / "other/api/interfaces").glob("*.py"))
    assert "async def " not in interfaces
    assert "    def " in interfaces
    bad = run_cli("generate", "--interface-style", "threads", cwd=tmp_path)
    assert bad.exit_code == 2
    assert "interface-style" in bad.stderr
