"""The ``codegen`` command: the only module that prints or exits.

Exit codes (every command):

====  =====================================================================
0     ok: valid, up to date, no drift at or above ``--fail-on``
1     ``generate --check`` would change files; ``drift``/``diff`` found drift
2     invalid input: a spec, a config file, an option
123   internal error (a bug in codegen: please report it)
====  =====================================================================

Messages go to stderr; diffs and reports go to stdout.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from codegen import __version__
from codegen.config import SPECS_FOLDER, Config, SpecEntry, load_config, package_for
from codegen.problems import Problem, ProblemsError, Severity, by_position

if TYPE_CHECKING:
    from codegen.pipeline import Outcome

__all__ = ["app", "main"]

EXIT_OK, EXIT_CHANGED, EXIT_INVALID, EXIT_INTERNAL = 0, 1, 2, 123
WARNINGS_SHOWN = 20

app = typer.Typer(
    name="codegen",
    help="Schema-first code generation for FastAPI: validate, generate, and check for drift.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"
    junit = "junit"


class InterfaceStyle(StrEnum):
    any = "any"
    async_ = "async"
    sync = "sync"


class FailOn(StrEnum):
    breaking = "breaking"
    warning = "warning"
    info = "info"


# --------------------------------------------------------------------------- terminal


class Terminal:
    """Colour and progress on a terminal; plain, quiet output in CI, in pipes, or with NO_COLOR."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        interactive = sys.stderr.isatty() and os.environ.get("CI") is None
        self.color = interactive and os.environ.get("NO_COLOR") is None and os.environ.get("TERM") != "dumb"
        self.live = interactive and not quiet
        self.started = time.monotonic()
        self._line = False

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def progress(self, stage: str) -> None:
        elapsed = f"{time.monotonic() - self.started:5.1f}s"
        if self.verbose:
            self.clear()
            print(f"{elapsed} {stage}", file=sys.stderr)
        elif self.live:
            print(f"\r\033[K{self.paint(elapsed, '2')} {stage}", end="", file=sys.stderr, flush=True)
            self._line = True

    def clear(self) -> None:
        if self._line:
            print("\r\033[K", end="", file=sys.stderr, flush=True)
            self._line = False

    def say(self, text: str) -> None:
        self.clear()
        if not self.quiet:
            print(text, file=sys.stderr)

    def warnings(self, warnings: Sequence[Problem], sources: object) -> None:
        """Show warnings (the first few unless --verbose), located in the spec's files."""
        if self.quiet or not warnings:
            return
        locate = getattr(sources, "locate", None)
        located = by_position(locate(warnings) if locate is not None else warnings)
        shown = located if self.verbose else located[:WARNINGS_SHOWN]
        self.problems(shown)
        hidden = located[len(shown) :]
        if hidden:
            counts = Counter(p.code for p in hidden)
            kinds = ", ".join(f"{code}: {n}" for code, n in counts.most_common())
            self.say(f"... and {len(hidden)} more warnings ({kinds}); --verbose shows them all")

    def problems(self, problems: Sequence[Problem]) -> None:
        self.clear()
        for problem in by_position(problems):
            if self.quiet and problem.severity is Severity.WARNING:
                continue
            line = problem.render()
            if self.color:
                level = problem.severity.value
                line = line.replace(f": {level}: ", f": {self.paint(level, '31;1' if level == 'error' else '33')}: ", 1)
            print(line, file=sys.stderr)


@contextmanager
def _guard(term: Terminal) -> Iterator[None]:
    """Turn every failure into a message and one of the documented exit codes."""
    try:
        yield
    except typer.Exit:
        raise
    except ProblemsError as exc:
        term.problems(exc.problems)
        raise typer.Exit(EXIT_INVALID) from None
    except KeyboardInterrupt:
        term.say("interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # noqa: BLE001 - anything else is our bug
        from codegen.pipeline import internal_error

        term.problems([internal_error(exc)])
        if term.verbose:
            traceback.print_exc()
        term.say("this is a bug in codegen; please report it with the spec that caused it")
        raise typer.Exit(EXIT_INTERNAL) from None


def _options(config: Config, term: Terminal) -> object:
    from codegen.pipeline import Options

    return Options(
        allow_remote_refs=config.allow_remote_refs,
        interface_style=config.interface_style,
        library=config.library,
        progress=term.progress,
    )


def _entries(specs: list[Path] | None, config: Config, package: str | None) -> list[SpecEntry]:
    if specs:
        if package and len(specs) > 1:
            raise ProblemsError([Problem("cli.package", "--package needs exactly one SPEC")])
        entries = [SpecEntry(s, package) for s in specs]
        names = [package_for(e.path, e.package) for e in entries]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ProblemsError([Problem("cli.package", f"two SPECs would both be the package {twice[0]!r}")])
        return entries
    if not config.specs:
        where = config.source or "pyproject.toml"
        raise ProblemsError(
            [
                Problem(
                    "cli.no-specs",
                    f"no SPEC given and no [tool.codegen] specs in {where}, "
                    f"nor an OpenAPI document directly in {_display(config.root / SPECS_FOLDER)}/",
                )
            ]
        )
    if package:
        raise ProblemsError([Problem("cli.package", "--package needs a SPEC")])
    return [entry for entry, _ in config.packages()]


def _version(value: bool) -> None:
    if value:
        print(f"codegen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Schema-first code generation for FastAPI."""


Quiet = Annotated[
    bool, typer.Option("--quiet", "-q", help="Only errors (drift, diff: the text report only when it fails).")
]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Every stage, with timings; tracebacks on bugs.")]
Remote = Annotated[
    bool | None,
    typer.Option("--allow-remote-refs/--no-remote-refs", help="Fetch http(s) $refs (default: from config, else no)."),
]


# --------------------------------------------------------------------------- commands


@app.command()
def validate(
    specs: Annotated[list[Path], typer.Argument(help="Spec files (YAML or JSON).", show_default=False)],
    allow_remote_refs: Remote = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Validate specs; list every problem with file:line:col and JSON pointer.

    Exit codes: 0 valid, 2 invalid, 123 internal error.
    """
    from codegen.pipeline import Options
    from codegen.pipeline import validate as validate_spec

    term = Terminal(quiet=quiet, verbose=verbose)
    with _guard(term):
        config = load_config().with_overrides(allow_remote_refs=allow_remote_refs)
        failed = False
        for spec in specs:
            problems = validate_spec(spec, Options(allow_remote_refs=config.allow_remote_refs, progress=term.progress))
            term.problems(problems)
            errors = sum(p.severity is Severity.ERROR for p in problems)
            failed = failed or errors > 0
            term.say(f"{spec}: {'invalid, ' + str(errors) + ' error(s)' if errors else 'valid'}")
        raise typer.Exit(EXIT_INVALID if failed else EXIT_OK)


@app.command()
def generate(
    specs: Annotated[
        list[Path] | None,
        typer.Argument(help="Spec files; default: every spec in [tool.codegen], else in specs/.", show_default=False),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Output folder (default: [tool.codegen] out, else generated).")
    ] = None,
    package: Annotated[
        str | None, typer.Option(help="Package name (default: the spec file's stem, snake_case).")
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the output would change.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Write nothing; print a unified diff to stdout.")] = False,
    watch: Annotated[
        bool,
        typer.Option("--watch", help="Keep running: regenerate when a spec or a file it $refs changes (Ctrl-C stops)."),
    ] = False,
    library: Annotated[
        bool | None,
        typer.Option(
            "--library/--no-library",
            help="Also write a pyproject.toml: the package as an installable distribution (default: from config).",
        ),
    ] = None,
    interface_style: Annotated[
        InterfaceStyle | None,
        typer.Option(help="What implementation methods may be: any, async or sync (default: from config, else any)."),
    ] = None,
    allow_remote_refs: Remote = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Generate a package per spec: models, routers, interfaces and an app factory.

    Exit codes: 0 written or up to date, 1 would change (--check/--diff),
    2 invalid input, 123 internal error, 130 interrupted.
    """
    term = Terminal(quiet=quiet, verbose=verbose)
    # SIGTERM as Ctrl-C: the run unwinds through its cleanups (the formatter's scratch files,
    # a half-written staging folder) instead of ending past them.
    with _guard(term), _on_sigterm(_interrupt_on_sigterm):
        config = load_config().with_overrides(
            out=out,
            allow_remote_refs=allow_remote_refs,
            interface_style=interface_style and interface_style.value,
            library=library,
        )
        if watch and (check or diff):
            raise ProblemsError([Problem("cli.watch", "--watch writes; it cannot be combined with --check or --diff")])
        entries = _entries(specs, config, package)
        again = _again(specs, out, package, interface_style, library, allow_remote_refs, config)
        if watch:
            _watch(entries, config, term)
        changed = False
        for entry in entries:
            outcome = _generate_one(entry, config, term, write=not (check or diff), diff=diff, again=again)
            changed = changed or not outcome.up_to_date
        raise typer.Exit(EXIT_CHANGED if changed and (check or diff) else EXIT_OK)


@contextmanager
def _on_sigterm(handler: Callable[[int, object], NoReturn]) -> Iterator[None]:
    """``handler`` for SIGTERM while the block runs (only the main thread can set one)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt_on_sigterm(signum: int, frame: object) -> NoReturn:
    raise KeyboardInterrupt


def _again(
    specs: list[Path] | None,
    out: Path | None,
    package: str | None,
    style: InterfaceStyle | None,
    library: bool | None,
    remote: bool | None,
    config: Config,
) -> str:
    """The command that writes what ``--check`` found stale: this one, without --check/--diff."""
    import shlex

    words = ["codegen", "generate", *(str(s) for s in specs or ())]
    for flag, value in (("--out", out), ("--package", package), ("--interface-style", style and style.value)):
        if value is not None:
            words += [flag, str(value)]
    for switch, on, off in (
        (library, "--library", "--no-library"),
        (remote, "--allow-remote-refs", "--no-remote-refs"),
    ):
        if switch is not None:
            words.append(on if switch else off)
    command = f"`{shlex.join(words)}`"
    makefile = config.root / "Makefile"
    try:
        has_target = len(words) == 2 and any(line.startswith("generate:") for line in makefile.read_text().splitlines())
    except OSError:
        has_target = False
    return f"run {command} (make generate)" if has_target else f"run {command}"


def _generate_one(entry: SpecEntry, config: Config, term: Terminal, *, write: bool, diff: bool, again: str) -> Outcome:
    from codegen.output import unified_diff
    from codegen.pipeline import generate as run

    name = package_for(entry.path, entry.package)
    outcome = run(entry.path, name, config.out, _options(config, term), write=write)  # type: ignore[arg-type]
    term.warnings(outcome.warnings, outcome.sources)
    label = _display(outcome.target)
    if outcome.up_to_date:
        term.say(f"{label}: up to date")
        return outcome
    c = outcome.changes
    summary = f"{len(c.changed)} changed, {len(c.added)} added, {len(c.removed)} removed"
    if write:
        term.say(f"{label}: written ({summary})")
    else:
        term.say(f"{label}: would change ({summary}); {again}")
        if diff and outcome.files is not None:
            sys.stdout.writelines(unified_diff(outcome.target, outcome.files, label))
    return outcome


def _watch(entries: list[SpecEntry], config: Config, term: Terminal) -> NoReturn:
    """Generate, then regenerate each spec whose files change; until Ctrl-C or SIGTERM."""
    from codegen.watch import spec_folder_files, stamps, wait_for_change

    inputs: dict[Path, tuple[Path, ...]] = {}  # spec -> the files it was read from, once it loaded

    def attempt(entry: SpecEntry) -> None:
        try:
            outcome = _generate_one(entry, config, term, write=True, diff=False, again="")
            inputs[entry.path] = outcome.inputs
        except ProblemsError as exc:  # a broken spec is reported, and watched until it is fixed
            term.problems(exc.problems)
            term.say(f"{_display(entry.path)}: not generated; waiting for a change")

    def watched_files(entry: SpecEntry) -> list[Path]:
        known = inputs.get(entry.path)
        return [entry.path.resolve(), *(known if known is not None else spec_folder_files(entry.path))]

    # Stamps are taken before each generation, so an edit made while it runs shows as a change.
    baseline = stamps(path for entry in entries for path in watched_files(entry))
    pending = list(entries)
    while True:
        for entry in pending:
            attempt(entry)
        files = {entry.path: watched_files(entry) for entry in entries}
        new = [path for paths in files.values() for path in paths if path not in baseline]
        watched = {**stamps(new), **{p: baseline[p] for paths in files.values() for p in paths if p in baseline}}
        term.say(f"watching {len(watched)} files of {len(entries)} spec(s) for changes (Ctrl-C stops)")
        changed, baseline = wait_for_change(watched)
        term.say(f"changed: {', '.join(sorted(_display(p) for p in changed))}")
        pending = [entry for entry in entries if changed & set(files[entry.path])]


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Report format.")]
FailOnOption = Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a finding is at least this severe.")]
IgnoreOption = Annotated[
    Path | None,
    typer.Option(
        "--ignore", help="Accepted findings (YAML list of {rule, where, reason}); default: .codegen-drift-ignore.yaml"
    ),
]


def _ignore_rules(path: Path | None, config: Config) -> list[object]:
    from codegen.drift import load_ignore

    if path is None:
        default = config.root / ".codegen-drift-ignore.yaml"
        return list(load_ignore(default)) if default.is_file() else []
    return list(load_ignore(path))


def _emit(term: Terminal, report: object, fmt: Format, fail_on: FailOn) -> int:
    from codegen.drift import Report, Severity, render_report

    assert isinstance(report, Report)
    failed = report.at_least(Severity[fail_on.name.upper()])
    if term.quiet and fmt is Format.text and not failed:
        return EXIT_OK  # -q: a text report only when it fails (the other formats are asked for by name)
    color = term.color and fmt is Format.text and sys.stdout.isatty()
    sys.stdout.write(
        render_report(
            report.findings, fmt.value, report.title, report.ignored, color, mode=report.mode, verbose=term.verbose
        )
    )
    return EXIT_CHANGED if failed else EXIT_OK


@app.command()
def drift(
    specs: Annotated[
        list[Path] | None, typer.Argument(help="Spec files; default: every spec in [tool.codegen].", show_default=False)
    ] = None,
    app_target: Annotated[
        str | None,
        typer.Option(
            "--app", help="MODULE:ATTR of the service's own app (or app factory); default: the generated package."
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Where generated packages are (default: from config).")] = None,
    package: Annotated[str | None, typer.Option(help="The generated package (default: from the spec's name).")] = None,
    fmt: FormatOption = Format.text,
    fail_on: FailOnOption = FailOn.warning,
    ignore: IgnoreOption = None,
    allow_remote_refs: Remote = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Compare each spec with what FastAPI derives from the app's routes and models.

    Exit codes: 0 no drift at or above --fail-on, 1 drift, 2 invalid input, 123 internal error.
    """
    from codegen.drift import check_drift, check_package_drift
    from codegen.drift.appschema import load_app

    term = Terminal(quiet=quiet, verbose=verbose)
    with _guard(term):
        config = load_config().with_overrides(out=out, allow_remote_refs=allow_remote_refs)
        out_dir, remote = config.out, config.allow_remote_refs
        rules = _ignore_rules(ignore, config)
        status = EXIT_OK
        for entry in _entries(specs, config, package):
            term.progress(f"building the app for {entry.path}")
            if app_target is not None:
                target = load_app(app_target, search=Path.cwd())
                term.progress("comparing")
                report = check_drift(entry.path, target, ignore=rules, allow_remote=remote)  # type: ignore[arg-type]
            else:
                name = package_for(entry.path, entry.package)
                report = check_package_drift(entry.path, name, out_dir, ignore=rules, allow_remote=remote)  # type: ignore[arg-type]
            term.clear()
            status = max(status, _emit(term, report, fmt, fail_on))
        raise typer.Exit(status)


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="The spec as it was (e.g. on the main branch).", show_default=False)],
    new: Annotated[Path, typer.Argument(help="The spec as it is now.", show_default=False)],
    fmt: FormatOption = Format.text,
    fail_on: FailOnOption = FailOn.breaking,
    ignore: IgnoreOption = None,
    allow_remote_refs: Remote = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Compare two versions of a spec; grade each change for clients built from OLD.

    Exit codes: 0 nothing at or above --fail-on, 1 found, 2 invalid input, 123 internal error.
    """
    from codegen.drift import check_diff

    term = Terminal(quiet=quiet, verbose=verbose)
    with _guard(term):
        config = load_config().with_overrides(allow_remote_refs=allow_remote_refs)
        report = check_diff(old, new, ignore=_ignore_rules(ignore, config), allow_remote=config.allow_remote_refs)  # type: ignore[arg-type]
        raise typer.Exit(_emit(term, report, fmt, fail_on))


@app.command()
def serve(
    spec: Annotated[Path, typer.Argument(help="The spec to serve.", show_default=False)],
    mock: Annotated[bool, typer.Option("--mock", help="Answer every operation with examples or made-up data.")] = False,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    allow_remote_refs: Remote = None,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Serve a spec with uvicorn; with --mock, before any implementation exists.

    Exit codes: 0 stopped, 2 invalid input, 123 internal error.
    """
    import tempfile

    from codegen.drift.appschema import load_app
    from codegen.pipeline import generate as run

    term = Terminal(quiet=quiet, verbose=verbose)
    # SIGTERM ends the process by default, past every cleanup: the scratch package (and the
    # formatter's scratch files, while generating) would stay behind. As an exit, it unwinds
    # through them. Installed before anything is written; uvicorn, while it serves, shuts
    # down gracefully on SIGTERM and then raises the signal again, which lands here.
    with _guard(term), _on_sigterm(_exit_on_sigterm):
        if not mock:
            raise ProblemsError([Problem("cli.serve", "serve needs --mock (serve your own app with uvicorn)")])
        config = load_config().with_overrides(allow_remote_refs=allow_remote_refs)
        import signal

        # From the start, not only once uvicorn runs: a SIGTERM while the mock is still being
        # generated (seconds, on a busy machine) ended the process with its scratch folders
        # left behind. uvicorn shuts down gracefully on SIGTERM, then raises the signal again
        # for the default handler, which would end the process before the scratch folder goes.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        with tempfile.TemporaryDirectory(prefix="codegen-serve-") as tmp:
            name = package_for(spec)
            run(spec, name, Path(tmp), _options(config, term), write=True)  # type: ignore[arg-type]
            server_app = load_app(f"{name}.app:create_mock_app", search=Path(tmp))
            term.clear()
            term.say(f"serving a mock of {spec} on http://{host}:{port} (docs at /docs)")
            import uvicorn

            uvicorn.run(server_app, host=host, port=port, log_level="warning" if quiet else "info")
        raise typer.Exit(EXIT_OK)


def _exit_on_sigterm(signum: int, frame: object) -> NoReturn:
    raise SystemExit(EXIT_OK)


CONFIG_KEYS = ("packages", "out", "serve", "reload-dirs")


@app.command("config", hidden=True)
def config_value(
    key: Annotated[str, typer.Argument(help=f"One of {', '.join(CONFIG_KEYS)}.", show_default=False)],
    app_target: Annotated[
        str | None, typer.Option("--app", help="MODULE:ATTR instead of [tool.codegen] serve.")
    ] = None,
) -> None:
    """For the Makefile: one value of the configuration, one item a line on stdout.

    packages: the generated packages' names; out: the output folder; serve: the app
    (MODULE:ATTR) `make run` serves; reload-dirs: the folders a reloading server watches
    (the output folder and the served app's own package).
    """
    term = Terminal()
    with _guard(term):
        if key not in CONFIG_KEYS:
            raise ProblemsError([Problem("cli.config", f"unknown key {key!r} (known: {', '.join(CONFIG_KEYS)})")])
        config = load_config().with_overrides(serve=app_target or None)
        if key == "packages":
            values = [name for _, name in config.packages()]
        elif key == "out":
            values = [_display(config.out)]
        elif key == "serve":
            values = [config.serve_target()]
        else:
            values = [_display(path) for path in (config.out, *config.app_folders())]
        for value in values:
            print(value)
        raise typer.Exit(EXIT_OK)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the ``codegen`` console script."""
    code: int | str | None = 0
    try:
        app(args=list(argv) if argv is not None else None, prog_name="codegen")
    except SystemExit as exc:
        code = exc.code
    # A big spec leaves a heap of millions of objects; tearing it down one by one at exit
    # takes seconds and achieves nothing, so flush and leave (the work is done and written).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else EXIT_INTERNAL))
