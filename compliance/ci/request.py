"""What a `check` run was asked to do: command-line flags laid over the project configuration."""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from compliance.ci.config import ProjectConfig
from compliance.common.files import format_for_file
from compliance.errors import UserError
from compliance.read.sources import PAGE_SUFFIXES, InputRef, expand_inputs, is_url


@dataclass(frozen=True)
class CheckRequest:
    inputs: tuple[str, ...]
    rules: tuple[Path, ...]  # empty: the bundled rules
    originals: tuple[Path | str, ...]  # paths, and addresses to sync (`--originals URL`)
    format: str  # the report on stdout
    outputs: tuple[tuple[str, Path], ...]  # further reports: (format, file)
    fail_on: str
    baseline: Path | None
    write_baseline: Path | None
    config: ProjectConfig
    # A bare `--output FILE` on the command line took the report from stdout; reports the
    # configuration names, and FORMAT=FILE outputs, never do.
    stdout_taken: bool = False
    terms: str | None = None  # a rule set applied to every input (--terms, `terms:`)
    terms_origin: str = "--terms"  # "--terms", or the configuration file that gave `terms`
    fail_on_unmatched: bool = False
    warnings: tuple[str, ...] = ()  # what the request means that the user should hear


# A bare --output FILE's report, by the file's extension, when --format does not say.
REPORT_SUFFIXES: dict[str, tuple[str, ...]] = {
    ".json": ("json", "gitlab"),  # GitLab's Code Quality report is JSON too
    ".sarif": ("sarif",),
    ".xml": ("junit",),
    ".md": ("markdown",),
    ".markdown": ("markdown",),
    ".txt": ("terminal", "github"),
}


def parse_output(
    spec: str, default_format: str, where: str = "--output", by_suffix: bool = False
) -> tuple[str, Path]:
    """`FORMAT=FILE`, or a bare FILE for the report chosen with --format (or, with
    `by_suffix`, the one its extension names: report.json is JSON)."""
    from compliance.report import REPORTERS

    name, sep, file = spec.partition("=")
    if sep and name in REPORTERS:
        if not file:
            raise UserError(f"{where} {spec}: give a file after '='")
        return name, Path(file)
    if sep and "/" not in name and "." not in name:
        raise UserError(
            f"{where} {spec}: unknown format '{name}'; the formats are: {', '.join(REPORTERS)}"
        )
    path = Path(spec)
    if by_suffix:
        return format_for_file(path, None, REPORT_SUFFIXES, default_format)[0], path
    return default_format, path


def _bare(spec: str) -> bool:
    from compliance.report import REPORTERS

    name, sep, _file = spec.partition("=")
    return not (sep and name in REPORTERS)


def build_request(
    config: ProjectConfig,
    inputs: list[str] | None,
    rules: list[Path] | None,
    originals: list[str] | None,
    output_format: str | None,
    outputs: list[str] | None,
    fail_on: str | None,
    baseline: Path | None,
    write_baseline: Path | None,
    terms: str | None = None,
    fail_on_unmatched: bool = False,
) -> CheckRequest:
    """Flags win; settings the flags leave out come from the configuration file."""
    spec = config.spec
    bare = [o for o in outputs or [] if _bare(o)]
    warnings: list[str] = []
    if output_format is None and len(bare) == 1:
        # `--output report.json` alone: the file's extension names the report.
        output_format = parse_output(bare[0], spec.format or "terminal", by_suffix=True)[0]
    chosen_format = output_format or spec.format or "terminal"
    for spec_text in bare:
        # A bare file gets the --format report: its extension must be able to hold it.
        warning = format_for_file(Path(spec_text), chosen_format, REPORT_SUFFIXES, chosen_format)[1]
        if warning:
            warnings.append(warning)
    if outputs:
        parsed = [parse_output(o, chosen_format) for o in outputs]
    else:  # paths written in the configuration are relative to it
        where = f"{config.path}: output"
        parsed = [
            (fmt, config.resolve(str(path)))
            for fmt, path in (parse_output(o, chosen_format, where) for o in spec.output)
        ]
    return CheckRequest(
        inputs=tuple(inputs or ()),
        rules=tuple(rules) if rules else tuple(config.resolve(r) for r in spec.rules),
        originals=tuple(_given(o) for o in originals)
        if originals
        else tuple(_configured_originals(config)),
        format=chosen_format,
        outputs=tuple(parsed),
        fail_on=fail_on or spec.fail_on or "error",
        baseline=baseline or (config.resolve(spec.baseline) if spec.baseline else None),
        write_baseline=write_baseline,
        config=config,
        stdout_taken=bool(bare),
        terms=terms or spec.terms,
        terms_origin="--terms" if terms or not spec.terms else _named(config),
        fail_on_unmatched=fail_on_unmatched or spec.fail_on_unmatched,
        warnings=tuple(warnings),
    )


def _given(entry: str) -> Path | str:
    """An `--originals` value: an address or an `ID=...` declaration as written, else a path."""
    from compliance.archive.declared import split_declared

    return entry if is_url(entry) or split_declared(entry)[0] else Path(entry)


def _configured_originals(config: ProjectConfig) -> list[Path | str]:
    """The configuration's originals, paths resolved against its directory; an entry with
    `terms` is written as `ID=PATH`, as on the command line."""
    from compliance.archive.declared import split_declared
    from compliance.ci.config import OriginalsEntry

    found: list[Path | str] = []
    for entry in config.spec.originals:
        terms, where = (
            (entry.terms, entry.path)
            if isinstance(entry, OriginalsEntry)
            else split_declared(entry)
        )
        place: Path | str = where if is_url(where) else config.resolve(where)
        found.append(f"{terms}={place}" if terms else place)
    return found


def _named(config: ProjectConfig) -> str:
    return config.path.name if config.path else "the configuration"


def select_inputs(request: CheckRequest) -> tuple[list[InputRef], list[str]]:
    """The inputs named, or the configuration's `include` patterns; less its `exclude`.
    With them, a line for each directory named saying what its walk left out.

    Raises UserError when nothing is found; returns no inputs when all found are excluded.
    """
    config = request.config
    spec, root = config.spec, config.root
    skipped: list[str] = []
    if request.inputs:
        refs = expand_inputs(request.inputs, skipped)
    elif spec.include:
        found = sorted(
            {
                p
                for pattern in spec.include
                for p in root.glob(pattern)
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES
            }
        )
        # Named as the configuration writes them, so reports and baseline fingerprints do not
        # depend on the directory the check runs from.
        refs = [InputRef(config.relative(p), path=p) for p in found]
    else:
        raise UserError(
            "no pages to check: name files, directories or URLs, or set `include`"
            " in the configuration"
        )

    def excluded(ref: InputRef) -> bool:
        names = [ref.label] + ([config.relative(ref.path)] if ref.path else [])
        return any(fnmatchcase(n, pattern) for n in names for pattern in spec.exclude)

    if not refs:
        raise UserError(
            "no pages to check: the inputs hold no .html .htm .md .markdown or .txt files"
            if request.inputs
            else "no pages to check: the configuration's `include` patterns match none"
        )
    return [ref for ref in refs if not excluded(ref)], skipped
