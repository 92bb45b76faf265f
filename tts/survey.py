"""The rep questionnaire: role clarity (who really does each task) and obstacles to selling."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from ._options import instance_of
from .catalogue import QUALITY
from .io import Dataset

__all__ = ["SurveyAnalysis", "analyze_survey"]


@dataclass(frozen=True)
class SurveyAnalysis:
    """Role clarity and obstacles.

    Attributes
    ----------
    matrix : pandas.DataFrame
        Tasks × roles: how many reps report each role doing each task; ``owner`` and ``area``
        columns give the intended owner and the task's area.
    answers : pandas.DataFrame
        Each answer with its ``area``, ``owner`` and ``out_of_role`` (done by someone other
        than the owner).
    by_rep : pandas.DataFrame
        Per rep: ``tasks``, ``out_of_role`` (tasks), ``out_of_role_share`` (0–1),
        ``others_work`` (tasks owned by another role that the rep does), and one
        ``<area>_share`` column per area.
    by_area : pandas.DataFrame
        Per area: answers, out-of-role answers and share.
    landed_on_reps : pandas.DataFrame
        Per owner role other than the rep: ``tasks`` that reps report doing themselves,
        ``reps`` (how many), ``answers``.
    obstacles : pandas.DataFrame
        Per obstacle, worst first: ``mean_score``, ``high_share`` (share of reps scoring 4–5),
        ``responses``, ``comments`` (joined).
    quality : pandas.DataFrame
        Response quality: ``rep_id``, ``issue`` (``no_role_answers``, ``no_obstacle_answers``,
        ``straight_lining``), ``score`` (the one score of a straight-liner), ``detail``.
    notes : mapping
        Parts that could not be analysed, and why.
    """

    matrix: pd.DataFrame
    answers: pd.DataFrame
    by_rep: pd.DataFrame
    by_area: pd.DataFrame
    landed_on_reps: pd.DataFrame
    obstacles: pd.DataFrame
    quality: pd.DataFrame
    notes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def to_frame(self) -> pd.DataFrame:
        """The role-clarity matrix."""
        return self.matrix.copy()

    def __repr__(self) -> str:
        share = self.answers["out_of_role"].mean() if len(self.answers) else float("nan")
        top = self.obstacles["obstacle"].iloc[0] if len(self.obstacles) else "none"
        return (
            f"SurveyAnalysis({len(self.by_rep)} reps; {share:.0%} of answers out of role; "
            f"top obstacle {top})"
        )

    def _repr_html_(self) -> str:
        return (
            f"<div><p><b>Questionnaire</b>: {html.escape(repr(self))}</p>"
            f"{self.landed_on_reps.to_html(index=False, escape=True)}"
            f"<details><summary>Role-clarity matrix</summary>"
            f"{self.matrix.to_html(escape=True)}</details><details><summary>Obstacles"
            f"</summary>{self.obstacles.round(2).to_html(index=False, escape=True)}"
            "</details></div>"
        )


def analyze_survey(ds: Dataset, *, min_straight_lining: int = 4) -> SurveyAnalysis:
    """Analyse role clarity and obstacles.

    Parameters
    ----------
    ds : Dataset
        With ``role_survey`` and ``role_matrix`` for role clarity, ``obstacles`` for the
        obstacles; the reps (``reps`` table, else the reps in the activities) for who did not
        answer.
    min_straight_lining : int
        A rep who gives the same score to at least this many obstacles, all of them, is
        flagged as straight-lining.

    Returns
    -------
    SurveyAnalysis
    """
    instance_of("analyze_survey", "ds", ds, Dataset)
    notes: dict[str, str] = {}
    reps = _reps(ds)
    empty = pd.DataFrame()
    if ds.role_survey is None or ds.role_matrix is None:
        notes["roles"] = "no role_survey or role_matrix table: role clarity skipped"
        matrix = answers = by_rep = by_area = landed = empty
    else:
        matrix, answers, by_rep, by_area, landed = _roles(ds.role_survey, ds.role_matrix, notes)
    if ds.obstacles is None:
        notes["obstacles"] = "no obstacles table: obstacles skipped"
        obstacles = empty
    else:
        obstacles = _obstacles(ds.obstacles)
    quality = _quality(ds, reps, min_straight_lining)
    return SurveyAnalysis(
        matrix, answers, by_rep, by_area, landed, obstacles, quality, MappingProxyType(notes)
    )


def _reps(ds: Dataset) -> pd.Index:
    if ds.reps is not None:
        return pd.Index(sorted(ds.reps["rep_id"].unique()))
    if ds.activities is not None:
        return pd.Index(sorted(ds.activities["rep_id"].unique()))
    return pd.Index([])


def _roles(survey: pd.DataFrame, roles: pd.DataFrame, notes: dict[str, str]):  # type: ignore[no-untyped-def]
    m = roles.drop_duplicates("task").set_index("task")
    a = survey.assign(
        performed_by=survey["performed_by"].astype(str),
        owner=survey["task"].map(m["owner"].astype(str)),
        area=survey["task"].map(m["area"].astype(str)),
    )
    unknown = a["owner"].isna()
    if unknown.any():
        notes["unknown_tasks"] = (
            f"{int(unknown.sum())} answers name tasks absent from the role "
            f"matrix ({', '.join(sorted(a.loc[unknown, 'task'].unique())[:5])}"
            "): left out of the role analysis"
        )
        a = a[~unknown]
    a["out_of_role"] = a["performed_by"] != a["owner"]
    matrix = pd.crosstab(a["task"], a["performed_by"])
    matrix.insert(0, "owner", m["owner"].astype(str).reindex(matrix.index))
    matrix.insert(0, "area", m["area"].astype(str).reindex(matrix.index))
    g = a.groupby("rep_id")
    others = a[(a["owner"] != "rep") & (a["performed_by"] == "rep")]
    by_rep = pd.DataFrame(
        {
            "tasks": g.size(),
            "out_of_role": g["out_of_role"].sum().astype(int),
            "out_of_role_share": g["out_of_role"].mean(),
            "others_work": others.groupby("rep_id").size(),
        }
    ).fillna({"others_work": 0})
    by_rep["others_work"] = by_rep["others_work"].astype(int)
    area_share = a.pivot_table(index="rep_id", columns="area", values="out_of_role", aggfunc="mean")
    by_rep = by_rep.join(area_share.add_suffix("_share")).reset_index()
    ga = a.groupby("area")
    by_area = pd.DataFrame(
        {
            "answers": ga.size(),
            "out_of_role": ga["out_of_role"].sum(),
            "out_of_role_share": ga["out_of_role"].mean(),
        }
    ).reset_index()
    go = others.groupby("owner")
    landed = (
        pd.DataFrame(
            {
                "tasks": go["task"].agg(lambda t: ", ".join(sorted(t.unique()))),
                "reps": go["rep_id"].nunique(),
                "answers": go.size(),
            }
        )
        .reset_index()
        .sort_values(["reps", "answers"], ascending=False)
        .reset_index(drop=True)
    )
    return matrix, a.reset_index(drop=True), by_rep, by_area, landed


def _obstacles(o: pd.DataFrame) -> pd.DataFrame:
    g = o.groupby("obstacle")
    comments = o.dropna(subset=["comment"]) if "comment" in o else o.iloc[:0]
    out = pd.DataFrame(
        {
            "mean_score": g["score"].mean(),
            "high_share": g["score"].apply(lambda s: float((s >= 4).mean())),
            "responses": g.size(),
            "comments": comments.groupby("obstacle")["comment"]
            .agg(lambda c: " | ".join(dict.fromkeys(c)))
            .astype(object),
        }
    ).reset_index()
    out["comments"] = out["comments"].where(out["comments"].notna(), "").astype(str)
    return out.sort_values(["mean_score", "high_share"], ascending=False).reset_index(drop=True)


def _quality(ds: Dataset, reps: pd.Index, min_same: int) -> pd.DataFrame:
    nan = float("nan")
    rows: list[tuple[object, str, float]] = []
    if ds.role_survey is not None:
        rows += [(r, "no_role_answers", nan) for r in reps.difference(ds.role_survey["rep_id"])]
    if ds.obstacles is not None:
        rows += [(r, "no_obstacle_answers", nan) for r in reps.difference(ds.obstacles["rep_id"])]
        g = ds.obstacles.groupby("rep_id")["score"]
        same = (g.nunique() == 1) & (g.size() >= min_same)
        first = g.first()
        rows += [(r, "straight_lining", float(first[r])) for r in same[same].index]
    out = pd.DataFrame(rows, columns=["rep_id", "issue", "score"])
    out["detail"] = [
        QUALITY[i].format("en", score=f"{s:g}" if s == s else "")
        for i, s in zip(out["issue"], out["score"], strict=True)
    ]
    return out
