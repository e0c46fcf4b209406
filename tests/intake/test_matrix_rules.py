"""How a spreadsheet's matrix is read: which column holds what, how cells name parties and
timeframes (the rules of ``domain.meetings.matrix_import``, with nothing else running)."""

import pytest

from domain.commitments.written_dues import written_due
from domain.errors import InvalidValue
from domain.meetings.matrix_import import PartyNames, layout, named_parties, row_key

NAMES = PartyNames(
    [
        ("UN", "UN", ["United Nations", "الأمم المتحدة"]),
        ("OIC", "OIC", ["Organisation of Islamic Cooperation", "منظمة التعاون الإسلامي"]),
        ("SESRIC", "SESRIC", ["Statistical, Economic and Social Research and Training Centre for Islamic Countries"]),
        ("IOFS", "IOFS", ["المنظمة الإسلامية للأمن الغذائي"]),
    ]
)


def test_arabic_and_english_headers_are_mapped_with_the_language_a_header_names() -> None:
    found = layout(
        ["No.", "النشاط", "Activity (fr)", "الجهة المسؤولة", "الجهات الشريكة", "Timeframe", "ملاحظات", "Budget", None]
    )
    assert [(c.header, c.field, c.language) for c in found.columns] == [
        ("No.", "key", None),
        ("النشاط", "activity", None),
        ("Activity (fr)", "activity", "fr"),
        ("الجهة المسؤولة", "lead", None),
        ("الجهات الشريكة", "partners", None),
        ("Timeframe", "due", None),
        ("ملاحظات", "notes", None),
    ]
    assert found.ignored == ("Budget",)


def test_headers_match_without_the_article_and_with_other_spellings_of_hamza_and_ta_marbuta() -> None:
    assert [c.field for c in layout(["الانشطة", "جهة مسؤوله", "الاطار الزمني"]).columns] == ["activity", "lead", "due"]


@pytest.mark.parametrize(
    "headers, refusal",
    [
        (["activity", "partners"], "no column holds the lead"),
        (["lead party", "notes"], "no column holds the activity"),
        (["activity", "lead", "Lead party"], "both hold the lead"),
    ],
)
def test_a_file_without_a_needed_column_or_with_one_twice_is_refused(headers: list[str], refusal: str) -> None:
    with pytest.raises(InvalidValue, match=refusal):
        layout(headers)


@pytest.mark.parametrize(
    "cell, parties, unknown",
    [
        ("UN, OIC", ["UN", "OIC"], []),
        ("الأمم المتحدة ومنظمة التعاون الإسلامي", ["UN", "OIC"], []),
        (
            "Statistical, Economic and Social Research and Training Centre for Islamic Countries and un",
            ["SESRIC", "UN"],
            [],
        ),
        ("المنظمة الاسلامية للامن الغذائي (IOFS)؛ اليونسكو", ["IOFS"], ["اليونسكو"]),
        ("UNDP, UNICEF and World Food Programme", [], ["UNDP", "UNICEF and World Food Programme"]),
    ],
)
def test_parties_are_found_by_acronym_or_by_any_name_and_the_rest_are_listed(
    cell: str, parties: list[str], unknown: list[str]
) -> None:
    assert named_parties(cell, NAMES.find) == (parties, unknown)


def test_a_name_two_parties_share_finds_neither() -> None:
    shared = PartyNames([("A", "A", ["Ministry of Health"]), ("B", "B", ["Ministry of Health"])])
    assert shared.find("Ministry of Health") is None and shared.find("b") == "B"


@pytest.mark.parametrize(
    "cell, due",
    [
        ("2024", ("year", "2024")),
        ("في 2024", ("year", "2024")),
        ("سنة ٢٠٢٥", ("year", "2025")),
        ("end of 2025", ("year", "2025")),
        ("بحلول نهاية عام 2026", ("year", "2026")),
        ("2024-Q3", ("quarter", "2024-Q3")),
        ("Q3 2024", ("quarter", "2024-Q3")),
        ("الربع الثالث 2024", ("quarter", "2024-Q3")),
        ("2024-06", ("month", "2024-06")),
        ("June 2024", ("month", "2024-06")),
        ("يونيو 2024", ("month", "2024-06")),
        ("غشت 2023", ("month", "2023-08")),
        ("تموز 2024", ("month", "2024-07")),
        ("كانون الثاني 2025", ("month", "2025-01")),
        ("30/06/2024", ("day", "2024-06-30")),
        ("3 شتنبر 2024", ("day", "2024-09-03")),
        (2024, ("year", "2024")),
        ("للسنتين القادمتين", ("relative", 2, "years")),
        ("خلال سنتين", ("relative", 2, "years")),
        ("18 months", ("relative", 18, "months")),
        ("within 6 months", ("relative", 6, "months")),
        ("a year", ("relative", 1, "years")),
        ("2 years after the meeting", ("relative", 2, "years")),
        ("6 mois après la réunion", ("relative", 6, "months")),
        ("سنتين بعد الاجتماع", ("relative", 2, "years")),
    ],
)
def test_timeframes_are_read_as_people_write_them(cell: object, due: tuple[object, ...]) -> None:
    found = written_due(cell, "Asia/Riyadh", "due")
    assert found is not None and found.time_zone == "Asia/Riyadh"
    if due[0] == "relative":
        assert (found.precision.value, found.amount, found.unit.value if found.unit else None) == due
    else:
        assert (found.precision.value, found.value) == due


@pytest.mark.parametrize("cell", [None, "", "ongoing", "مستمر", "-"])
def test_an_empty_or_ongoing_timeframe_is_open_ended(cell: object) -> None:
    assert written_due(cell, "UTC", "due") is None


def test_a_timeframe_of_no_known_form_is_refused_with_the_forms_that_are_read() -> None:
    with pytest.raises(InvalidValue, match="is not a timeframe: write a year") as refused:
        written_due("soon", "UTC", "due")
    assert refused.value.field == "due"


def test_a_rows_key_is_the_same_in_arabic_indic_digits_and_as_a_spreadsheet_number() -> None:
    assert row_key("١٢") == row_key(12.0) == row_key(" 12 ") == "12"
    assert row_key("  ") is None
