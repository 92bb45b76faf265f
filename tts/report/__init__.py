"""The PDF diagnostic report (:func:`write_report`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .._exceptions import InputError, ReportError
from .._options import instance_of
from ..i18n import check_lang
from .words import w

if TYPE_CHECKING:
    from ..compare import WaveComparison
    from ..diagnosis import Diagnosis
    from ..route_plan import RoutePlan

__all__ = ["write_report"]


def write_report(
    dx: Diagnosis,
    path: str | Path,
    plan: RoutePlan | None = None,
    lang: str = "en",
    *,
    before: Diagnosis | None = None,
    check: WaveComparison | None = None,
    progress: bool = False,
) -> Path:
    """Write the diagnostic report as a PDF.

    Sections: cover; executive summary (headline figures against the standards with traffic
    lights, the three biggest recoverable time losses in minutes a day); work efficiency;
    route performance with the optimised order before and after; questionnaire; data audit
    (rows read, used and set aside, trust score per rep); the check of a second wave; the
    PDCA action plan; an appendix of method and standards. A section with nothing to show
    says why.

    Parameters
    ----------
    dx : Diagnosis
        From :func:`tts.diagnose`.
    path : str or Path
        Where to write the PDF.
    plan : RoutePlan, optional
        From :func:`tts.optimize_routes`; default the plan the diagnosis was given.
    lang : {"en", "zh"}
        Language of the whole report. Fonts come with the install (DejaVu Sans with
        matplotlib, Noto Sans SC with ``pylopdf-fonts-zh-cn``) and are embedded.
    before : Diagnosis, optional
        The first diagnostic wave, when ``dx`` is the second: adds the comparison (the
        "Check" of PDCA) and fills the status of the first wave's action plan.
    check : WaveComparison, optional
        ``tts.compare(before, dx)`` when already computed.
    progress : bool
        Show a progress bar over the sections.

    Returns
    -------
    Path
        ``path``. The same input gives a byte-identical file: the creation date is the day
        after the last surveyed day, and no random identifiers are written.

    Raises
    ------
    ReportError
        The file cannot be written.
    """
    from tqdm.auto import tqdm

    from ..compare import WaveComparison, compare
    from ..diagnosis import Diagnosis
    from ..route_plan import RoutePlan
    from .document import Document
    from .sections import SECTIONS, Context

    instance_of("write_report", "dx", dx, Diagnosis)
    instance_of("write_report", "path", path, (str, Path))
    instance_of("write_report", "plan", plan, (RoutePlan, type(None)))
    instance_of("write_report", "before", before, (Diagnosis, type(None)))
    instance_of("write_report", "check", check, (WaveComparison, type(None)))
    check_lang(lang, "write_report")
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise InputError(
            f"The 'path' parameter of write_report must end in .pdf; got {str(path)!r}.",
            file=str(path),
        )
    plan = plan if plan is not None else dx.plan
    dates = dx.time.per_day["date"]
    last = dates.max() if len(dates) else None
    created = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    if last is not None:
        created = dt.datetime(last.year, last.month, last.day, tzinfo=dt.UTC) + dt.timedelta(1)
    start = str(dates.min().date()) if len(dates) else "–"
    end = str(last.date()) if last is not None else "–"
    doc = Document(lang, w("footer", lang, start=start, end=end), created)
    doc.set_title(w("title", lang))
    doc.set_author("tts")
    doc.set_creator("tts")
    doc.set_lang("zh-CN" if lang == "zh" else "en")
    if check is None and before is not None:
        check = compare(before, dx)
    ctx = Context(dx, plan, before, check, lang)
    for section in tqdm(SECTIONS, desc="report", unit="section", disable=not progress):
        section(doc, ctx)
    try:
        doc.output(str(path))
    except OSError as exc:
        raise ReportError(f"{path}: cannot write the report ({exc.strerror or exc})") from exc
    return path
