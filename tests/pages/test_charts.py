"""The charts drawn on the server: named for a screen reader, the table behind them, proportions, mirroring,
escaping, links, empty lists and the page's own numbers."""

import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import pytest
from markupsafe import Markup

from api.web.charts import (
    PLOT_LEFT,
    PLOT_RIGHT,
    PLOT_WIDTH,
    WIDTH,
    Bar,
    Labels,
    Progress,
    bar_chart,
    columns_chart,
    progress_chart,
)

LABELS = Labels(table="The figures", name="Party", value="Overdue")
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PARTIES = [
    Bar("Egypt", 8, href="/commitments?party=eg", tone="overdue"),
    Bar("France", 4, href="/commitments?party=fr&status=overdue", tone="overdue"),
    Bar("Kenya", 0),
]
MONTHS = [Bar(f"2025-{month:02}", month % 3, href=f"/commitments?month={month}") for month in range(1, 13)]


def plain(value: float) -> str:
    return f"{value:g}"


def arabic(value: float) -> str:
    return str(int(value)).translate(ARABIC_DIGITS)


def parsed(markup: Markup) -> ET.Element:
    assert isinstance(markup, Markup)
    root = ET.fromstring(f"<root>{markup}</root>")
    figure = root.find("figure")
    assert figure is not None
    return figure


def svg_of(figure: ET.Element) -> ET.Element:
    svg = figure.find("svg")
    assert svg is not None
    return svg


def by_id(figure: ET.Element, ident: str) -> ET.Element:
    found = [element for element in figure.iter() if element.get("id") == ident]
    assert len(found) == 1, f"{len(found)} elements with id {ident}"
    return found[0]


def bars_of(figure: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg_of(figure).iter("rect") if "chart-bar" in rect.get("class", "").split()]


def number(element: ET.Element, attribute: str) -> float:
    written = element.get(attribute)
    assert written is not None
    return float(written)


def table_rows(figure: ET.Element) -> list[tuple[str, str]]:
    rows = []
    for row in figure.iterfind("details/table/tbody/tr"):
        name, value = row.find("th"), row.find("td")
        assert name is not None and value is not None
        rows.append(("".join(name.itertext()), "".join(value.itertext())))
    return rows


def desc_of(figure: ET.Element) -> str:
    return "".join(by_id(figure, "parties-svg-desc").itertext())


def chart(bars: Sequence[Bar], *, rtl: bool = False, numbers: Callable[[float], str] = plain) -> ET.Element:
    drawn = bar_chart("parties", "Overdue by party", "Overdue commitments.", bars, LABELS, rtl=rtl, number=numbers)
    return parsed(drawn)


def test_a_bar_chart_names_itself_and_its_values_for_a_screen_reader() -> None:
    figure = chart(PARTIES)

    assert figure.get("id") == "chart-parties" and figure.get("class") == "chart"
    assert by_id(figure, "parties-title").tag == "figcaption"
    svg = svg_of(figure)
    assert svg.get("role") == "img"
    named_by = (svg.get("aria-labelledby") or "").split()
    assert named_by == ["parties-svg-title", "parties-svg-desc"]
    assert [by_id(figure, ident).tag for ident in named_by] == ["title", "desc"]
    assert "".join(by_id(figure, "parties-svg-title").itertext()) == "Overdue by party"
    assert desc_of(figure) == "Overdue commitments. Egypt: 8; France: 4; Kenya: 0"


def test_the_table_behind_a_chart_holds_every_row_under_the_page_s_headings() -> None:
    figure = chart(PARTIES)

    details = figure.find("details")
    assert details is not None and details.get("class") == "chart-table"
    assert details.findtext("summary") == "The figures"
    assert details.findtext("table/caption") == "Overdue by party"
    assert [th.text for th in details.iterfind("table/thead/tr/th")] == ["Party", "Overdue"]
    assert table_rows(figure) == [("Egypt", "8"), ("France", "4"), ("Kenya", "0")]
    assert all(th.get("scope") == "row" for th in details.iterfind("table/tbody/tr/th"))


def test_the_longest_bar_fills_the_plot_and_the_others_are_in_proportion() -> None:
    egypt, france, kenya = bars_of(chart(PARTIES))

    assert number(egypt, "x") == PLOT_LEFT and number(egypt, "width") == PLOT_WIDTH
    assert number(france, "width") == pytest.approx(PLOT_WIDTH / 2)
    assert number(kenya, "width") == 0


def test_a_right_to_left_chart_is_mirrored() -> None:
    figure = chart(PARTIES, rtl=True)
    egypt, france, _ = bars_of(figure)

    assert svg_of(figure).get("direction") == "rtl"
    assert number(egypt, "x") + number(egypt, "width") == pytest.approx(WIDTH - PLOT_LEFT)
    assert number(france, "x") + number(france, "width") == pytest.approx(WIDTH - PLOT_LEFT)
    assert number(france, "width") == pytest.approx(PLOT_WIDTH / 2)
    labels = [text for text in svg_of(figure).iter("text") if text.get("class") == "chart-label"]
    assert all(number(label, "x") > WIDTH - PLOT_LEFT for label in labels), "the labels stand on the right"
    values = [text for text in svg_of(figure).iter("text") if text.get("class") == "chart-value"]
    assert number(values[0], "x") < number(egypt, "x"), "the value is printed at the bar's left end"


def test_a_left_to_right_chart_prints_each_value_at_its_bar_s_end() -> None:
    figure = chart(PARTIES)
    values = [text for text in svg_of(figure).iter("text") if text.get("class") == "chart-value"]

    assert svg_of(figure).get("direction") == "ltr"
    assert [value.text for value in values] == ["8", "4", "0"]
    assert number(values[0], "x") > PLOT_RIGHT - 1


def test_labels_are_escaped_and_never_become_elements() -> None:
    figure = chart([Bar('<script>alert("x")</script>', 3, href='/x?a="1"&b=<2>')])

    assert not list(figure.iter("script"))
    assert '<script>alert("x")</script>: 3' in desc_of(figure)
    assert table_rows(figure) == [('<script>alert("x")</script>', "3")]
    assert [link.get("href") for link in svg_of(figure).iter("a")] == ['/x?a="1"&b=<2>']


def test_a_title_and_description_are_escaped_too() -> None:
    figure = parsed(bar_chart("t", "<b>bold</b>", "<i>it</i>", [], LABELS, rtl=False, number=plain))

    assert not list(figure.iter("b")) and not list(figure.iter("i"))
    assert by_id(figure, "t-title").text == "<b>bold</b>"


def test_a_bar_with_a_list_links_there_with_a_name_and_the_table_row_links_too() -> None:
    figure = chart(PARTIES)
    links = list(svg_of(figure).iter("a"))

    assert [link.get("href") for link in links] == ["/commitments?party=eg", "/commitments?party=fr&status=overdue"]
    assert [link.get("aria-label") for link in links] == ["Egypt: 8", "France: 4"]
    assert all(link.findtext("title") == link.get("aria-label") for link in links)
    assert all(link.find("rect") is not None and link.find("text") is not None for link in links)
    table_links = [a.get("href") for a in figure.iterfind("details/table/tbody/tr/th/a")]
    assert table_links == ["/commitments?party=eg", "/commitments?party=fr&status=overdue"]
    assert "xlink" not in str(bar_chart("p", "T", "D", PARTIES, LABELS, rtl=False, number=plain))


def test_every_bar_has_its_tone_as_a_class_and_an_inline_fill_that_prints() -> None:
    egypt, _, kenya = bars_of(chart(PARTIES))

    assert egypt.get("class") == "chart-bar chart-overdue" and egypt.get("fill") == "#b3261e"
    assert kenya.get("class") == "chart-bar chart-neutral" and kenya.get("fill") == "#5f6368"


@pytest.mark.parametrize("draw", [bar_chart, columns_chart, progress_chart])
def test_an_empty_list_still_draws_a_chart_that_says_only_its_description(draw: Callable[..., Markup]) -> None:
    figure = parsed(draw("parties", "Overdue by party", "Nothing is overdue.", [], LABELS, rtl=True, number=plain))

    assert desc_of(figure) == "Nothing is overdue."
    assert table_rows(figure) == []
    assert svg_of(figure).get("viewBox", "").startswith("0 0 640 ")


def test_zero_everywhere_draws_no_bar_and_divides_by_nothing() -> None:
    figure = chart([Bar("Egypt", 0), Bar("France", 0)])

    assert [number(bar, "width") for bar in bars_of(figure)] == [0, 0]


def test_numbers_pass_through_the_page_s_formatter() -> None:
    figure = chart(PARTIES, rtl=True, numbers=arabic)

    assert desc_of(figure) == "Overdue commitments. Egypt: ٨; France: ٤; Kenya: ٠"
    assert [value for _, value in table_rows(figure)] == ["٨", "٤", "٠"]
    assert "٨" in [text.text for text in svg_of(figure).iter("text")]


def test_a_progress_chart_fills_its_track_to_the_percent_and_prints_it() -> None:
    rows = [Progress("Egypt", 50, tone="done"), Progress("France", 100, href="/f", tone="open")]
    figure = parsed(progress_chart("progress", "Delivered", "Share delivered.", rows, LABELS, rtl=False, number=plain))
    tracks = [rect for rect in svg_of(figure).iter("rect") if rect.get("class") == "chart-track"]
    egypt, france = bars_of(figure)

    assert [number(track, "width") for track in tracks] == [PLOT_WIDTH, PLOT_WIDTH]
    assert all(track.get("fill") == "#e8eaed" for track in tracks)
    assert number(egypt, "width") == pytest.approx(PLOT_WIDTH / 2) and number(egypt, "x") == PLOT_LEFT
    assert number(france, "width") == PLOT_WIDTH and france.get("class") == "chart-bar chart-open"
    assert table_rows(figure) == [("Egypt", "50 %"), ("France", "100 %")]
    assert "".join(by_id(figure, "progress-svg-desc").itertext()) == "Share delivered. Egypt: 50 %; France: 100 %"


def test_a_progress_without_a_measure_has_no_fill_and_shows_a_dash() -> None:
    rows = [Progress("Egypt", None), Progress("France", 25)]
    figure = parsed(progress_chart("progress", "Delivered", "Share.", rows, LABELS, rtl=True, number=plain))

    assert len(bars_of(figure)) == 1
    assert table_rows(figure) == [("Egypt", "—"), ("France", "25 %")]
    assert "—" in [text.text for text in svg_of(figure).iter("text")]
    (france,) = bars_of(figure)
    assert number(france, "x") + number(france, "width") == pytest.approx(WIDTH - PLOT_LEFT)


def columns(bars: Sequence[Bar], *, rtl: bool) -> ET.Element:
    return parsed(columns_chart("months", "Due by month", "Due each month.", bars, LABELS, rtl=rtl, number=plain))


def centres(figure: ET.Element) -> list[float]:
    return [number(rect, "x") + number(rect, "width") / 2 for rect in bars_of(figure)]


def test_columns_run_oldest_first_from_the_left_and_are_mirrored_when_right_to_left() -> None:
    ltr, rtl = centres(columns(MONTHS, rtl=False)), centres(columns(MONTHS, rtl=True))

    assert ltr == sorted(ltr) and len(ltr) == 12
    assert rtl == sorted(rtl, reverse=True)
    assert [WIDTH - centre for centre in rtl] == pytest.approx(ltr, abs=0.02)  # coordinates are written to two decimals


def test_columns_print_only_the_values_above_zero_but_the_table_and_description_hold_them_all() -> None:
    figure = columns(MONTHS, rtl=False)
    printed = [text.text for text in svg_of(figure).iter("text") if text.get("class") == "chart-value"]
    months = [text.text for text in svg_of(figure).iter("text") if text.get("class") == "chart-label"]

    assert printed == [plain(bar.value) for bar in MONTHS if bar.value > 0]
    assert months == [bar.label for bar in MONTHS]
    assert table_rows(figure) == [(bar.label, plain(bar.value)) for bar in MONTHS]
    assert "2025-03: 0; 2025-04: 1" in "".join(by_id(figure, "months-svg-desc").itertext())
    assert [line.get("class") for line in svg_of(figure).iter("line")] == ["chart-baseline"]


def test_columns_stand_on_the_baseline_in_proportion_and_link_to_their_list() -> None:
    figure = columns(MONTHS, rtl=False)
    line = svg_of(figure).find("line")
    assert line is not None
    heights = [number(rect, "height") for rect in bars_of(figure)]

    assert all(number(rect, "y") + number(rect, "height") == number(line, "y1") for rect in bars_of(figure))
    assert heights[1] == pytest.approx(max(heights)) and heights[0] == pytest.approx(max(heights) / 2)
    assert [a.get("href") for a in svg_of(figure).iter("a")] == [bar.href for bar in MONTHS]


def test_two_years_of_months_turn_their_labels_and_keep_them_all() -> None:
    months = [Bar(f"{2024 + index // 12}-{index % 12 + 1:02}", index) for index in range(24)]
    ltr, rtl = columns(months, rtl=False), columns(months, rtl=True)

    for figure, turn in ((ltr, "rotate(-45 "), (rtl, "rotate(45 ")):
        labels = [text for text in svg_of(figure).iter("text") if text.get("class") == "chart-label"]
        assert [label.text for label in labels] == [bar.label for bar in months]
        assert all((label.get("transform") or "").startswith(turn) for label in labels)


def test_the_same_input_draws_the_same_bytes() -> None:
    first = bar_chart("p", "T", "D", PARTIES, LABELS, rtl=True, number=plain)

    assert first == bar_chart("p", "T", "D", PARTIES, LABELS, rtl=True, number=plain)


@pytest.mark.parametrize("ident", ["", "Status", "a b", "x" * 41, "a\n", '"><script>'])
def test_an_ident_that_is_not_a_short_slug_is_refused(ident: str) -> None:
    with pytest.raises(ValueError):
        bar_chart(ident, "T", "D", PARTIES, LABELS, rtl=False, number=plain)


def test_more_than_500_bars_are_refused_and_500_are_drawn() -> None:
    bars = [Bar(str(index), index) for index in range(500)]

    assert len(bars_of(parsed(bar_chart("many", "T", "D", bars, LABELS, rtl=False, number=plain)))) == 500
    with pytest.raises(ValueError):
        columns_chart("many", "T", "D", [*bars, Bar("one more", 1)], LABELS, rtl=False, number=plain)


def test_a_tone_outside_the_five_is_refused() -> None:
    with pytest.raises(ValueError):
        Bar("Egypt", 1, tone="red")
    with pytest.raises(ValueError):
        Progress("Egypt", 1, tone='x" onload="y')


def test_a_label_in_another_language_than_the_page_s_says_its_language() -> None:
    figure = chart([Bar("Strategic framework 2023–2028", 3, "/agreements/1", "open", lang="en")], rtl=True)
    (link,) = list(svg_of(figure).iter("a"))
    assert link.get("lang") == "en"
    (row,) = figure.iterfind("details/table/tbody/tr/th")
    assert row.get("lang") == "en"
    unmarked = chart([Bar("الأمم المتحدة", 3, "/x", "open")], rtl=True)
    assert all(a.get("lang") is None for a in svg_of(unmarked).iter("a"))
