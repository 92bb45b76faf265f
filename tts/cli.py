"""The ``tts`` command line."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import pandas as pd

from ._exceptions import TTSError

if TYPE_CHECKING:
    from .pipeline import Run

__all__ = ["main", "summary"]

#: Exit status: 1 for bad input or options (a tts error), 3 for an internal error.
EXIT_INPUT, EXIT_INTERNAL = 1, 3


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _save_traceback() -> Path:
    """Write the current exception's traceback to a file in the temporary folder."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"tts-error-{stamp}.txt"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path


class _Group(click.Group):
    """Lists commands in the order of the method; turns errors into one line on stderr.

    A tts error (bad data, a bad option) exits with status 1 and its message; any other
    exception is a bug: status 3, one line saying so and where the traceback was written.
    Click's own usage errors keep their status 2.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except TTSError as exc:
            click.echo(f"error: {_one_line(exc)}", err=True)
            ctx.exit(EXIT_INPUT)
        except Exception as exc:
            path = _save_traceback()
            click.echo(
                f"internal error: {type(exc).__name__}: {_one_line(exc)} -- this is a bug in "
                f"tts; the full traceback is in {path}",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tts")
def main() -> None:
    """Time to Sell diagnostic of route-sales teams."""


_mapping_option = click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Header and label mapping (TOML); default DATA_DIR/mapping.toml.",
)


_method_option = click.option(
    "--method",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Method settings (TOML): working week, travel model, audit thresholds, lights.",
)


def summary(result: Run, lang: str = "en") -> str:
    """What ``tts diagnose`` and ``tts demo`` print when done, in plain words in ``lang``.

    The team's customer share against the standard, the three biggest losses (the findings
    with the most minutes a day to recover, then the highest ranked), the rows set aside and
    why, the drive the re-sequenced visits save, and the files written.
    """
    from .i18n import fmt, label, standard_text, t

    dx = result.diagnosis
    lines: list[str] = []
    team = dx.comparison.team().set_index("metric")
    if "customer_share" in team.index:
        row = team.loc["customer_share"]
        lines.append(
            t(
                "console.customer_share",
                lang,
                share=fmt(row["observed"], "share", lang),
                standard=standard_text(row["target_low"], row["target_high"], "share", lang),
                short=int(row["rep_days_short"]),
                days=int(row["rep_days"]),
            )
        )
    f = dx.findings
    if f.empty:
        lines.append(t("console.no_findings", lang))
    else:
        minutes = f["recoverable_min_per_day"].astype(float).fillna(0.0)
        by_minutes = minutes[minutes > 0].sort_values(ascending=False, kind="stable")
        ranked = [*by_minutes.index, *(i for i in f.index if i not in by_minutes.index)]
        lines.append(t("console.losses", lang))
        for k, i in enumerate(ranked[:3]):
            row = f.loc[i]
            name = row["label_zh"] if lang == "zh" else row["label"]
            observed = fmt(row["observed"], str(row["unit"]), lang)
            if minutes[i] > 0:
                text = t(
                    "console.loss_min", lang, label=name, observed=observed,
                    minutes=f"{minutes[i]:.1f}", reps=int(row["reps_affected"]),
                )  # fmt: skip
            else:
                text = t(
                    "console.loss", lang, label=name, observed=observed,
                    reps=int(row["reps_affected"]),
                )  # fmt: skip
            lines.append(f"  {k + 1}. {text}")
    counts = result.dataset.row_counts
    read = f"{int(counts['read'].sum()):,}"
    aside = int(counts["quarantined"].sum())
    if aside == 0:
        lines.append(t("console.set_aside_none", lang, read=read))
    else:
        why = result.dataset.quarantine_summary().groupby("reason", sort=True)["rows"].sum()
        why = why.sort_values(ascending=False, kind="stable")
        reasons = "; ".join(f"{int(n):,} {label('reason', r, lang)}" for r, n in why.items())
        lines.append(t("console.set_aside", lang, rows=f"{aside:,}", read=read, reasons=reasons))
    if result.plan is not None and len(result.plan.days):
        d = result.plan.days
        lines.append(
            t(
                "console.drive_saved",
                lang,
                before=f"{d['travel_before_min'].sum():,.0f}",
                after=f"{d['travel_after_min'].sum():,.0f}",
                days=len(d),
            )
        )
    files = [str(p) for p in (result.report, result.workbook) if p is not None]
    sep = ", " if lang == "en" else "、"
    lines.append(
        t("console.wrote", lang, files=sep.join(files))
        if files
        else t("console.wrote_nothing", lang)
    )
    return "\n".join(lines)


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@_mapping_option
@_method_option
@click.option("--encoding", help="Text encoding of the CSV files; detected when omitted.")
@click.option(
    "--quarantine",
    "quarantine_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every row set aside, with its reason, to this CSV file.",
)
@click.option("--show", default=20, show_default=True, help="How many rows set aside to print.")
def validate(
    data_dir: Path,
    mapping: Path | None,
    method: Path | None,
    encoding: str | None,
    quarantine_out: Path | None,
    show: int,
) -> None:
    """Load and check DATA_DIR: rows read, used and set aside per file, and why.

    Exits non-zero when a file cannot be used at all (unreadable, a required column missing)
    or none of a file's rows can be used; other rows set aside are reported, not fatal.
    """
    from .io import load_dataset
    from .method import Method

    m = Method.from_toml(method) if method is not None else None
    ds = load_dataset(data_dir, mapping=mapping, encoding=encoding, method=m, progress=True)
    counts = ds.row_counts
    click.echo(
        f"{data_dir}: {int(counts['read'].sum()):,} rows read, "
        f"{int(counts['used'].sum()):,} used, "
        f"{int(counts['quarantined'].sum()):,} set aside"
    )
    click.echo(counts.to_string(index=False))
    summary = ds.quarantine_summary()
    if summary.empty:
        click.echo("Nothing was set aside.")
    else:
        click.echo("\nSet aside, by reason (rows):")
        click.echo(summary.to_string(index=False))
        click.echo(f"\nFirst {min(show, len(ds.quarantine))} problems:")
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            click.echo(ds.quarantine.head(show).to_string(index=False))
    if quarantine_out is not None:
        ds.quarantine.to_csv(quarantine_out, index=False, encoding="utf-8-sig")
        click.echo(f"Wrote {len(ds.quarantine):,} problems to {quarantine_out}")
    empty = counts[(counts["used"] == 0) & (counts["read"] > 0)]
    if len(empty):
        first = empty.iloc[0]
        click.echo(
            f"error: {first['file']}: none of its {int(first['read']):,} rows can be used "
            f"(the {first['table']} table is empty; the reasons are above)",
            err=True,
        )
        sys.exit(EXIT_INPUT)


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="en: English headers, UTF-8. zh: Chinese headers and labels, GBK, mapping.",
)
@click.option("--seed", default=20260302, show_default=True, help="Random seed.")
def sample(out_dir: Path, lang: str, seed: int) -> None:
    """Write the synthetic sample region to OUT_DIR as CSV files."""
    from .sample import write_sample

    for path in write_sample(out_dir, lang=lang, seed=seed):
        click.echo(f"wrote {path}")


_REPORT_OPTIONS = [
    click.option(
        "--out",
        type=click.Path(dir_okay=False, path_type=Path),
        default=Path("report.pdf"),
        show_default=True,
        help="Where to write the PDF report.",
    ),
    click.option(
        "--lang",
        type=click.Choice(["en", "zh"]),
        default="en",
        show_default=True,
        help="Language of the report.",
    ),
    click.option(
        "--excel",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Also write the PDCA action plan for the team to fill in (.xlsx with the "
        "findings and rep-days, or .csv).",
    ),
    click.option(
        "--optimize/--no-optimize",
        default=True,
        show_default=True,
        help="Re-sequence every rep-day's visits for the route section.",
    ),
    click.option(
        "--territory/--no-territory",
        default=False,
        show_default=True,
        help="Also redraw the territories (route consolidation): a report sub-section, its "
        "findings and PDCA action, and the plan in the workbook.",
    ),
    click.option(
        "--time-limit",
        "time_limit",
        default=None,
        type=click.FloatRange(min=0, min_open=True),
        help="Optimiser's wall-clock safety net per rep-day, seconds [default: 30 + 0.2 a stop].",
    ),
    click.option(
        "--workers", type=click.IntRange(min=1), help="Optimiser processes; default every core."
    ),
    _method_option,
]


def _report_options(f: Any) -> Any:
    for option in reversed(_REPORT_OPTIONS):
        f = option(f)
    return f


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--standards",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Company standards (TOML); default the method's standards.",
)
@click.option(
    "--before",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data of the first diagnostic wave, when DATA_DIR is the second: adds the check.",
)
@_mapping_option
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the per-rep work on the Dask cluster at ADDRESS (tcp://host:8786), or 'local' "
    "for one on this machine; needs pip install 'tts[dask]'.",
)
@_report_options
def diagnose(
    data_dir: Path,
    out: Path,
    standards: Path | None,
    before: Path | None,
    mapping: Path | None,
    scheduler: str | None,
    lang: str,
    excel: Path | None,
    optimize: bool,
    territory: bool,
    time_limit: float | None,
    workers: int | None,
    method: Path | None,
) -> None:
    """The whole diagnostic on DATA_DIR, written as a PDF report."""
    from .pipeline import run

    with _dask_client(scheduler) as client:
        result = run(
            data_dir,
            out=out,
            lang=lang,
            optimize=optimize,
            territory=territory,
            before=before,
            excel=excel,
            standards=standards,
            method=method,
            mapping=mapping,
            time_limit_s=time_limit,
            workers=workers,
            client=client,
            progress=True,
            log=click.echo,
        )
    click.echo(summary(result, lang))


@contextmanager
def _dask_client(scheduler: str | None) -> Iterator[Any]:
    """A Dask client for ``--scheduler`` (closed afterwards), or None without one."""
    if scheduler is None:
        yield None
        return
    from .cluster import require_dask

    try:
        require_dask()
    except ImportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_INPUT)
    from distributed import Client

    from ._exceptions import InputError

    try:
        client = (
            Client(dashboard_address=":0")
            if scheduler == "local"
            else Client(scheduler, timeout="10s")
        )
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"--scheduler: cannot reach a Dask scheduler at {scheduler!r} ({_one_line(exc)}); "
            "give its address as tcp://host:8786, or 'local'."
        ) from exc
    click.echo(f"dask: {client}")
    try:
        yield client
    finally:
        client.close()


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Per-visit CSV: rep_id, date, customer_id, seq_before, seq_after, ...",
)
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Per-rep-day CSV; default OUT with _days before the suffix.",
)
@click.option(
    "--time-limit",
    "time_limit",
    default=None,
    type=click.FloatRange(min=0, min_open=True),
    help="Wall-clock safety net per rep-day, seconds [default: 30 + 0.2 a stop].",
)
@click.option(
    "--solutions",
    default=None,
    type=click.IntRange(min=1),
    help="OR-Tools solutions per rep-day with opening hours (a reproducible count) [default: 40].",
)
@click.option(
    "--effort",
    type=click.FloatRange(min=0, min_open=True),
    help="Scales every search count of the day solver (2 searches twice as long for a "
    "possibly shorter drive) [default: the method's route_effort, 1].",
)
@click.option("--workers", type=click.IntRange(min=1), help="Processes; default every core.")
@click.option(
    "--service",
    type=click.Choice(["logged", "standard"]),
    default="logged",
    show_default=True,
    help="Time at each store: as logged, or the standard visit.",
)
@_mapping_option
@_method_option
def optimize(
    data_dir: Path,
    out: Path,
    summary: Path | None,
    time_limit: float | None,
    solutions: int | None,
    effort: float | None,
    workers: int | None,
    service: str,
    mapping: Path | None,
    method: Path | None,
) -> None:
    """Re-sequence every rep-day's visits in DATA_DIR with OR-Tools."""
    from .io import load_dataset
    from .method import Method
    from .pipeline import check_output
    from .route_plan import optimize_routes

    check_output(out, "out", (".csv",))
    m = Method.from_toml(method) if method is not None else Method()
    ds = load_dataset(data_dir, mapping=mapping, method=m)
    plan = optimize_routes(
        ds,
        method=m,
        time_limit_s=time_limit,
        solution_limit=solutions,
        effort=effort,
        workers=workers,
        service=service,
        progress=True,
    )
    summary = summary or out.with_name(f"{out.stem}_days{out.suffix or '.csv'}")
    plan.to_frame().to_csv(out, index=False)
    plan.days.to_csv(summary, index=False)
    click.echo(repr(plan))
    with pd.option_context("display.width", 200):
        click.echo(plan.by_rep().round(2).to_string(index=False))
    click.echo(f"Wrote {out} and {summary}")


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("territory.xlsx"),
    show_default=True,
    help="Workbook: compare, reps, logged, days, assignments, routes.",
)
@click.option(
    "--reps",
    type=click.IntRange(min=1),
    help="A what-if team of this many reps; default the reps logged today.",
)
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True,
    help="Language of the summary.",
)  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1), help="Processes; default every core.")
@_mapping_option
@_method_option
def territory(
    data_dir: Path,
    out: Path,
    reps: int | None,
    lang: str,
    workers: int | None,
    mapping: Path | None,
    method: Path | None,
) -> None:
    """Redraw the reps' territories and weekly routes (route consolidation) for DATA_DIR."""
    from .i18n import t
    from .io import load_dataset
    from .method import Method
    from .pipeline import check_output
    from .territory import plan_territory, write_territory

    check_output(out, "out", (".xlsx",))
    m = Method.from_toml(method) if method is not None else Method()
    ds = load_dataset(data_dir, mapping=mapping, method=m)
    plan = plan_territory(ds, reps=reps, method=m, workers=workers, progress=True)
    write_territory(plan, out)
    click.echo(plan.summary(lang))
    click.echo(t("console.wrote", lang, files=str(out)))


@main.command()
@_report_options
def demo(
    out: Path,
    lang: str,
    excel: Path | None,
    optimize: bool,
    territory: bool,
    time_limit: float | None,
    workers: int | None,
    method: Path | None,
) -> None:
    """The whole diagnostic on the bundled sample region, written as a PDF report.

    With --lang zh the sample is the Chinese export (GBK, Chinese headers) and the report is
    in Chinese.
    """
    from .pipeline import check_output, run
    from .sample import write_sample

    check_output(out, "out", (".pdf",))
    check_output(excel, "excel", (".xlsx", ".csv"))
    with tempfile.TemporaryDirectory(prefix="tts-demo-") as tmp:
        write_sample(tmp, lang=lang)
        result = run(
            tmp,
            out=out,
            lang=lang,
            optimize=optimize,
            territory=territory,
            excel=excel,
            method=method,
            time_limit_s=time_limit,
            workers=workers,
            progress=True,
            log=click.echo,
        )
        click.echo(summary(result, lang))


@main.command()
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the forms: headers, drop-downs, prompts and instructions.",
)
@click.option(
    "--reps",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Reps file (rep_id ...): each rep gets a row per survey day, task and obstacle.",
)
@click.option(
    "--customers",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Customers file: its customer_id values make the customer drop-down.",
)
@click.option(
    "--role-matrix",
    "role_matrix",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The company's role matrix: its tasks make the questionnaire; default the method's "
    "tasks, also written as role_matrix.xlsx.",
)
@click.option(
    "--days",
    default=12,
    show_default=True,
    type=click.IntRange(min=1, max=366),
    help="Working days of the route activity survey.",
)
@click.option("--start", help="First survey day, YYYY-MM-DD; default the Monday after today.")
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Header and label mapping (TOML) for the reps, customers and role-matrix files.",
)
@_method_option
@click.option("--force", is_flag=True, help="Replace forms already in OUT_DIR.")
def forms(
    out_dir: Path,
    lang: str,
    reps: Path | None,
    customers: Path | None,
    role_matrix: Path | None,
    days: int,
    start: str | None,
    mapping: Path | None,
    method: Path | None,
    force: bool,
) -> None:
    """Write the survey forms to OUT_DIR as Excel workbooks for the reps to fill in.

    The route activity survey (activities.xlsx), the role questionnaire (role_survey.xlsx)
    and the obstacles (obstacles.xlsx), each with an instructions sheet; the folder of filled
    forms loads as it is (tts validate / tts diagnose OUT_DIR, with the customers file).
    """
    from .forms import write_forms
    from .method import Method

    m = Method.from_toml(method) if method is not None else None
    paths = write_forms(
        out_dir,
        lang=lang,
        reps=reps,
        customers=customers,
        role_matrix=role_matrix,
        days=days,
        start=start,
        method=m,
        mapping=mapping,
        overwrite=force,
    )
    for path in paths:
        click.echo(f"wrote {path}")
