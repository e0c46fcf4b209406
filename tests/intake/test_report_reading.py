"""Reading a meeting report: dates as Arabic and English reports write them, and the annotated
reports of ``tests/reports`` read to the targets (precision and recall per kind, ``bench.extraction``)."""

from datetime import date

import pytest

from bench.extraction import score
from domain.reading.dates import find_dates
from domain.reading.ordinals import ordinal_at
from domain.reading.report import read_report

PUBLISHED = date(2024, 12, 6)  # a Friday


@pytest.mark.parametrize(
    "written, kind, first, last",
    [
        ("18-20 يوليو 2022", "range", "2022-07-18", "2022-07-20"),
        ("١٨ - ٢٠ تموز ٢٠٢٢", "range", "2022-07-18", "2022-07-20"),
        ("يومي 8 و9 يوليوز 2024", "range", "2024-07-08", "2024-07-09"),
        ("في 3 شتنبر 2024", "day", "2024-09-03", "2024-09-03"),
        ("غشت 2023", "month", "2023-08-01", "2023-08-31"),
        ("فاتح يوليوز 2025", "day", "2025-07-01", "2025-07-01"),
        ("عقد اليوم الجمعة", "day", "2024-12-06", "2024-12-06"),
        ("في 28 نونبر الماضي", "day", "2024-11-28", "2024-11-28"),
        ("يوم 2 دجنبر الجاري", "day", "2024-12-02", "2024-12-02"),
        ("28 من الشهر الجاري", "day", "2024-12-28", "2024-12-28"),
        ("from 30 November to 2 December 2024", "range", "2024-11-30", "2024-12-02"),
        ("on July 18, 2022", "day", "2022-07-18", "2022-07-18"),
        ("الإطار الإقليمي 2023-2028", "period", "2023-01-01", "2028-12-31"),
    ],
)
def test_dates_are_read_as_arabic_and_english_reports_write_them(
    written: str, kind: str, first: str, last: str
) -> None:
    [found] = find_dates(written, PUBLISHED)
    assert (found.kind, str(found.first), str(found.last)) == (kind, first, last)


@pytest.mark.parametrize(
    "written, due",
    [
        ("في 2024", ("year", 2024, None)),
        ("سنة 2025", ("year", 2025, None)),
        ("للسنتين القادمتين", ("span", None, 2)),
        ("في العامين المقبلين", ("span", None, 2)),
        ("for the next two years", ("span", None, 2)),
        ("خلال السنوات الثلاث المقبلة", ("span", None, 3)),
    ],
)
def test_years_and_spans_after_the_meeting_are_read(written: str, due: tuple[object, ...]) -> None:
    [found] = find_dates(written, PUBLISHED)
    assert (found.kind, found.year, found.amount) == due


@pytest.mark.parametrize(
    "written, number",
    [
        ("الدورة السادسة عشرة", 16),
        ("الاجتماع العام الحادي والعشرون", 21),
        ("الدورة الـ 91", 91),
        ("الدورة 93", 93),
        ("the 50th session", 50),
        ("the fourth consultation", 4),
    ],
)
def test_session_numbers_are_read_as_words_and_as_digits(written: str, number: int) -> None:
    for start in range(len(written)):
        found = ordinal_at(written, start)
        if found:
            assert found[0] == number
            return
    pytest.fail(f"no number in {written!r}")


def test_a_follow_up_session_is_proposed_with_its_number_year_and_venue_and_the_rhythm_of_its_series() -> None:
    text = (
        "واتفق الاجتماع على مصفوفة للأنشطة المشتركة للسنتين القادمتين.كما تم الاتفاق على عقد الدورة السادسة عشرة "
        "للاجتماع العام للتعاون في 2024 في مقر المنظمة الإسلامية للأمن الغذائي (IOFS).\n"
        "ويعقد الاجتماع العام مرة كل سنتين."
    )
    reading = read_report(text, date(2022, 7, 21), [])
    [follow_up] = reading.of("follow_up")
    assert (follow_up.value["session_number"], follow_up.value["due"]) == (16, {"precision": "year", "value": "2024"})
    assert follow_up.value["venue"].startswith("مقر المنظمة الإسلامية للأمن الغذائي")
    assert text[follow_up.start : follow_up.end].startswith("كما تم الاتفاق على عقد الدورة السادسة عشرة")
    [rhythm] = reading.of("recurrence")
    assert rhythm.value["every"] == 2 and text[rhythm.start : rhythm.end] == "مرة كل سنتين"
    [new] = reading.of("party")
    assert (new.value["known"], new.value["acronym"]) == (False, "IOFS")


def test_the_annotated_reports_are_read_to_the_targets() -> None:
    tallies = score()
    for kind, least in (("dates", 0.9), ("follow_ups", 0.9), ("parties", 0.8), ("commitments", 0.8)):
        assert tallies[kind].recall >= least, (kind, tallies[kind].misses)
        assert tallies[kind].precision >= 0.8, (kind, tallies[kind].wrong)
