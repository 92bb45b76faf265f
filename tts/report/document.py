"""The PDF page: fonts, headings, paragraphs, tables that paginate, and charts.

Built on fpdf2: it embeds and subsets TrueType and CFF (OpenType) fonts, so the Chinese Noto
Sans SC that comes with the install is carried inside every PDF, and it writes a byte-identical
file for the same input once the creation date is fixed. Charts are drawn by
:mod:`tts.plots` on a matplotlib figure without pyplot and placed as PNG images.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, TableCellFillMode, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from ..i18n import fullwidth

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["Document", "cjk_font_path", "latin_font_path"]

#: Page geometry (millimetres).
MARGIN_MM = 15.0
CONTENT_MM = 210.0 - 2 * MARGIN_MM

#: Colours (RGB).
INK = (33, 33, 33)
MUTED = (110, 110, 110)
ACCENT = (21, 101, 192)
HEADER_FILL = (232, 238, 247)
ZEBRA = (247, 247, 247)
LIGHTS = {
    "green": (200, 230, 201),
    "amber": (255, 236, 179),
    "red": (255, 205, 210),
    "not_measured": (224, 224, 224),
}

#: Outline width of the stroked faux bold, as a share of the font size in points (mm per pt).
FAUX_BOLD = 0.012
#: The family name under which the Chinese font sets table headings (stroked as faux bold).
_HEAD_FAMILY = "cjkhead"

#: Resolution of the chart images (dots per inch).
CHART_DPI = 150

#: Longest user text set in a table cell or a chart label (characters); longer values end in
#: "…" (the workbook and the data keep them whole), so a 20,000-character comment or a
#: 2,000-character id never makes a row taller than a page.
MAX_CELL_CHARS = 120
#: Longest cell of a column that lists evidence (a dozen items with the user's comments):
#: every item of a usual finding shows, a pasted essay still ends in "…".
MAX_LONG_CELL_CHARS = 900
MAX_LABEL_CHARS = 40
_BORDER_MM = 0.2  # a table's rules
#: A table of at most this many rows that would leave one row alone at the foot of a page or
#: the top of the next is set whole on the next page instead (unless it follows a heading,
#: which must not stand alone either).
KEEP_WHOLE_ROWS = 12
#: Longest chart title or axis label, characters (they are the report's own words, with a
#: rep id or a date at most).
MAX_TITLE_CHARS = 100
#: Smallest font a column title shrinks to so that its longest word fits the column (points).
MIN_HEAD_PT = 6.0
#: fpdf2 replaces this alias by the page count. Its private-use characters are turned into
#: spaces by :meth:`Document.clean`, so user text can never produce it (``{nb}`` stays text).
_PAGES_ALIAS = "\ue000nb\ue000"


#: Kinsoku (line-breaking) rules of the Chinese report: no line starts with closing
#: punctuation, none ends with opening punctuation, and a run of Latin letters, digits and
#: their signs (a figure, a date, an id: ``3,516``, ``2026-03-15``, ``F07``) is never split.
NO_LINE_START = frozenset("，。、；：！？）》」』】〉”’…％‰·,.;:!?)]}%")
NO_LINE_END = frozenset("（《「『【〈“‘([{")
#: An unbreakable run of printable ASCII, a run of spaces, a line break, or one character.
_TOKEN = re.compile(r"[!-~]+| +|\n|.", re.S)
#: Millimetres kept free at the end of a line set by :func:`break_lines`, so that fpdf2's own
#: measure (which may differ by rounding) never breaks it again.
_LINE_SLACK_MM = 0.4


def _units(line: str) -> list[str]:
    """``line`` cut into the pieces a line may break between (kinsoku rules applied)."""
    units: list[str] = []
    for token in _TOKEN.findall(line):
        glue = bool(units) and not units[-1].isspace()
        if glue and (token[0] in NO_LINE_START or units[-1][-1] in NO_LINE_END):
            units[-1] += token
        else:
            units.append(token)
    return units


def break_lines(text: str, room_mm: float, width: Callable[[str], float]) -> str:
    r"""``text`` with a line break wherever a line of ``room_mm`` millimetres is full, the
    lines broken by the Chinese rules (:data:`NO_LINE_START`, :data:`NO_LINE_END`, runs of
    Latin letters and digits kept whole); ``width`` measures a string in millimetres. A run
    longer than a whole line is cut by characters, as nothing else fits. Spaces at a break
    are dropped.

    >>> break_lines("共 3,516 分钟；需压缩", 16, lambda s: 2.0 * len(s))
    '共 3,516\n分钟；需压缩'
    """
    room = room_mm - _LINE_SLACK_MM
    out: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for unit in _units(paragraph):
            size = width(unit)
            if unit.isspace():
                if line and used + size <= room:
                    line, used = line + unit, used + size
                continue  # a space at the start or the end of a line is dropped
            if used + size > room and line.strip():
                out.append(line.rstrip())
                line, used = "", 0.0
            if size > room:  # longer than a line: cut by characters
                for ch in unit:
                    w_ch = width(ch)
                    if used + w_ch > room and line:
                        out.append(line)
                        line, used = "", 0.0
                    line, used = line + ch, used + w_ch
                continue
            line, used = line + unit, used + size
        out.append(line.rstrip())
    return "\n".join(out)


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in "…" when it was longer.

    >>> shorten("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def latin_font_path(bold: bool = False) -> Path:
    """DejaVu Sans, which ships with matplotlib (Bitstream Vera licence)."""
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def cjk_font_path() -> Path:
    """Noto Sans SC Regular, from the ``pylopdf-fonts-zh-cn`` wheel (SIL Open Font Licence)."""
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.sans_path())


@lru_cache(maxsize=1)
def _register_chart_font() -> str:
    """Make Noto Sans SC known to matplotlib; return its family name."""
    from matplotlib import font_manager

    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    return str(font_manager.FontProperties(fname=str(path)).get_name())


class Document(FPDF):
    """An A4 report page with the house fonts, a running footer and outline bookmarks.

    Parameters
    ----------
    lang : {"en", "zh"}
        ``zh`` sets the text in Noto Sans SC; ``en`` in DejaVu Sans with Noto Sans SC as the
        fallback for Chinese names in the data.
    footer : str
        Text at the foot of every page but the cover, beside the page number.
    created : datetime.datetime
        Creation date written into the PDF (fixed, so that the same input gives the same
        bytes).
    """

    def __init__(self, lang: str, footer: str, created: dt.datetime) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report_lang = lang
        # Chinese wraps between any two characters; breaking only at spaces (around figures)
        # leaves half-empty lines
        self.wrap = WrapMode.CHAR if lang == "zh" else WrapMode.WORD
        self.footer_text = footer
        self.heading_end = (0, 0.0)  # page and height where the last heading ended
        self.set_creation_date(created)
        self.alias_nb_pages(_PAGES_ALIAS)
        self.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        self.set_auto_page_break(True, margin=MARGIN_MM + 3)
        self.add_font("cjk", "", str(cjk_font_path()))
        if lang == "zh":
            # No bold Noto Sans SC installs from the package index as a static font, so
            # headings and table heads are drawn with a stroked outline (a faux bold).
            self.add_font(_HEAD_FAMILY, "", str(cjk_font_path()))
            self.family = "cjk"
            self.bold = ""
        else:
            self.add_font("latin", "", str(latin_font_path()))
            self.add_font("latin", "B", str(latin_font_path(bold=True)))
            self.family = "latin"
            self.bold = "B"
            self.set_fallback_fonts(["cjk"], exact_match=False)
        self._glyphs: set[int] = set()
        for key in (self.family, "cjk"):
            self._glyphs |= set(getattr(self.fonts[key], "cmap", {}))
        self.set_font(self.family, size=10)
        self.set_text_color(*INK)

    # -- text ---------------------------------------------------------------------------------

    @contextmanager
    def _stroked(self) -> Iterator[None]:
        """Text set inside is filled and outlined in its own colour: the faux bold."""
        mode, width, draw = self.text_mode, self.line_width, self.draw_color
        self.text_mode = TextMode.FILL_STROKE
        self.set_line_width(FAUX_BOLD * self.font_size_pt)
        if self.text_color is not None:
            self.set_draw_color(self.text_color)
        try:
            yield
        finally:
            self.text_mode = mode
            self.set_line_width(width)
            if draw is not None:
                self.set_draw_color(draw)

    @contextmanager
    def use_font_face(self, font_face: FontFace) -> Iterator[None]:  # noqa: D102 - fpdf2 hook
        # table headings in Chinese come in the heading family: set them stroked
        with super().use_font_face(font_face):
            if font_face is not None and font_face.family == _HEAD_FAMILY:
                with self._stroked():
                    yield
            else:
                yield

    def clean(self, value: object) -> str:
        """User text made safe to set: control and format characters (but the line break)
        become spaces, and characters no embedded font has become ``?``. Nothing is
        interpreted as markup. In a Chinese report, punctuation after Chinese text is made
        full-width.
        """
        text = str(value)
        if text.isascii() and text.isprintable():
            return text
        if self.report_lang == "zh":
            text = fullwidth(text)
        out = []
        for ch in text:
            if ch == "\n":  # a line break stays one
                out.append(ch)
            elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
                out.append(" ")
            elif ord(ch) in self._glyphs:
                out.append(ch)
            else:
                out.append("?")
        return "".join(out)

    def fit(self, text: str, room_mm: float | None = None, *, padding: float = 0.0) -> str:
        """``text`` (already clean) broken into lines of ``room_mm`` millimetres in the current
        font by the Chinese rules (:func:`break_lines`) in a Chinese report; as it is in an
        English one, where fpdf2 breaks at spaces. ``room_mm`` defaults to the width left on
        the line, less ``padding`` or the cell margins on each side.
        """
        if self.report_lang != "zh":
            return text
        if room_mm is None:
            margin = padding if padding else self.c_margin
            room_mm = self.w - self.r_margin - self.x - 2 * margin
        return break_lines(text, room_mm, self.get_string_width)

    def output(self, *args: Any, **kwargs: Any) -> Any:  # noqa: D102 - fpdf2's, fonts closed
        try:
            return super().output(*args, **kwargs)
        finally:
            self.close_fonts()

    def close_fonts(self) -> None:
        """Close the font files fpdf2 keeps open to read glyphs lazily (else each is closed
        only when collected, with a ResourceWarning). The document sets no text after it.
        """
        for font in self.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:
                ttfont.close()

    def keep(self, height_mm: float) -> None:
        """Start a new page unless ``height_mm`` millimetres fit below: what follows (a
        caption and the chart it describes) stays together on one page.
        """
        if self.will_page_break(height_mm):
            self.add_page()

    @staticmethod
    def chart_mm(height_in: float, width_in: float = 7.0) -> float:
        """The height a chart of ``height_in`` takes on the page, millimetres."""
        return CONTENT_MM * height_in / width_in

    def footer(self) -> None:  # noqa: D102 - fpdf2 hook
        if self.page_no() == 1:
            return
        self.set_y(-MARGIN_MM)
        self.set_font(self.family, size=7.5)
        self.set_text_color(*MUTED)
        self.cell(CONTENT_MM / 2, 5, self.clean(self.footer_text), align="L")
        self.cell(CONTENT_MM / 2, 5, f"{self.page_no()} / {_PAGES_ALIAS}", align="R")
        self.set_text_color(*INK)

    def heading(
        self, text: str, level: int = 1, *, keep: float = 45.0, new_page: bool = True
    ) -> None:
        """A section (level 1, on a new page) or sub-section heading, with a bookmark.

        A sub-section heading starts a new page unless ``keep`` millimetres fit below it, so
        that it never stands alone at the foot of a page. A short section
        (``new_page=False``) follows the previous one on its page when ``keep`` fits.
        """
        text = self.clean(text)
        if level == 1:
            fits = not new_page and self.page > 1 and not self.will_page_break(keep + 12)
            if fits:
                self.ln(6)
            elif self.page == 0 or self.y > self.t_margin + 0.5 or self.page == 1:
                self.add_page()
            self.start_section(text, level=0)
            self.set_font(self.family, self.bold, size=17)
            self.set_text_color(*ACCENT)
            with self.bold_text():
                self.multi_cell(
                    0, 9, self.fit(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                    wrapmode=self.wrap,
                )  # fmt: skip
            self.ln(2)
        else:
            if self.will_page_break(keep + 12):
                self.add_page()
            self.ln(3)
            self.start_section(text, level=1)
            self.set_font(self.family, self.bold, size=12)
            self.set_text_color(*ACCENT)
            with self.bold_text():
                self.multi_cell(
                    0, 7, self.fit(text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT,
                    wrapmode=self.wrap,
                )  # fmt: skip
            self.ln(1)
        self.set_text_color(*INK)
        self.set_font(self.family, size=10)
        self.heading_end = (self.page, self.y)

    @contextmanager
    def bold_text(self) -> Iterator[None]:
        """Bold for the text set inside: the bold font, or the faux bold where there is none."""
        if self.bold:
            yield
        else:
            with self._stroked():
                yield

    def para(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        """A paragraph that wraps at the margins."""
        self.set_font(self.family, size=size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(
            0,
            size * 0.5,
            self.fit(self.clean(text)),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=self.wrap,
        )
        self.set_text_color(*INK)
        self.ln(1.5)

    def note(self, text: str) -> None:
        """Why a section or table is empty, in a grey box."""
        self.set_font(self.family, size=9.5)
        self.set_fill_color(*ZEBRA)
        self.set_text_color(*MUTED)
        self.multi_cell(
            0,
            5,
            self.fit(self.clean(text), padding=2),
            fill=True,
            padding=2,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
            wrapmode=self.wrap,
        )
        self.set_text_color(*INK)
        self.ln(2)

    def bullets(self, items: Iterable[str], *, size: float = 9.5) -> None:
        """A bulleted list."""
        self.set_font(self.family, size=size)
        for item in items:
            self.cell(5, size * 0.5, "•")
            self.multi_cell(
                0,
                size * 0.5,
                self.fit(self.clean(item)),
                align="L",
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                wrapmode=self.wrap,
            )
        self.ln(1.5)

    # -- tables -------------------------------------------------------------------------------

    def table_of(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float],
        *,
        align: str | None = None,
        lights: Sequence[str | None] | None = None,
        light_col: int | None = None,
        size: float = 8.5,
        whole: Sequence[int] = (),
        long: Sequence[int] = (),
    ) -> None:
        """A table whose header repeats on every page and whose long cells wrap.

        Parameters
        ----------
        header : sequence of str
            Column titles.
        rows : iterable of sequences
            Cell values; ``None`` and NaN print empty.
        widths : sequence of float
            Relative column widths; the table spans the text width.
        align : str, optional
            One letter per column, ``L`` or ``R`` (default: all left).
        lights : sequence, optional
            A traffic light (``green``, ``amber``, ``red`` or None) per row.
        light_col : int, optional
            The column whose cell the row's light fills.
        size : float
            Font size (points).
        whole : sequence of int
            Columns of the report's own words (an action, a countermeasure), set whole
            however long; other cells are user text, cut at :data:`MAX_CELL_CHARS`.
        long : sequence of int
            Columns of evidence lists, cut at :data:`MAX_LONG_CELL_CHARS`.
        """
        align = align or "L" * len(header)
        table_rows = [list(values) for values in rows]
        self.set_font(self.family, size=size)
        rooms = self._rooms(widths)
        if len(table_rows) <= KEEP_WHOLE_ROWS and (self.page, self.y) != self.heading_end:
            heights = self._rows_mm(header, table_rows, rooms, size, whole, long)
            room = self.page_break_trigger - self.y
            here = sum(1 for end in accumulate(heights) if end <= room) - 1  # rows on this page
            spill = len(table_rows) - here
            if 0 < spill and (here < 2 or spill < 2) and sum(heights) + 3 < self.eph - 20:
                self.add_page()  # whole on the next page, not a lone row at a page's edge
        self.set_draw_color(200, 200, 200)
        self.set_line_width(_BORDER_MM)
        heading = (
            FontFace(emphasis="BOLD", fill_color=HEADER_FILL)
            if self.bold
            else FontFace(family=_HEAD_FAMILY, fill_color=HEADER_FILL)
        )
        with self.table(
            col_widths=tuple(widths),
            width=CONTENT_MM,
            text_align=tuple("RIGHT" if a == "R" else "LEFT" for a in align),
            headings_style=heading,
            line_height=size * 0.5,
            padding=(0.8, 1.2),
            cell_fill_color=ZEBRA,
            cell_fill_mode=TableCellFillMode.ROWS,
            repeat_headings=1,
            wrapmode=self.wrap,
        ) as table:
            head = table.row()
            for h, room in zip(header, rooms, strict=True):
                text = self.clean(h)
                fit = _head_size(self, text, room, size)
                style = None
                if fit < size:  # shrink the title rather than break a word in two
                    style = FontFace(
                        emphasis=heading.emphasis, family=heading.family,
                        fill_color=HEADER_FILL, size_pt=fit,
                    )  # fmt: skip
                self.set_font_size(fit)
                head.cell(self.fit(text, room), style=style)
                self.set_font_size(size)
            for i, values in enumerate(table_rows):
                row = table.row()
                for j, value in enumerate(values):
                    style = None
                    if lights is not None and j == light_col and lights[i] in LIGHTS:
                        style = FontFace(fill_color=LIGHTS[str(lights[i])])
                    text = _cell_text(self, value, _limit(j, whole, long))
                    row.cell(self.fit(text, rooms[j]), style=style)
        self.ln(3)

    def table_mm(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[object]],
        widths: Sequence[float],
        *,
        size: float = 8.5,
        whole: Sequence[int] = (),
        long: Sequence[int] = (),
    ) -> float:
        """The height :meth:`table_of` would take with these arguments, millimetres: what a
        heading above it keeps below itself, so that the two stay on one page.
        """
        self.set_font(self.family, size=size)
        rows_ = [list(r) for r in rows]
        return sum(self._rows_mm(header, rows_, self._rooms(widths), size, whole, long)) + 3

    def _rooms(self, widths: Sequence[float]) -> list[float]:
        """Room for the text of each column of a table spanning the text width, millimetres:
        its share of the width less the cells' padding and border.
        """
        total = float(sum(widths))
        return [CONTENT_MM * width / total - 2 * 1.2 - _BORDER_MM for width in widths]

    def _rows_mm(
        self,
        header: Sequence[str],
        rows: list[list[object]],
        rooms: list[float],
        size: float,
        whole: Sequence[int],
        long: Sequence[int],
    ) -> list[float]:
        """The heights of the header and each row of :meth:`table_of`, millimetres: each row
        as tall as its cell of most lines, with the cells' padding.
        """
        line = size * 0.5

        def lines(text: str, room: float) -> int:
            wrapped = self.multi_cell(  # the text's room, as the table's cell gives it
                room + 2 * self.c_margin, line, text, dry_run=True, output=MethodReturnValue.LINES,
                wrapmode=self.wrap,
            )  # fmt: skip
            return max(1, len(wrapped))  # type: ignore[arg-type]

        heights = [
            max(
                lines(self.fit(self.clean(h), room), room)
                for h, room in zip(header, rooms, strict=True)
            )
        ]
        for values in rows:
            heights.append(
                max(
                    lines(self.fit(_cell_text(self, v, _limit(j, whole, long)), rooms[j]), rooms[j])
                    for j, v in enumerate(values)
                )
            )
        return [n * line + 2 * 0.8 + _BORDER_MM for n in heights]

    # -- charts -------------------------------------------------------------------------------

    def chart(
        self, draw: Callable[[Axes], Any], *, height_in: float = 3.3, width_in: float = 7.0
    ) -> None:
        """Draw a chart with ``draw(ax)`` and place it across the text width."""
        import matplotlib as mpl
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        family = _register_chart_font()
        families = [family, "DejaVu Sans"] if self.report_lang == "zh" else ["DejaVu Sans", family]
        rc: dict[str, Any] = {
            "font.family": "sans-serif",
            "font.sans-serif": families,
            "font.size": 8.5,
            "axes.titlesize": 10,
            "axes.unicode_minus": False,
            "svg.hashsalt": "tts",
            "text.parse_math": False,  # user text is text: "$x$" is not math
        }
        with mpl.rc_context(rc):  # type: ignore[arg-type]
            fig = Figure(figsize=(width_in, height_in), layout="constrained")
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
            draw(ax)
            _shorten_labels(fig)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=CHART_DPI, metadata={"Software": None})
        height_mm = self.chart_mm(height_in, width_in)
        if self.will_page_break(height_mm + 2):
            self.add_page()
        self.image(buf, x=MARGIN_MM, w=CONTENT_MM, h=height_mm)
        self.ln(3)


def _head_size(doc: Document, text: str, room_mm: float, size: float) -> float:
    """The font size (points) at which the longest Latin word of a column title fits in
    ``room_mm``, at most ``size`` and at least :data:`MIN_HEAD_PT` (Chinese breaks anywhere).
    """
    words = [x for x in text.split() if x.isascii()]
    if not words:
        return size
    doc.set_font(doc.family, doc.bold, size=size)
    widest = max(doc.get_string_width(x) for x in words)
    doc.set_font(doc.family, size=size)
    if widest <= room_mm:
        return size
    return max(MIN_HEAD_PT, math.floor(size * room_mm / widest * 2) / 2)


def _limit(column: int, whole: Sequence[int], long: Sequence[int]) -> int | None:
    """The characters a cell of ``column`` keeps (None: whole); see :meth:`Document.table_of`."""
    return None if column in whole else MAX_LONG_CELL_CHARS if column in long else MAX_CELL_CHARS


def _cell_text(doc: Document, value: object, limit: int | None = MAX_CELL_CHARS) -> str:
    """A cell's text, cut at ``limit`` characters (none: whole)."""
    if value is None:
        return ""
    if isinstance(value, float) and value != value:
        return ""
    text = doc.clean(value)
    return text if limit is None else shorten(text, limit)


def _shorten_labels(fig: Any) -> None:
    """Cut long texts of a chart (user ids as tick labels, annotations) to a label's length."""
    from matplotlib.category import StrCategoryFormatter
    from matplotlib.text import Text
    from matplotlib.ticker import FixedFormatter, FuncFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            f = axis.get_major_formatter()
            if isinstance(f, FixedFormatter | StrCategoryFormatter):
                axis.set_major_formatter(
                    FuncFormatter(lambda x, pos, f=f: shorten(str(f(x, pos)), MAX_LABEL_CHARS))
                )
    own = {id(ax.title) for ax in fig.axes}
    own |= {id(ax.xaxis.label) for ax in fig.axes} | {id(ax.yaxis.label) for ax in fig.axes}
    for text in fig.findobj(Text):
        limit = MAX_TITLE_CHARS if id(text) in own else MAX_LABEL_CHARS
        if len(text.get_text()) > limit:
            text.set_text(shorten(text.get_text(), limit))
