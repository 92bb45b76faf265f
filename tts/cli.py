"""The ``tts`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import pandas as pd

from ._exceptions import TTSError

__all__ = ["main"]


class _Group(click.Group):
    """Lists commands in the order of the method rather than alphabetically."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tts")
def main() -> None:
    """Time to Sell diagnostic of route-sales teams."""


def _fail(exc: TTSError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@main.command()
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Header and label mapping (TOML); default DATA_DIR/mapping.toml.",
)
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
    encoding: str | None,
    quarantine_out: Path | None,
    show: int,
) -> None:
    """Load and check DATA_DIR: rows read, used and set aside per file, and why.

    Exits non-zero only when a file cannot be used at all (unreadable, a required column
    missing); rows set aside are reported, not fatal.
    """
    from .io import load_dataset

    try:
        ds = load_dataset(data_dir, mapping=mapping, encoding=encoding, progress=True)
    except TTSError as exc:
        _fail(exc)
        return
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


def _not_yet(name: str, issue: int) -> None:
    click.echo(f"error: 'tts {name}' is not built yet (tracked in issue {issue}).", err=True)
    sys.exit(2)


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def diagnose(args: tuple[str, ...]) -> None:
    """The whole diagnostic on DATA_DIR, as a PDF report (not built yet)."""
    _not_yet("diagnose", 6)


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
    default=1.0,
    show_default=True,
    help="Wall-clock safety net per rep-day, seconds.",
)
@click.option(
    "--solutions",
    default=300,
    show_default=True,
    help="Solutions searched per rep-day (the reproducible limit).",
)
@click.option("--workers", type=int, help="Processes; default every core.")
@click.option(
    "--service",
    type=click.Choice(["logged", "standard"]),
    default="logged",
    show_default=True,
    help="Time at each store: as logged, or the standard visit.",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Header and label mapping (TOML); default DATA_DIR/mapping.toml.",
)
def optimize(
    data_dir: Path,
    out: Path,
    summary: Path | None,
    time_limit: float,
    solutions: int,
    workers: int | None,
    service: str,
    mapping: Path | None,
) -> None:
    """Re-sequence every rep-day's visits in DATA_DIR with OR-Tools."""
    from .io import load_dataset
    from .route_plan import optimize_routes

    try:
        ds = load_dataset(data_dir, mapping=mapping)
        plan = optimize_routes(
            ds,
            time_limit_s=time_limit,
            solution_limit=solutions,
            workers=workers,
            service=service,
            progress=True,
        )
    except TTSError as exc:
        _fail(exc)
        return
    summary = summary or out.with_name(f"{out.stem}_days{out.suffix or '.csv'}")
    plan.to_frame().to_csv(out, index=False)
    plan.days.to_csv(summary, index=False)
    click.echo(repr(plan))
    with pd.option_context("display.width", 200):
        click.echo(plan.by_rep().round(2).to_string(index=False))
    click.echo(f"Wrote {out} and {summary}")


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def demo(args: tuple[str, ...]) -> None:
    """The whole diagnostic on the bundled sample data (not built yet)."""
    _not_yet("demo", 6)
