"""The CLI contract: commands, options, messages on stderr, exit codes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_SPEC, FIXTURES, MINIMAL, SPECS, imported, run_cli, write


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of this repository's example project layout."""
    shutil.copytree(SPECS, tmp_path / "specs")
    write(tmp_path / "pyproject.toml", '[tool.codegen]\nout = "generated"\nspecs = ["specs/shipping.yaml"]\n')
    return tmp_path


def test_help_documents_exit_codes() -> None:
    result = run_cli("generate", "--help")
    assert result.exit_code == 0
    for text in ("0 written or up to date", "1 would change", "2", "invalid input", "123 internal error"):
        assert text in " ".join(result.stdout.split())


def test_generate_from_config_then_check_and_diff(project: Path) -> None:
    first = run_cli("generate", cwd=project)
    assert first.exit_code == 0, first.stderr
    assert "generated/shipping: written" in first.stderr
    assert (project / "generated/shipping/app.py").is_file()
    again = run_cli("generate", "--check", cwd=project)
    assert (again.exit_code, again.stdout) == (0, "")
    assert "up to date" in again.stderr
    spec = project / "specs/shipping.yaml"
    spec.write_text(spec.read_text().replace("title: Parcel Shipping API", "title: Parcel Shipping"))
    check = run_cli("generate", "--check", cwd=project)
    assert check.exit_code == 1
    assert "generated/shipping: would change (" in check.stderr
    assert "; run `codegen generate`\n" in check.stderr  # what to do; no Makefile here, so no make target
    assert check.stdout == ""
    diff = run_cli("generate", "--diff", cwd=project)
    assert diff.exit_code == 1
    assert "--- a/generated/shipping/app.py" in diff.stdout
    assert (
        "-        title='Parcel Shipping API'," in diff.stdout or '-        title="Parcel Shipping API",' in diff.stdout
    )
    assert (project / "generated/shipping/app.py").read_text().count("Parcel Shipping API") >= 1  # nothing written


def test_generate_with_spec_out_and_package(tmp_path: Path) -> None:
    spec = write(tmp_path / "Pet Store.yaml", MINIMAL)
    result = run_cli("generate", str(spec), "--out", str(tmp_path / "out"), "--package", "pets", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    with imported(tmp_path / "out", "pets") as pets:
        assert pets.__name__ == "pets"
    result = run_cli("generate", str(spec), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert (tmp_path / "out/pet_store/models.py").is_file()


def test_validate_exit_codes(tmp_path: Path) -> None:
    assert run_cli("validate", str(EXAMPLE_SPEC)).exit_code == 0
    bad = write(tmp_path / "bad.yaml", "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 2
    assert 'bad.yaml:2:1: error: "version" is a required property (#/info) [spec.invalid]' in result.stderr


def test_invalid_spec_writes_nothing(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n")
    result = run_cli("generate", str(bad), "--out", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_spec_and_no_config_is_invalid_input(tmp_path: Path) -> None:
    result = run_cli("generate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no SPEC given and no [tool.codegen] specs" in result.stderr


def test_bad_package_name_is_invalid_input(tmp_path: Path) -> None:
    spec = write(tmp_path / "api.yaml", MINIMAL)
    result = run_cli("generate", str(spec), "--package", "not-valid", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "'not-valid' cannot be a package name" in result.stderr


def test_internal_errors_exit_123_without_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import codegen.pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(codegen.pipeline, "generate", broken)
    spec = write(tmp_path / "api.yaml", MINIMAL)
    result = run_cli("generate", str(spec), "--out", str(tmp_path))
    assert result.exit_code == 123
    assert "internal error: RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_drift_and_diff_exit_codes(project: Path) -> None:
    assert run_cli("generate", cwd=project).exit_code == 0
    clean = run_cli("drift", cwd=project)
    assert clean.exit_code == 0, clean.stdout
    assert "0 breaking, 0 warning, 1 info" in clean.stdout
    strict = run_cli("drift", "--fail-on", "info", cwd=project)
    assert strict.exit_code == 1
    old = project / "specs/shipping.yaml"
    new = project / "specs/shipping-new.yaml"
    new.write_text(old.read_text().replace("maximum: 100", "maximum: 50"))
    changed = run_cli("diff", str(old), str(new), cwd=project)
    assert changed.exit_code == 1
    assert "BREAKING schema.maximum: maximum 100 in the base, 50 in the revision" in changed.stdout
    assert run_cli("diff", str(old), str(old), cwd=project).exit_code == 0


def test_version() -> None:
    result = run_cli("--version")
    assert (result.exit_code, result.stdout.startswith("codegen ")) == (0, True)


def test_check_names_the_command_that_writes(project: Path) -> None:
    (project / "Makefile").write_text("generate:\n\tcodegen generate\n")
    stale = run_cli("generate", "--check", cwd=project)
    assert stale.exit_code == 1
    assert "; run `codegen generate` (make generate)" in stale.stderr
    given = run_cli("generate", "specs/shipping.yaml", "--out", "other dir", "--library", "--check", cwd=project)
    assert given.exit_code == 1
    assert "; run `codegen generate specs/shipping.yaml --out 'other dir' --library`\n" in given.stderr


def test_quiet_drift_says_nothing_unless_it_fails(project: Path) -> None:
    assert run_cli("generate", "-q", cwd=project).exit_code == 0
    quiet = run_cli("drift", "-q", cwd=project)
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert "0 breaking, 0 warning, 1 info" in run_cli("drift", cwd=project).stdout  # not quiet: the report
    assert run_cli("drift", "-q", "--format", "json", cwd=project).stdout.startswith("{")  # asked for by name
    failing = run_cli("drift", "-q", "--fail-on", "info", cwd=project)
    assert failing.exit_code == 1
    assert "(info) response.validation-422" in failing.stdout


def test_an_in_process_run_leaves_the_sigterm_handler_as_it_was(project: Path) -> None:
    import signal

    before = signal.getsignal(signal.SIGTERM)
    assert run_cli("generate", "-q", cwd=project).exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before


def test_warnings_stay_warnings_when_validation_comes_from_the_cache(tmp_path: Path) -> None:
    """Issue 15: the cache kept problems without their severity, so the second run of a spec
    with only warnings failed (exit 2) on what the first run had reported as a warning."""
    spec = write(
        tmp_path / "api.yaml",
        r"""
        openapi: 3.0.3
        info: {title: t, version: '1'}
        paths: {}
        components:
          schemas:
            Name: {type: string, pattern: '^[\p{L} ]+$'}
        """,
    )
    runs = [
        run_cli("generate", str(spec), "--out", str(tmp_path / out), "--package", "names", cwd=tmp_path)
        for out in ("first", "second")  # two targets: the second run cannot be answered by the output cache
    ]
    assert list((tmp_path / ".cache").rglob("validation/*.json")), "the first run filled the validation cache"
    for result in runs:
        assert result.exit_code == 0, result.stderr
        assert re.search(r"api\.yaml:\d+:\d+: warning: pattern .* is not Python syntax", result.stderr), result.stderr
    validated = run_cli("validate", str(spec), cwd=tmp_path)
    assert validated.exit_code == 0, validated.stderr
    assert "warning: pattern" in validated.stderr


def test_warnings_of_the_schema_plan_reach_the_user() -> None:
    """Issue 17: the builder copied the plan's problems before the plan had any, so this enum
    value was dropped from the model without the warning the code promises."""
    spec = FIXTURES / "fidelity" / "enum-of-wrong-type.yaml"
    result = run_cli("validate", str(spec))
    assert result.exit_code == 0, result.stderr
    [line] = [line for line in result.stderr.splitlines() if "warning:" in line]
    assert re.match(
        r".*enum-of-wrong-type\.yaml:22:23: warning: enum value \{\"override\": true\} is not of type", line
    )
    assert (
        "(#/paths/~1vehicles/get/responses/200/content/application~1json/schema/properties/reasons/items/enum)" in line
    )


def test_a_discriminator_mapping_to_nowhere_is_a_located_warning(tmp_path: Path) -> None:
    """Issue 14: a mapping target that resolves nowhere (valid for openapi-spec-validator)
    refused the spec or vanished silently; it is a warning, and the union has no such branch."""
    spec = FIXTURES / "warned" / "unresolved-discriminator-mapping.yaml"  # the app cannot say what is nowhere
    result = run_cli("generate", str(spec), "--out", str(tmp_path), "--package", "pets")
    assert result.exit_code == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert [re.sub(r"^.*?(\d+:\d+): .*\(#(.*)\).*$", r"\1 \2", line) for line in warnings] == [
        "28:11 /components/schemas/Pet/discriminator/mapping/bird",
        "29:11 /components/schemas/Pet/discriminator/mapping/fish",
    ], result.stderr
    assert all("does not resolve" in line for line in warnings), warnings
    with imported(tmp_path, "pets"):
        from fastapi.testclient import TestClient

        app = __import__("pets.app", fromlist=["create_app"]).create_app()
        pet = TestClient(app).get("/openapi.json").json()["components"]["schemas"]["Pet"]
    assert sorted(pet["discriminator"]["mapping"]) == ["cat", "dog"]
    assert len(pet["oneOf"]) == 2
