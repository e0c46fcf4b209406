"""Charts drawn on the server as inline SVG: horizontal bars, progress rows and columns over time.

Why drawn here and this way:

- accessible: the ``<svg>`` is an image named by its ``<title>`` and ``<desc>``; the description says every
  value in words, and a ``<details>`` beside it holds the table behind the chart, with its links;
- no script: nothing is computed in the browser, so the chart shows with scripts off;
- printable: each shape has a class (``chart-bar chart-overdue``) for the stylesheet *and* an inline ``fill``,
  so it shows and prints without the stylesheet; every value is also printed as text (never colour alone);
- mirrored: on right-to-left pages the bars grow from the right, the labels stand on the right and the oldest
  column is on the right; the ``<svg>`` carries ``direction`` so the text anchors read in the page's direction.

The geometry is fixed (640 user units wide), scaled by the ``viewBox``; no font is loaded. Every word given
(title, description, labels, numbers) is escaped. The output is deterministic and linear in the number of bars.
"""

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

TONES = ("overdue", "due-soon", "open", "done", "neutral")
FILLS = {
    "overdue": "#b3261e",
    "due-soon": "#8a5a00",
    "open": "#1f5fa8",
    "done": "#2e7d32",
    "neutral": "#5f6368",
}
TRACK_FILL = "#e8eaed"
TEXT_FILL = "#202124"
BASELINE_STROKE = "#5f6368"
NO_VALUE = "—"
MOST_BARS = 500

WIDTH = 640
PAD = 4
FONT_SIZE = 12
BASELINE_SHIFT = 4  # from the middle of a row down to the baseline of 12-unit text

# the rows of bar_chart and progress_chart: label, plot, value
ROW = 28
BAR_HEIGHT = 18
ROWS_TOP = 8
PLOT_LEFT = 192
PLOT_RIGHT = 584
PLOT_WIDTH = PLOT_RIGHT - PLOT_LEFT
LABEL_CHARACTERS = 26

# columns_chart: values above, plot, labels below
COLUMNS_TOP = 22
COLUMNS_HEIGHT = 160
COLUMN_WIDEST = 40
COLUMNS_UPRIGHT = 12  # more columns than this and their labels are turned 45°
COLUMN_LABEL_CHARACTERS = 12
TURNED_GUTTER = 48  # room at the reading start for the first turned label

EMPTY = frozenset({"rect", "line"})
IDENT = re.compile(r"[a-z0-9-]{1,40}")


# how each status of a commitment is drawn: met, under way, held up, not met; the rest (drafts, noted,
# cancelled, superseded: no longer or not yet promises) grey
STATUS_TONES = {
    "delivered": "done",
    "fulfilled": "done",
    "partially_fulfilled": "done",
    "agreed": "open",
    "in_progress": "open",
    "stalled": "due-soon",
    "suspended": "due-soon",
    "not_fulfilled": "overdue",
}


def status_tone(status: str) -> str:
    return STATUS_TONES.get(status, "neutral")


@dataclass(frozen=True)
class Bar:
    label: str  # user data (a party's or series' name): always escaped
    value: float  # a count, or a percent for progress
    href: str | None = None  # the list this bar summarises; the bar and its label link there
    tone: str = "neutral"  # one of TONES: a CSS class chart-<tone>
    lang: str | None = None  # the label's language, where it is not the page's (a record's own words)

    def __post_init__(self) -> None:
        _check_tone(self.tone)


@dataclass(frozen=True)
class Progress:
    """A row of a progress chart: a percent from 0 to 100, or None when there is nothing to measure."""

    label: str
    value: float | None
    href: str | None = None
    tone: str = "neutral"
    lang: str | None = None  # the label's language, where it is not the page's

    def __post_init__(self) -> None:
        _check_tone(self.tone)


@dataclass(frozen=True)
class Labels:
    """Words the page gives in its language."""

    table: str  # the summary of the <details> holding the table behind the chart, e.g. "The figures"
    name: str  # first column heading, e.g. "Party"
    value: str  # second column heading, e.g. "Overdue"


def bar_chart(
    ident: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    labels: Labels,
    *,
    rtl: bool,
    number: Callable[[float], str],
) -> Markup:
    """Horizontal bars, one row each: the label, the bar (the longest fills the plot) and the value at its end."""
    _check(ident, bars)
    longest = max((_magnitude(bar.value) for bar in bars), default=0.0)
    rows = []
    for index, bar in enumerate(bars):
        top = ROWS_TOP + index * ROW
        width = PLOT_WIDTH * _magnitude(bar.value) / longest if longest else 0.0
        printed = number(bar.value)
        shapes = (
            _row_label(bar.label, top, rtl),
            _bar(PLOT_LEFT, top + (ROW - BAR_HEIGHT) / 2, width, BAR_HEIGHT, bar.tone, rtl),
            _text(PLOT_LEFT + width + PAD, top + ROW / 2 + BASELINE_SHIFT, printed, "chart-value", rtl),
        )
        rows.append(_linked(bar.label, printed, bar.href, shapes, bar.lang))
    return _rows_figure(ident, title, description, bars, [number(bar.value) for bar in bars], labels, rtl, rows)


def progress_chart(
    ident: str,
    title: str,
    description: str,
    bars: Sequence[Progress | Bar],
    labels: Labels,
    *,
    rtl: bool,
    number: Callable[[float], str],
) -> Markup:
    """One row each: the label, a full track, a fill of the percent, and the percent printed ("—" for None)."""
    _check(ident, bars)
    rows = []
    for index, bar in enumerate(bars):
        top = ROWS_TOP + index * ROW
        middle = top + (ROW - BAR_HEIGHT) / 2
        printed = _percent(bar.value, number)
        shapes = [
            _row_label(bar.label, top, rtl),
            _rect(PLOT_LEFT, middle, PLOT_WIDTH, BAR_HEIGHT, rtl, classes="chart-track", fill=TRACK_FILL),
        ]
        if bar.value is not None:
            width = PLOT_WIDTH * min(_magnitude(bar.value), 100.0) / 100
            shapes.append(_bar(PLOT_LEFT, middle, width, BAR_HEIGHT, bar.tone, rtl))
        shapes.append(_text(PLOT_RIGHT + PAD, top + ROW / 2 + BASELINE_SHIFT, printed, "chart-value", rtl))
        rows.append(_linked(bar.label, printed, bar.href, shapes, bar.lang))
    printed_all = [_percent(bar.value, number) for bar in bars]
    return _rows_figure(ident, title, description, bars, printed_all, labels, rtl, rows)


def columns_chart(
    ident: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    labels: Labels,
    *,
    rtl: bool,
    number: Callable[[float], str],
) -> Markup:
    """Vertical columns over time, oldest first (on the left, or on the right when rtl), on a baseline.

    A value is printed above its column when it is above zero; the period's label stands under its column,
    turned 45° when there are more than 12. Every value and label is in the description and the table."""
    _check(ident, bars)
    tallest = max((_magnitude(bar.value) for bar in bars), default=0.0)
    turned = len(bars) > COLUMNS_UPRIGHT
    start = PAD + (TURNED_GUTTER if turned else 0)  # turned labels reach back past the first column
    slot = (WIDTH - PAD - start) / max(len(bars), 1)
    column_width = min(slot * 0.7, COLUMN_WIDEST)
    baseline = COLUMNS_TOP + COLUMNS_HEIGHT
    columns = []
    for index, bar in enumerate(bars):
        centre = start + slot * (index + 0.5)
        height = COLUMNS_HEIGHT * _magnitude(bar.value) / tallest if tallest else 0.0
        printed = number(bar.value)
        shapes = [_bar(centre - column_width / 2, baseline - height, column_width, height, bar.tone, rtl)]
        if _magnitude(bar.value) > 0:
            shapes.append(_text(centre, baseline - height - PAD, printed, "chart-value", rtl, anchor="middle"))
        shapes.append(_column_label(bar.label, centre, baseline, turned, rtl))
        columns.append(_linked(bar.label, printed, bar.href, shapes, bar.lang))
    line = _tag(
        "line",
        {
            "class": "chart-baseline",
            "x1": _n(_x(start, rtl)),
            "y1": _n(baseline),
            "x2": _n(_x(WIDTH - PAD, rtl)),
            "y2": _n(baseline),
            "stroke": BASELINE_STROKE,
            "stroke-width": "1",
        },
    )
    return _figure(
        ident,
        title,
        description,
        [(bar.label, number(bar.value), bar.href, bar.lang) for bar in bars],
        labels,
        rtl=rtl,
        height=baseline + (64 if turned else 24),
        drawing=Markup("").join([line, *columns]),
    )


# --- checks ---------------------------------------------------------------------------------------------------------


def _check_tone(tone: str) -> None:
    if tone not in TONES:
        raise ValueError(f"a chart's tone is one of {', '.join(TONES)}, not {tone!r}")


def _check(ident: str, bars: Sequence[object]) -> None:
    if not IDENT.fullmatch(ident):
        raise ValueError(f"a chart's ident is 1 to 40 of a-z, 0-9 and '-', not {ident!r}")
    if len(bars) > MOST_BARS:
        raise ValueError(f"a chart draws at most {MOST_BARS} bars, not {len(bars)}")


def _magnitude(value: float) -> float:
    """How much of a bar to draw: nothing for a negative or non-finite value."""
    return value if math.isfinite(value) and value > 0 else 0.0


def _percent(value: float | None, number: Callable[[float], str]) -> str:
    return NO_VALUE if value is None else number(value) + " %"


# --- the figure around the drawing ----------------------------------------------------------------------------------


def _figure(
    ident: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, str, str | None, str | None]],
    labels: Labels,
    *,
    rtl: bool,
    height: float,
    drawing: Markup,
) -> Markup:
    """The figure: its caption, the SVG named by its title and description, and the table behind it."""
    said = "; ".join(f"{label}: {value}" for label, value, _, _ in rows)
    svg = _tag(
        "svg",
        {
            "role": "img",
            "aria-labelledby": f"{ident}-svg-title {ident}-svg-desc",
            "viewBox": f"0 0 {WIDTH} {_n(height)}",
            "width": "100%",
            "preserveAspectRatio": "xMinYMin meet",
            "class": "chart-svg",
            "direction": "rtl" if rtl else "ltr",
            "font-size": str(FONT_SIZE),
        },
        _tag("title", {"id": f"{ident}-svg-title"}, title),
        _tag("desc", {"id": f"{ident}-svg-desc"}, f"{description} {said}" if said else description),
        drawing,
    )
    return _tag(
        "figure",
        {"class": "chart", "id": f"chart-{ident}"},
        _tag("figcaption", {"id": f"{ident}-title"}, title),
        svg,
        _table(title, rows, labels),
    )


def _rows_figure(
    ident: str,
    title: str,
    description: str,
    bars: Sequence[Progress | Bar],
    printed: Sequence[str],
    labels: Labels,
    rtl: bool,
    rows: Sequence[Markup],
) -> Markup:
    """The figure of a chart drawn in rows (bars or progress), each bar's value as printed."""
    return _figure(
        ident,
        title,
        description,
        [(bar.label, value, bar.href, bar.lang) for bar, value in zip(bars, printed, strict=True)],
        labels,
        rtl=rtl,
        height=_rows_height(len(bars)),
        drawing=Markup("").join(rows),
    )


def _table(title: str, rows: Iterable[tuple[str, str, str | None, str | None]], labels: Labels) -> Markup:
    head = _tag(
        "thead",
        {},
        _tag("tr", {}, _tag("th", {"scope": "col"}, labels.name), _tag("th", {"scope": "col"}, labels.value)),
    )
    body = _tag(
        "tbody",
        {},
        *(
            _tag(
                "tr",
                {},
                _tag(
                    "th",
                    {"scope": "row", **({"lang": lang} if lang else {})},
                    _tag("a", {"href": href}, label) if href else label,
                ),
                _tag("td", {}, value),
            )
            for label, value, href, lang in rows
        ),
    )
    return _tag(
        "details",
        {"class": "chart-table"},
        _tag("summary", {}, labels.table),
        _tag("table", {}, _tag("caption", {}, title), head, body),
    )


# --- shapes ---------------------------------------------------------------------------------------------------------


def _linked(label: str, printed: str, href: str | None, shapes: Iterable[Markup], lang: str | None = None) -> Markup:
    """A row's or column's shapes, in a link to its list when it has one; named "label: value" either way; in
    the label's language where it is not the page's."""
    name = f"{label}: {printed}"
    spoken = {"lang": lang} if lang else {}
    if href:
        attributes = {"href": href, "aria-label": name, "class": "chart-link", **spoken}
        return _tag("a", attributes, _tag("title", {}, name), *shapes)
    return _tag("g", {"class": "chart-row", **spoken}, _tag("title", {}, name), *shapes)


def _row_label(label: str, top: float, rtl: bool) -> Markup:
    return _text(PAD, top + ROW / 2 + BASELINE_SHIFT, _shorten(label, LABEL_CHARACTERS), "chart-label", rtl)


def _column_label(label: str, centre: float, baseline: float, turned: bool, rtl: bool) -> Markup:
    shown = _shorten(label, COLUMN_LABEL_CHARACTERS)
    if not turned:
        return _text(centre, baseline + 16, shown, "chart-label", rtl, anchor="middle")
    # the label ends under its column and runs down away from it: to the left, or to the right when mirrored
    x, y = _x(centre, rtl), baseline + 12
    turn = f"rotate({45 if rtl else -45} {_n(x)} {_n(y)})"
    return _text(centre, y, shown, "chart-label", rtl, anchor="end", transform=turn)


def _bar(x: float, y: float, width: float, height: float, tone: str, rtl: bool) -> Markup:
    return _rect(x, y, width, height, rtl, classes=f"chart-bar chart-{tone}", fill=FILLS[tone])


def _rect(x: float, y: float, width: float, height: float, rtl: bool, *, classes: str, fill: str) -> Markup:
    """A rectangle drawn from x rightwards, or mirrored from the right edge leftwards when rtl."""
    left = WIDTH - x - width if rtl else x
    attributes = {"class": classes, "x": _n(left), "y": _n(y), "width": _n(width), "height": _n(height)}
    return _tag("rect", {**attributes, "fill": fill})


def _text(
    x: float,
    y: float,
    content: str,
    classes: str,
    rtl: bool,
    *,
    anchor: str = "start",
    transform: str = "",
) -> Markup:
    """Text at x measured from the reading start (the right edge when rtl); anchors follow the svg's direction."""
    attributes = {"class": classes, "x": _n(_x(x, rtl)), "y": _n(y), "text-anchor": anchor, "fill": TEXT_FILL}
    if transform:
        attributes["transform"] = transform
    return _tag("text", attributes, content)


def _x(x: float, rtl: bool) -> float:
    return WIDTH - x if rtl else x


def _rows_height(count: int) -> float:
    return 2 * ROWS_TOP + ROW * max(count, 1)


def _shorten(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _n(value: float) -> str:
    """A coordinate in user units, the same bytes for the same value: at most two decimals, no trailing zeros."""
    written = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if written == "-0" else written


def _tag(name: str, attributes: dict[str, str], *children: Markup | str) -> Markup:
    """An element; attribute values and str children are escaped, Markup children are kept as they are.

    Only the SVG shapes are written empty (``<rect />``): an HTML element always gets its end tag."""
    written = Markup("").join(Markup(' {}="{}"').format(key, value) for key, value in attributes.items())
    if not children and name in EMPTY:
        return Markup("<{}{} />").format(name, written)
    return Markup("<{0}{1}>{2}</{0}>").format(name, written, Markup("").join(escape(child) for child in children))
