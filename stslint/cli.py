"""The command line: a thin click layer over the engine, the catalog and the reporters.

Exit codes: 0 no findings; 1 at least one finding (input errors count); 2 usage, configuration
or internal error (one line on stderr; a traceback only with STSLINT_DEBUG=1).
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

import click

from stslint import __version__
from stslint.reporting import FORMATS, plural

if TYPE_CHECKING:
    from stslint.context import Context

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
STATISTICS_FORMATS = ("text", "full", "json")


def _fail(message: str) -> None:
    """Stop with a one-line usage/configuration error (exit 2)."""
    raise click.UsageError(message)


def _config_fail(message: str) -> NoReturn:
    """Stop with ``stslint: <file>:<line>: <message>`` on stderr and exit 2 (a configuration error)."""
    from stslint.reporting import safe_text

    click.echo(f"stslint: {safe_text(message)}", err=True)
    sys.exit(EXIT_ERROR)


class _Choice(click.Choice):  # type: ignore[type-arg]
    """A choice whose error for a near miss ends ``did you mean "sarif"?``."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            import difflib

            close = difflib.get_close_matches(str(value), [str(choice) for choice in self.choices], n=1, cutoff=0.6)
            if close:
                exc.message = f'{exc.message.rstrip(".")}; did you mean "{close[0]}"?'
            raise


def _namespace_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``-n``: a Kubernetes namespace name, checked as the configuration's ``namespace`` is."""
    if value is None:
        return None
    from stslint.config_validation import namespace_problem

    problem = namespace_problem(value)
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    return value


def _kubernetes_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``--kubernetes-version``: a Kubernetes release, checked as the configuration's ``kubernetes-version`` is."""
    if value is None:
        return None
    from stslint.kubernetes import version_problem

    problem = version_problem(value)
    if problem is not None:
        raise click.BadParameter(problem, ctx, param)
    return value


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, invoke_without_command=True,
             no_args_is_help=False, subcommand_metavar="COMMAND [ARGS]...")
@click.version_option(__version__, "--version", prog_name="stslint", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """stslint: lint Kubernetes StatefulSet manifests for the pitfalls that lose data or break
    stateful apps (governing Services, selectors, probes, storage reclaim policies, API versions)."""
    if ctx.invoked_subcommand is None:  # plain `stslint`: a usage error (one line, exit 2), not the help
        assert isinstance(ctx.command, click.Group)
        names = ctx.command.list_commands(ctx)
        raise click.UsageError(f"missing command; usage: stslint COMMAND [ARGS]..., where COMMAND is "
                               f"{', '.join(names[:-1])} or {names[-1]}", ctx)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, readable=False))  # unreadable: STS004
@click.option("--format", "output_format", type=_Choice(list(FORMATS)), default=None,
              help="Output format (default: text; github when GITHUB_ACTIONS=true).")
@click.option("--output-file", "-o", metavar="PATH", type=click.Path(allow_dash=True),
              help="Write the report to PATH instead of standard output.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per code instead of the findings (with text, full or json).")
@click.option("--color", type=_Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text formats (auto: only on a terminal, and not when NO_COLOR is set).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), metavar="PATH",
              help="Read this configuration file instead of discovering .stslint.yaml/.stslint.yml/pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore every configuration file.")
@click.option("--fail-on", type=_Choice(["error", "warning"]), default=None,
              help="Exit 1 only for findings at or above this severity (default: warning; input errors are "
                   "errors).")
@click.option("--fail-on-empty/--no-fail-on-empty", default=None,
              help="Exit 1 when the run reads no Kubernetes object (a gate pointed at the wrong path); the "
                   "configuration's fail-on-empty is not applied in hook mode.")
@click.option("--exit-zero", is_flag=True,
              help="Exit 0 whatever was found (usage and configuration errors still exit 2).")
@click.option("--select", metavar="RULES", help="Comma-separated codes, prefixes (STS3), names or ALL to report.")
@click.option("--extend-select", metavar="RULES", help="Rules to report in addition to the selected ones.")
@click.option("--ignore", metavar="RULES", help="Comma-separated codes, prefixes or names not to report.")
@click.option("--namespace", "-n", metavar="NS", callback=_namespace_name,
              help="Namespace of objects that carry none (what kubectl apply -n NS would give them).")
@click.option("--kubernetes-version", metavar="VERSION", callback=_kubernetes_version,
              help="The Kubernetes release the manifests target (1.29 or v1.29): STS501 and STS502 report only "
                   "APIs removed at or before it (default: the newest release stslint knows).")
@click.option("--stdin-filename", metavar="PATH",
              help="The file name to report for standard input (-); with no path, standard input is read.")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help="Refuse larger files as unreadable (default 64 MiB).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--context", "context_paths", multiple=True, metavar="PATH",
              type=click.Path(exists=True, allow_dash=False),
              help="Load manifests there (file or directory, repeatable) only to resolve references; "
                   "findings are reported for the checked files only.")
@click.option("--context-git", is_flag=True,
              help="Use as context every manifest git ls-files lists in the work tree of the checked files.")
@click.option("--no-cache", is_flag=True,
              help="Do not read or write the context cache (kept in git's directory, .git/stslint-cache, or "
                   "outside git in ~/.cache/stslint).")
@click.option("--force-exclude", is_flag=True,
              help="Apply the configuration's exclude and the walk's skips (hidden files, Chart.yaml, a chart's "
                   "templates/) to files named on the command line too (pre-commit).")
@click.option("--render", "render_mode", type=_Choice(["auto", "always", "never"]), default=None,
              help="Render Helm charts and build kustomize overlays: auto (default: when an engine is installed), "
                   "always (a missing engine is an error), never (templates skipped, patches not objects).")
@click.option("--values", "values_files", multiple=True, metavar="FILE", type=click.Path(dir_okay=False),
              help="Helm values file for the charts rendered (repeatable; as helm template --values).")
@click.option("--set", "set_values", multiple=True, metavar="KEY=VALUE",
              help="Helm value for the charts rendered (repeatable; as helm template --set).")
@click.option("--release-name", metavar="NAME", help="Helm release name the charts are rendered with "
                                                     "(default release-name, as helm template).")
@click.option("--verbose", "-v", is_flag=True,
              help="Report on stderr the configuration file in use and which context files were loaded or skipped.")
@click.option("--hook", is_flag=True,
              help="Hook mode (pre-commit): every later argument that names an existing path is a file name, "
                   "whatever it looks like, and options that write files (-o) are refused.")
@click.option("--fix", "apply_fixes", is_flag=True,
              help="Apply the safe fixes in place, then report what is left (as stslint fix).")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff: also apply fixes that change immutable fields or behaviour.")
@click.option("--diff", is_flag=True,
              help="Print the fixes as a unified diff and write nothing; exit 1 when there is something to fix.")
@click.option("--add-noqa", is_flag=True,
              help="Write a disable-line comment at every current finding (disable-next-line above a line that "
                   "ends inside a multi-line value); .json files are skipped.")
@click.option("--noqa-reason", metavar="TEXT", help="The reason --add-noqa writes after the codes (after \" -- \").")
@click.option("--baseline", "baseline_path", metavar="FILE",
              help="Report only the findings beyond this baseline (configuration: baseline).")
@click.option("--write-baseline", "write_baseline_path", metavar="FILE",
              help="Record the current findings in FILE as the baseline (line-independent fingerprints) and exit.")
def check(paths: tuple[str, ...], output_format: str | None, output_file: str | None, statistics: bool,
          color: str, select: str | None, extend_select: str | None,
          ignore: str | None, namespace: str | None, stdin_filename: str | None,
          max_file_size: int | None, quiet: bool, context_paths: tuple[str, ...], context_git: bool,
          no_cache: bool, force_exclude: bool, verbose: bool, config_path: str | None = None,
          isolated: bool = False, fail_on: str | None = None, exit_zero: bool = False, hook: bool = False,
          fail_on_empty: bool | None = None, policy_paths: tuple[str, ...] = (), apply_fixes: bool = False,
          unsafe_fixes: bool = False, diff: bool = False, add_noqa: bool = False, noqa_reason: str | None = None,
          baseline_path: str | None = None, write_baseline_path: str | None = None, render_mode: str | None = None,
          values_files: tuple[str, ...] = (), set_values: tuple[str, ...] = (),
          release_name: str | None = None, kubernetes_version: str | None = None) -> None:
    """Lint manifests: files, directories or - for stdin. No path means the current directory
    (standard input with --stdin-filename).

    A directory walk reads *.yaml, *.yml, *.json and Kustomization files; it skips hidden files and
    directories, a Helm chart's Chart.yaml and templates/, and the configuration's exclude. A file
    named on the command line is always read, unless --force-exclude is given. A document that is
    not a Kubernetes object (Helm values, CI files, a list, a scalar) is passed over silently.

    With an engine installed (stslint[helm], stslint[kustomize]), Helm charts are rendered and
    kustomize overlays built instead, offline, and findings reported at the template or patch line
    (see --render); a rendered stream on stdin is mapped by its "# Source:" lines."""
    from stslint.api import lint_paths
    from stslint.config import ConfigError, resolve_config
    from stslint.context import ContextRequest
    from stslint.engine import RunWarning
    from stslint.reporting import ReportOptions, color_enabled, report, safe_text
    from stslint.selection import SelectionError, input_error_selectors, split_list

    if config_path is not None and isolated:
        _fail("--config and --isolated cannot be combined")
    if hook and output_file is not None:
        _fail("--output-file is refused in hook mode (--hook): a committed file name could ask for it")
    if hook and (write_baseline_path is not None or add_noqa):
        _fail(f"{'--write-baseline' if write_baseline_path is not None else '--add-noqa'} is refused in hook mode "
              "(--hook): a committed file name could ask for it")
    fixing = apply_fixes or diff
    if add_noqa and (fixing or write_baseline_path is not None):
        _fail("--add-noqa cannot be combined with --fix, --diff or --write-baseline")
    if fixing and write_baseline_path is not None:
        _fail("--write-baseline records what a check finds; run it without --fix or --diff (stslint fix first)")
    if noqa_reason is not None and not add_noqa:
        _fail("--noqa-reason is given without --add-noqa")
    if unsafe_fixes and not fixing:
        _fail("--unsafe-fixes applies fixes only with --fix or --diff (or stslint fix)")
    if stdin_filename is not None and paths and "-" not in paths:
        _fail("--stdin-filename names standard input, which is not among the paths; add - to read it")
    if stdin_filename is not None and not paths:
        paths = ("-",)
    if select is not None and not split_list(select):
        _fail("--select names no rule; expected codes, prefixes (STS3), names or ALL (input errors are always "
              "reported)")
    try:
        config = resolve_config(config_path, isolated, policies=policy_paths)
    except ConfigError as exc:
        _config_fail(str(exc))
    try:
        settings = config.settings(select=split_list(select), ignore=split_list(ignore),
                                   extend_select=split_list(extend_select), namespace=namespace or None,
                                   max_file_size=max_file_size, kubernetes_version=kubernetes_version)
    except SelectionError as exc:
        _fail(str(exc))
        return
    if verbose:
        click.echo(_configuration_line(config.display, isolated), err=True)
    for option, value in (("--select", select), ("--extend-select", extend_select), ("--ignore", ignore)):
        for _, message in input_error_selectors(split_list(value) or []):
            click.echo(f"stslint: warning: {option}: {message}", err=True)
    final_format = output_format or config.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true"
                                                      else "text")
    if statistics and final_format not in STATISTICS_FORMATS:
        _fail(f"--statistics prints text or json, not {final_format}")
    settings.keep_texts = final_format == "full" and not statistics  # only code frames need the text
    request = ContextRequest(context_paths, context_git, not no_cache).with_config(config.context, config.directory)
    if add_noqa:
        sys.exit(_add_noqa(paths, settings, request, noqa_reason, stdin_filename, config, force_exclude, quiet))
    outcome = None
    if fixing:  # fixes never edit rendered input: charts and overlays are read as plain files
        from stslint.api import fix_paths

        outcome = fix_paths(paths, settings, request, unsafe=unsafe_fixes, stdin_filename=stdin_filename,
                            exclude=config.exclude_matcher(), force_exclude=force_exclude,
                            exclude_root=config.directory)
        result = outcome.result
    else:
        render = _render_request(config, render_mode, values_files, set_values, release_name, settings.namespace)
        try:
            result = lint_paths(paths, settings, request, stdin_filename=stdin_filename,
                                exclude=config.exclude_matcher(), force_exclude=force_exclude,
                                exclude_root=config.directory, render=render)
        except Exception as exc:
            if type(exc).__name__ != "RenderUsageError":
                raise
            _fail(str(exc))
            return
    result.warnings[:0] = [RunWarning(*warning) for warning in config.warnings]
    if write_baseline_path is not None:
        sys.exit(_write_baseline(result, write_baseline_path, quiet))
    baseline_path = baseline_path or config.baseline_path()
    if baseline_path is not None:
        _apply_baseline(result, baseline_path, verbose, "STS005" in settings.selected)
    if verbose and result.context is not None:
        _report_context(result.context)
    for file, line, message in result.warnings:
        if line > 0:
            click.echo(f"stslint: {safe_text(file)}:{line}: warning: {safe_text(message)}", err=True)
        else:  # about a file or directory as a whole
            click.echo(f"stslint: warning: {safe_text(file)}: {safe_text(message)}", err=True)
    if outcome is not None:
        fixed_anything = _finish_fixes(outcome, diff, verbose)
        if diff:
            sys.exit(EXIT_CLEAN if exit_zero or not fixed_anything else EXIT_FINDINGS)
    stdin_fixed = outcome is not None and any(item.source.path is None for item in outcome.files)
    out = sys.stderr if stdin_fixed and output_file is None else _open_output(output_file)
    try:
        options = ReportOptions(color=color_enabled(color, out, os.environ), quiet=quiet, version=__version__)
        report(result, out, final_format, options, statistics=statistics)
        out.flush()
    finally:
        if out not in (sys.stdout, sys.stderr):
            out.close()
    if outcome is not None and not quiet:
        _fix_summary(outcome, unsafe_fixes)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    if fail_on_empty is None:  # the file's gate setting is for runs over paths; a hook is given pre-commit's files
        fail_on_empty = bool(config.fail_on_empty) and not hook
    failed = result.fails(fail_on or config.fail_on or "warning") or (fail_on_empty and not result.objects)
    sys.exit(EXIT_FINDINGS if failed else EXIT_CLEAN)


def _render_request(config: Any, mode: str | None, values: tuple[str, ...], sets: tuple[str, ...],
                    release_name: str | None, namespace: str | None) -> Any:
    """What to render (a stslint.render.RenderRequest): the command line over the
    configuration."""
    from stslint.render import RenderRequest

    charts = {os.path.normpath(os.path.join(config.directory, path)): {
        **options, "values": [os.path.normpath(os.path.join(config.directory, v)) for v in options.get("values", [])]}
        for path, options in (config.helm or {}).items()}
    overlays = [os.path.normpath(os.path.join(config.directory, path))
                for path in (config.kustomize or {}).get("overlays", [])]
    return RenderRequest(mode or config.render or "auto", list(values), list(sets), release_name, namespace,
                         charts, overlays)


def _finish_fixes(outcome: Any, diff: bool, verbose: bool) -> bool:
    """Write the fixed files (or, with ``diff``, print their diff); standard input's fixed text goes
    to standard output. Says on standard error which fixes were not applied (under ``-v``) and which
    files could not be written. Returns whether any file changed."""
    from stslint.fixes import UNSAFE_REASONS, unified_diff, write_fixed
    from stslint.reporting import safe_text

    changed = False
    for item in outcome.files:
        if item.source.path is None:  # standard input: the fixed text, changed or not
            if diff:
                if item.changed:
                    click.echo(unified_diff(item, _unsafe_notes(outcome, item, UNSAFE_REASONS)), nl=False)
            else:
                sys.stdout.flush()
                getattr(sys.stdout, "buffer", sys.stdout).write(item.new_bytes())  # type: ignore[arg-type]
                sys.stdout.flush()
            changed = changed or item.changed
            continue
        if not item.changed:
            continue
        changed = True
        if diff:
            click.echo(unified_diff(item, _unsafe_notes(outcome, item, UNSAFE_REASONS)), nl=False)
            continue
        problem = write_fixed(item)
        if problem is not None:
            click.echo(f"stslint: warning: {safe_text(item.source.display)}: not written: {problem}", err=True)
    for finding, reason in outcome.not_applied:
        if verbose or "outside the repository" in reason:
            click.echo(f"stslint: {safe_text(finding.file)}:{finding.line}: warning: the {finding.code} fix was "
                       f"not applied: {safe_text(reason)}", err=True)
    if diff:
        verb = "Would fix" if changed else "No fixes available"
        count = f" {plural(len(outcome.fixed), 'finding')}" if changed else ""
        click.echo(f"stslint: {verb}{count}.", err=True)
    return changed


def _unsafe_notes(outcome: Any, item: Any, reasons: dict[str, str]) -> list[str]:
    """The diff header notes of a file: each unsafe fix applied in it, and why it is unsafe."""
    notes = []
    for finding in outcome.fixed:
        fix = finding.fix
        if fix is None or fix.applicability != "unsafe":
            continue
        if any((edit.source_path or edit.file) == item.key for edit in fix.edits):
            note = f"unsafe fix {finding.code} ({fix.title}): {reasons.get(finding.code, 'it changes behaviour')}"
            if note not in notes:
                notes.append(note)
    return notes


def _fix_summary(outcome: Any, unsafe_fixes: bool) -> None:
    """``stslint: N fixed, M remaining`` on standard error, with how many more --unsafe-fixes would fix."""
    remaining = outcome.result.findings
    line = f"stslint: {len(outcome.fixed)} fixed, {len(remaining)} remaining"
    hidden = sum(1 for f in remaining if f.fix is not None and f.fix.applicability == "unsafe")
    if hidden and not unsafe_fixes:
        line += f" ({hidden} fixable with --unsafe-fixes)"
    click.echo(line + ".", err=True)


def _add_noqa(paths: tuple[str, ...], settings: Any, request: Any, reason: str | None, stdin_filename: str | None,
              config: Any, force_exclude: bool, quiet: bool) -> int:
    """``--add-noqa``: write a suppression comment at every current finding; exit code 0."""
    from stslint.api import lint_paths
    from stslint.fixes import FixFile, write_fixed, write_guard
    from stslint.loading import FileResult, load_source
    from stslint.loading.discover import Source
    from stslint.loading.source_text import SourceText
    from stslint.noqa import add_noqa
    from stslint.reporting import safe_text

    if reason is not None and ("\n" in reason or "\r" in reason):
        _fail("--noqa-reason must be one line")
    settings.keep_texts = False
    result = lint_paths(paths, settings, request, stdin_filename=stdin_filename, exclude=config.exclude_matcher(),
                        force_exclude=force_exclude, exclude_root=config.directory)
    guard = write_guard(paths)
    texts: dict[str, tuple[str, SourceText]] = {}
    sources: dict[str, tuple[Source, bytes]] = {}
    for finding in result.findings:
        key = finding.file_key
        if finding.source_path is None or key in texts or finding.is_input_error:
            continue
        source = Source(finding.file, finding.source_path, True)
        if guard(source) is not None:
            click.echo(f"stslint: warning: {safe_text(finding.file)}: not written: {guard(source)}", err=True)
            continue
        loaded = load_source(source, settings.max_file_size)
        if loaded.errors:
            continue
        texts[key] = (finding.file, loaded.content)
        sources[key] = (source, loaded.content.encode())
    outcome = add_noqa(result.findings, texts, reason)
    for display in outcome.skipped_json:
        click.echo(f"stslint: warning: {safe_text(display)}: --add-noqa skips JSON files (they have no comments)",
                   err=True)
    for display, line in outcome.unplaced:
        click.echo(f"stslint: warning: {safe_text(display)}:{line}: no comment can suppress this line (it starts "
                   "inside a multi-line value)", err=True)
    written = 0
    for key, edits in outcome.edits.items():
        source, raw = sources[key]
        content = texts[key][1]
        fixed = FileResult(source, content=SourceText(apply_edits_text(content.text, edits), content.encoding,
                                                      content.bom))
        problem = write_fixed(FixFile(source, key, content, raw, fixed))
        if problem is not None:
            click.echo(f"stslint: warning: {safe_text(source.display)}: not written: {problem}", err=True)
        else:
            written += len(edits)
    if not quiet:
        click.echo(f"stslint: added {plural(written, 'suppression comment')} in "
                   f"{plural(len(outcome.edits), 'file')}.", err=True)
    return EXIT_CLEAN


def apply_edits_text(text: str, edits: Any) -> str:
    """``text`` with the edits applied (stslint.fixes.apply_edits)."""
    from stslint.fixes import apply_edits

    return apply_edits(text, edits)


def _write_baseline(result: Any, path: str, quiet: bool) -> int:
    """``--write-baseline``: record the run's findings; exit code 0 (2 when the file cannot be written)."""
    from stslint.baseline import build, write
    from stslint.reporting import safe_text

    baseline = build(result.findings)
    try:
        write(baseline, path)
    except OSError as exc:
        click.echo(f"stslint: cannot write the baseline {safe_text(path)}: {exc.strerror or type(exc).__name__}",
                   err=True)
        return EXIT_ERROR
    if not quiet:
        recorded = sum(entry.count for entry in baseline.entries.values())
        click.echo(f"stslint: wrote {plural(recorded, 'finding')} ({plural(len(baseline.entries), 'fingerprint')}) "
                   f"to {safe_text(path)}", err=True)
    return EXIT_CLEAN


def _apply_baseline(result: Any, path: str, verbose: bool, report_stale: bool) -> None:
    """``--baseline``: keep only the findings beyond the baseline; stale entries listed under ``-v``
    and reported as STS005 when it is selected."""
    from stslint.baseline import BaselineError, apply, load, stale_findings
    from stslint.findings import Finding
    from stslint.reporting import safe_text

    try:
        baseline = load(path)
    except BaselineError as exc:
        _config_fail(str(exc))
    filtered = apply(result.findings, baseline)
    result.findings = filtered.new
    if verbose:
        stale = len(filtered.stale)
        click.echo(f"stslint: baseline {safe_text(path)}: {plural(filtered.known, 'known finding')} not reported, "
                   f"{stale} stale {'entry' if stale == 1 else 'entries'}", err=True)
        for entry in filtered.stale:
            click.echo(f"stslint: {safe_text(path)}:{entry.line}: stale baseline entry {entry.code} {entry.object} "
                       f"{entry.field} in {safe_text(entry.path)}", err=True)
    if report_stale and filtered.stale:
        stale = [f._replace(severity=result.severity("STS005")) for f in stale_findings(filtered.stale, baseline)]
        result.findings = sorted([*result.findings, *stale], key=Finding.sort_key)


def _open_output(path: str | None) -> TextIO:
    """Standard output, or ``path`` opened for writing as UTF-8 (no BOM); exit 2 when it cannot be."""
    if path is None or path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n")  # noqa: SIM115
    except OSError as exc:
        from stslint.reporting import safe_text

        click.echo(f"stslint: cannot write the output file {safe_text(path)}: "
                   f"{exc.strerror or type(exc).__name__}", err=True)
        sys.exit(EXIT_ERROR)


def _configuration_line(display: str | None, isolated: bool) -> str:
    """What ``--verbose`` says of the configuration: the file in use, or that there is none."""
    from stslint.reporting import safe_text

    if display is not None:
        return f"stslint: configuration file: {safe_text(display)}"
    return "stslint: no configuration file (--isolated)" if isolated else "stslint: no configuration file"


def _report_context(context: Context) -> None:
    """What context was loaded and skipped, on stderr (``--verbose``)."""
    from stslint.reporting import safe_text

    for display, reason in context.skipped:
        click.echo(f"stslint: context: skipped {safe_text(display)}: {safe_text(reason)}", err=True)
    click.echo(f"stslint: context: {plural(context.loaded, 'file')} loaded, {len(context.skipped)} skipped "
               f"({context.from_cache} read from the cache, {context.parsed} parsed)", err=True)


def _print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _rule_set(policy_paths: tuple[str, ...]) -> Any:
    """The rule set ``rules`` and ``explain`` show: the built-in rules, the discovered configuration's
    policies and ``--policy``'s."""
    from stslint.config import ConfigError, resolve_config

    try:
        return resolve_config(policies=policy_paths).rule_set_or_builtin()
    except ConfigError as exc:
        _config_fail(str(exc))


@cli.command("rules")
@click.option("--format", "output_format", type=_Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str, policy_paths: tuple[str, ...] = ()) -> None:
    """List every rule (policies included): code, name, severity, default state (on, or opt-in: run only
    when selected by code, name, a prefix longer than STS, or ALL) and summary."""
    from stslint.catalog import all_rules

    catalog = all_rules(_rule_set(policy_paths))
    if output_format == "json":
        _print_json(catalog)
        return
    width = max(len(r["name"]) for r in catalog)
    code_width = max(len(r["code"]) for r in catalog)  # policy codes may be longer than STS103
    for r in catalog:
        default = "opt-in" if r["opt_in"] else "on"
        click.echo(f"{r['code']:<{code_width}}  {r['name']:<{width}}  {r['severity']:<7}  {default:<6}  {r['summary']}")


@cli.command()
@click.argument("rule")
@click.option("--format", "output_format", type=_Choice(["text", "json"]), default="text", show_default=True)
def explain(rule: str, output_format: str, policy_paths: tuple[str, ...] = ()) -> None:
    """Explain a rule or policy (by code or name): why it matters, how to fix it, a bad and a good example."""
    from stslint.catalog import UnknownRule, explain as explain_rule, unknown_rule_message

    try:
        doc = explain_rule(rule, _rule_set(policy_paths))
    except UnknownRule:
        _fail(unknown_rule_message(rule))
        return
    from stslint.fixes import fix_description

    fix = fix_description(doc["code"])
    if output_format == "json":
        _print_json({**doc, "fix": fix})
        return
    lines = [f"{doc['code']} {doc['name']} [{doc['severity']}]{' (opt-in)' if doc['opt_in'] else ''}", "",
             doc["summary"].strip(), "", "Why it matters:", _indent(doc["rationale"]), "", "How to fix it:",
             _indent(doc["remediation"])]
    if doc["options"]:
        lines += ["", "Options:"]
        for name, spec in doc["options"].items():
            described = f": {spec['description']}" if spec.get("description") else ""
            lines.append(f"  {name} ({spec.get('type', '')}, default {spec.get('default')!r}){described}")
    if fix is not None:
        lines += ["", "Fix (stslint fix):", _indent(fix["fix"])]
        if "unsafe_because" in fix:
            lines += [_indent(f"Unsafe because {fix['unsafe_because']}.")]
        if "template" in fix:
            lines += ["", _indent(fix["template"])]
    for label in ("bad", "good"):
        example = doc["examples"].get(label)
        if example:
            lines += ["", f"Example ({label}):", _indent(example)]
    if doc.get("reference"):
        lines += ["", f"Kubernetes documentation: {doc['reference']}"]
    if doc.get("source"):
        lines += ["", f"Defined by the policy at {doc['source']}."]
    click.echo("\n".join(lines).rstrip())


@cli.command("server")
@click.option("--stdio", is_flag=True, help="Speak LSP over standard input and output (the default; editors "
                                            "that pass it are accepted).")
def server_command(stdio: bool) -> None:
    """Run the language server for editors: live diagnostics, quick fixes and explanations, against
    the other files of the workspace (LSP over stdio; needs `pip install "stslint[server]"`)."""
    try:
        from stslint.server.app import serve
    except ImportError as exc:
        _config_fail(f"the language server needs the server extra (pygls, lsprotocol): pip install "
                     f'"stslint[server]" ({exc})')
    sys.exit(serve())


_POLICY_OPTION = click.Option(["--policy", "policy_paths"], multiple=True, metavar="PATH", type=click.Path(exists=True),
                              help="Load the policies of a policy file or directory (repeatable), besides the "
                                   "configuration's.")
for _command in (check, rules_command, explain):  # one option object for the three: start-up pays for one
    _command.params.append(_POLICY_OPTION)


def _fix_command(**kwargs: Any) -> None:
    """Apply the safe fixes in place (--unsafe-fixes: the unsafe ones too), then report what is left;
    --diff prints the fixes instead and writes nothing; - fixes standard input to standard output."""
    kwargs["apply_fixes"] = True
    click.get_current_context().invoke(check, **kwargs)


fix_command = click.Command(
    "fix", callback=_fix_command, params=[param for param in check.params if param.name != "apply_fixes"],
    help="Apply safe fixes in place (--unsafe-fixes: unsafe ones too), then report what is left. --diff prints a "
         "unified diff and writes nothing (exit 1 when there is something to fix); - reads standard input and "
         "prints the fixed text. Only the files being checked are written, each through a temporary file renamed "
         "over it; a symlink's target only inside the repository or the checked directory.",
    short_help="Apply fixes (as check --fix).")
cli.add_command(fix_command)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in str(text).rstrip().splitlines())


class _StdoutUnwritable(Exception):
    """Standard output cannot be written (closed, a full device...): the run cannot give its report."""


def _discard_descriptor(fd: int) -> None:
    """Point ``fd`` at the null device: what is still buffered for it (flushed at exit) and what a
    later write sends goes nowhere, without an error."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    if null != fd:  # with ``fd`` closed, the null device may have taken its number already
        os.dup2(null, fd)
        os.close(null)


class _GuardedStream:
    """A standard stream whose reader may go away. Standard output whose pipe breaks (the reader,
    such as ``head``, has gone) discards the rest, so the run still ends with its own exit code;
    any other error writing it raises _StdoutUnwritable. Standard error drops what it cannot write."""

    def __init__(self, stream: TextIO | None, fd: int, is_stdout: bool) -> None:
        self._stream = stream
        self._fd = fd
        self._is_stdout = is_stdout
        self._gone = False

    def write(self, text: str) -> int:
        """Write ``text`` (see the class for what happens when it cannot be)."""
        if not isinstance(text, str):  # a text stream (click probes for binary ones with b"")
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        if text and not self._gone:
            if self._stream is None:
                if self._is_stdout:
                    raise _StdoutUnwritable("it is closed")
            else:
                self._guard(lambda stream: stream.write(text))
        return len(text)

    def flush(self) -> None:
        """Flush what was written (see the class for what happens when it cannot be)."""
        if self._stream is not None and not self._gone:
            self._guard(lambda stream: stream.flush())

    def isatty(self) -> bool:
        """Whether the stream is a terminal (a closed one is not)."""
        return self._stream is not None and not self._gone and self._stream.isatty()

    def abandon(self) -> None:
        """Write nothing more, and let nothing still buffered fail at exit."""
        self._gone = True
        _discard_descriptor(self._fd)

    def _guard(self, operation: Any) -> None:
        try:
            operation(self._stream)
        except OSError as exc:
            if self._is_stdout and not isinstance(exc, BrokenPipeError):
                raise _StdoutUnwritable(exc.strerror or type(exc).__name__) from None
            self.abandon()  # the reader has gone: the rest of the output is for nobody

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _guard_standard_streams() -> None:
    """Replace standard output and standard error by guarded streams (see _GuardedStream); a closed
    one's descriptor gets the null device, so that no file opened later takes its number."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        stream = getattr(sys, name)
        if isinstance(stream, _GuardedStream):
            continue
        if stream is None:
            _discard_descriptor(fd)
        setattr(sys, name, _GuardedStream(stream, fd, is_stdout=fd == 1))


def hook_arguments(args: list[str]) -> list[str]:
    """The arguments of ``stslint check --hook ...`` as they are meant: after ``--hook``, an argument
    that names an existing path (as it is, not followed) is a file name — pre-commit appends the
    changed files' names after the entry and the user's ``args``, and a committed file may be called
    ``--output-file=x.yaml`` or ``-`` — so file names move after a ``--`` (``-`` as ``./-``); the
    other arguments stay options (and their values). Other command lines are returned as they are."""
    if not args or args[0] != "check" or "--hook" not in args:
        return args
    start = args.index("--hook") + 1
    end = args.index("--", start) if "--" in args[start:] else len(args)
    takes_value = _options_taking_values()
    options: list[str] = []
    files: list[str] = []
    expect_value = False
    for arg in args[start:end]:
        if expect_value:
            options.append(arg)
            expect_value = False
        elif _names_a_path(arg):
            files.append("./-" if arg == "-" else arg)
        else:
            options.append(arg)
            expect_value = arg in takes_value
    return [*args[:start], *options, "--", *files, *args[end + 1:]]


def _names_a_path(arg: str) -> bool:
    try:
        os.lstat(arg)
    except (OSError, ValueError):
        return False
    return True


def _options_taking_values() -> set[str]:
    """The option names of ``check`` that take a value in the next argument."""
    command = cli.commands["check"]
    return {name for param in command.params if isinstance(param, click.Option) and not param.is_flag
            for name in param.opts}


def main() -> None:
    """Entry point: run the CLI; unexpected errors become one line and exit code 2. A reader that
    stops reading standard output leaves the run's exit code as it is; standard output that cannot
    be written at all is one line on standard error and exit code 2."""
    try:
        sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    except (AttributeError, ValueError):
        pass
    _guard_standard_streams()
    try:
        code = cli.main(args=hook_arguments(sys.argv[1:]), prog_name="stslint", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
    except _StdoutUnwritable as exc:
        if isinstance(sys.stdout, _GuardedStream):
            sys.stdout.abandon()
        click.echo(f"stslint: error: cannot write to standard output: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except click.UsageError as exc:
        from stslint.reporting import safe_text

        command = f"stslint {exc.ctx.info_name} --help" if exc.ctx and exc.ctx.parent else "stslint --help"
        click.echo(f"stslint: error: {safe_text(exc.format_message())} (see {command})", err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        click.echo(f"stslint: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_ERROR)
    except click.Abort:
        click.echo("stslint: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except BrokenPipeError:  # a stream the guards do not see (one click made itself): the report is cut
        _discard_descriptor(1)
        _discard_descriptor(2)
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - the contract: never a traceback
        if os.environ.get("STSLINT_DEBUG") == "1":
            raise
        click.echo(f"stslint: internal error: {type(exc).__name__}: {exc} (set STSLINT_DEBUG=1 for a traceback)",
                   err=True)
        sys.exit(EXIT_ERROR)
