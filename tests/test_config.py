from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from codegen.config import load_config, package_for
from codegen.problems import ProblemsError
from tests.conftest import MINIMAL, run_cli, write


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
        library = true
        serve = "billing_service.main:app"
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
    assert (config.library, config.serve, config.discovered) == (True, "billing_service.main:app", False)


PARTS = "components:\n  schemas:\n    Thing: {type: object}\n"  # a file other specs $ref: no `openapi` key


def _specs_folder(root: Path) -> None:
    write(root / "specs/pets.yaml", MINIMAL)
    write(root / "specs/Store.v2.json", json.dumps(yaml.safe_load(MINIMAL)))
    write(root / "specs/parts.yaml", PARTS)
    write(root / "specs/notes.txt", "openapi: not a spec file\n")
    write(root / "specs/more/deeper.yaml", MINIMAL)  # only documents directly in specs/


def test_without_specs_every_openapi_document_in_specs_is_generated(tmp_path: Path) -> None:
    _specs_folder(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nout = "gen"\n')
    config = load_config(tmp_path)
    assert [s.path.name for s in config.specs] == ["Store.v2.json", "pets.yaml"]
    assert config.discovered
    result = run_cli("generate", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "gen").iterdir()) == ["pets", "store"]
    assert run_cli("generate", "--check", cwd=tmp_path).exit_code == 0
    listed = run_cli("config", "packages", cwd=tmp_path)
    assert (listed.exit_code, listed.stdout) == (0, "store\npets\n")


def test_a_project_without_pyproject_generates_its_specs_folder(tmp_path: Path) -> None:
    _specs_folder(tmp_path)
    result = run_cli("generate", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "generated").iterdir()) == ["pets", "store"]


def test_globs_match_openapi_documents_only(tmp_path: Path) -> None:
    _specs_folder(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nspecs = ["specs/**/*.yaml", "specs/*.json"]\n')
    config = load_config(tmp_path)
    assert [s.path.relative_to(tmp_path).as_posix() for s in config.specs] == [
        "specs/more/deeper.yaml",
        "specs/pets.yaml",
        "specs/Store.v2.json",
    ]


def test_a_glob_with_one_package_name_must_match_one_spec(tmp_path: Path) -> None:
    _specs_folder(tmp_path)
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nspecs = [{path = "specs/**/*.yaml", package = "pets"}]\n')
    with pytest.raises(ProblemsError) as caught:
        load_config(tmp_path)
    assert "specs[0].package: 'specs/**/*.yaml' matches 2 specs" in caught.value.problems[0].message


def test_two_specs_for_one_package_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "specs/pets.v1.yaml", MINIMAL)
    write(tmp_path / "specs/pets.v2.yaml", MINIMAL)
    result = run_cli("generate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "specs/pets.v1.yaml and specs/pets.v2.yaml would both be the package 'pets'" in result.stderr
    assert not (tmp_path / "generated").exists()
    explicit = run_cli("generate", "specs/pets.v1.yaml", "specs/pets.v2.yaml", cwd=tmp_path)
    assert explicit.exit_code == 2
    assert "two SPECs would both be the package 'pets'" in explicit.stderr


def test_the_makefile_reads_packages_out_and_the_app_to_serve(tmp_path: Path) -> None:
    write(tmp_path / "specs/pets.yaml", MINIMAL)
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nout = "src/gen"\nserve = "pets_service.main:app"\n')
    assert run_cli("config", "out", cwd=tmp_path).stdout == "src/gen\n"
    assert run_cli("config", "serve", cwd=tmp_path).stdout == "pets_service.main:app\n"
    assert run_cli("config", "reload-dirs", cwd=tmp_path).stdout.splitlines()[0] == "src/gen"
    write(tmp_path / "pyproject.toml", "[tool.codegen]\n")
    missing = run_cli("config", "serve", cwd=tmp_path)
    assert missing.exit_code == 2
    assert "no [tool.codegen] serve" in missing.stderr


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('outt = "x"', "outt: unknown key"),
        ("allow-remote-refs = 1", "allow-remote-refs: must be true or false"),
        ('interface-style = "threads"', "interface-style: must be one of any, async, sync"),
        ('specs = "a.yaml"', "specs: must be a list"),
        ('specs = [{path = "a.yaml", pkg = "x"}]', "specs[0].pkg: unknown key"),
        ('specs = ["nothing/*.yaml"]', "specs[0]: 'nothing/*.yaml' matches no OpenAPI document"),
        ("library = 1", "library: must be true or false"),
        ('serve = "main.app"', "serve: must be MODULE:ATTR"),
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
