"""Reading a meeting report: dates as Arabic and English reports write them, and the annotated
reports of ``tests/reports`` read to the targets (precision and recall per kind, ``bench.extraction``)."""

from datetime import date

import pytest

from bench.extraction import score
from domain.reading.dates import find_dates
from domain.reading.ordinals import ordinal_at
from domain.reading.proposals import KnownParty
from domain.reading.report import read_report
from tests.intake.small_gazetteer import NAMES

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
        ("من 28 نوفمبر إلى 2 ديسمبر 2024", "range", "2024-11-28", "2024-12-02"),
        ("من 30 ديسمبر 2024 إلى 2 يناير 2025", "range", "2024-12-30", "2025-01-02"),
        ("من 30 ديسمبر إلى 2 يناير 2025", "range", "2024-12-30", "2025-01-02"),
        ("يومي 5 و6 الجاري", "range", "2024-12-05", "2024-12-06"),
        ("من 3 إلى 5 من الشهر الجاري", "range", "2024-12-03", "2024-12-05"),
        ("يوم 4 الجاري", "day", "2024-12-04", "2024-12-04"),
        ("18 - 20 مايو/أيار 2010", "range", "2010-05-18", "2010-05-20"),
        ("28 تشرين الثاني/نوفمبر 2024", "day", "2024-11-28", "2024-11-28"),
        ("يوم الثلاثاء3 ديسمبر 2024", "day", "2024-12-03", "2024-12-03"),
        ("يومه السبت 4 ماي الجاري", "day", "2024-05-04", "2024-05-04"),
        ("وقع اليوم الخميس (13 يونيو 2024) بالرباط", "day", "2024-06-13", "2024-06-13"),
        ("اليوم الأحد", "day", "2024-12-01", "2024-12-01"),
        ("أمس الخميس", "day", "2024-12-05", "2024-12-05"),
        ("صباح الثلاثاء", "day", "2024-12-03", "2024-12-03"),
        ("the two sides met on Tuesday", "day", "2024-12-03", "2024-12-03"),
        ("الثلاثاء الماضي", "day", "2024-12-03", "2024-12-03"),
        ("last Friday", "day", "2024-11-29", "2024-11-29"),
        ("الأحد المقبل", "day", "2024-12-08", "2024-12-08"),
        ("May 12th, 2015", "day", "2015-05-12", "2015-05-12"),
        ("خلال شهر مارس القادم", "month", "2025-03-01", "2025-03-31"),
        ("في أكتوبر الماضي", "month", "2024-10-01", "2024-10-31"),
    ],
)
def test_dates_are_read_as_arabic_and_english_reports_write_them(
    written: str, kind: str, first: str, last: str
) -> None:
    [found] = find_dates(written, PUBLISHED)
    assert (found.kind, str(found.first), str(found.last)) == (kind, first, last)


@pytest.mark.parametrize(
    "written",
    ["في هذا اليوم الطويل", "اليوم العالمي للاجئين", "اليوم الثاني من الأشغال", "this long day", "on that day"],
)
def test_a_day_named_by_its_noun_is_not_the_publication_day(written: str) -> None:
    assert find_dates(written, PUBLISHED) == []


@pytest.mark.parametrize(
    "written, due",
    [
        ("في 2024", ("year", 2024, None)),
        ("سنة 2025", ("year", 2025, None)),
        ("للسنتين القادمتين", ("span", None, 2)),
        ("في العامين المقبلين", ("span", None, 2)),
        ("for the next two years", ("span", None, 2)),
        ("خلال السنوات الثلاث المقبلة", ("span", None, 3)),
        ("قبل نهاية السنة الجارية", ("year", 2024, None)),
        ("في العام المقبل", ("year", 2025, None)),
        ("by the end of next year", ("year", 2025, None)),
        ("المنتظر عقدها بداية 2025", ("year", 2025, None)),
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
        ("للدورة الرابعة والتسعين", 94),
        ("الدورة الخامس والعشرين", 25),
        ("الدورة الخامسة والعشرين", 25),
        ("الدورة الحادية عشرة", 11),
        ("the fiftieth session", 50),
        ("the fifty-first session", 51),
        ("the ninety fourth session", 94),
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


@pytest.mark.parametrize(
    "text, number",
    [
        ("انطلقت في عمان أعمال الدورة الـ 94 للجمعية العامة للاتحاد.", 94),
        ("انطلقت في عمان أعمال الدورة 94 للجمعية العامة للاتحاد.", 94),
        ("انطلقت في عمان أعمال الجمعية العامة للاتحاد في دورتها العادية الخمسين.", 50),
        ("وجه الأمين العام الدعوة للدورة الرابعة والتسعين للجمعية العامة للاتحاد.", 94),
        ("The 26th meeting of the standing committee was held in Amman.", 26),
        ("The General Assembly of the union met in Amman for its fiftieth ordinary session.", 50),
    ],
)
def test_the_meetings_session_number_is_read_before_or_after_its_name(text: str, number: int) -> None:
    [meeting] = read_report(text, PUBLISHED, []).of("meeting")
    assert meeting.value["session_number"] == number


@pytest.mark.parametrize(
    "text, kind",
    [
        ("عقد الجانبان اليوم اجتماعا ثنائيا في عمان.", "bilateral_talk"),
        ("عقد الوزيران اليوم جلسة عمل في عمان.", "bilateral_talk"),
        ("The two ministers held a bilateral meeting in Amman today.", "bilateral_talk"),
        ("The two delegations held a working session in Amman today.", "bilateral_talk"),
        ("انطلقت اليوم بعمان أشغال الملتقى الدولي للتعاون.", "forum"),
        ("The General Conference of the organisation opened in Amman today.", "assembly"),
        ("وقع الجانبان اليوم في عمان مذكرة تفاهم.", "bilateral_talk"),
    ],
)
def test_the_meetings_kind_is_read_from_its_wording(text: str, kind: str) -> None:
    [meeting] = read_report(text, PUBLISHED, []).of("meeting")
    assert meeting.value["kind"] == kind


def test_what_a_meeting_was_held_beside_is_not_its_kind_and_its_convener_no_party() -> None:
    text = (
        "وقع الجانبان اليوم بالرباط، على هامش الدورة الثامنة لمؤتمر القمة لمنظمة التعاون الإسلامي، مذكرة تفاهم للتعاون."
    )
    reading = read_report(text, PUBLISHED, [KnownParty("oic-id", "OIC", ("منظمة التعاون الإسلامي",))])
    [meeting] = reading.of("meeting")
    assert meeting.value["kind"] == "bilateral_talk" and "session_number" not in meeting.value
    assert reading.of("party") == []


GENERAL_ASSEMBLY = (  # published on Tuesday 3 December 2024
    "اختتام أعمال الجمعية العامة لاتحاد الإذاعات العربية\n"
    "تونس في 3 ديسمبر 2024\n\n"
    "اختتمت اليوم في العاصمة التونسية أعمال الدورة الـ 94 للجمعية العامة لاتحاد الإذاعات العربية، التي انعقدت "
    "من 28 نوفمبر إلى 1 ديسمبر 2024، بمشاركة الدول الأعضاء.\n"
    "وتقرر اختيار المملكة المغربية لاستضافة الدورة الخامسة والتسعين في الرباط عام 2026.\n"
    "وتم اعتماد التوصيات الصادرة عن اللجان الفنية، كما قرر المشاركون تعزيز التعاون في مجال التدريب.\n"
    "وستنشر الأمانة العامة التوصيات التي اعتمدتها الجمعية العامة على موقعها."
)
UNION = KnownParty("union-id", "ASBU", ("اتحاد الإذاعات العربية",))


def test_a_general_assemblys_report_is_read_as_its_sessions_name_days_and_city_not_its_headline() -> None:
    reading = read_report(GENERAL_ASSEMBLY, date(2024, 12, 3), [UNION], names=NAMES)
    [meeting] = reading.of("meeting")
    value = meeting.value
    assert (value["kind"], value["session_number"]) == ("assembly", 94)
    assert (value["starts_on"], value["ends_on"]) == ("2024-11-28", "2024-12-01")
    assert (value["city"], value["time_zone"]) == ("Tunis", "Africa/Tunis")
    assert value["title"]["ar"] == "الدورة الـ 94 للجمعية العامة لاتحاد الإذاعات العربية"
    assert "TN" not in [p.value.get("key") for p in reading.of("party")]  # named as where it was held, only


def test_a_party_chosen_to_host_a_later_session_is_proposed_as_its_follow_up_with_city_and_year() -> None:
    reading = read_report(GENERAL_ASSEMBLY, date(2024, 12, 3), [UNION], names=NAMES)
    [follow_up] = reading.of("follow_up")
    value = follow_up.value
    assert (value["session_number"], value["due"]) == (95, {"precision": "year", "value": "2026"})
    assert (value["city"], value["time_zone"], value["lead"]) == ("Rabat", "Africa/Casablanca", "new:المغرب")
    assert GENERAL_ASSEMBLY[follow_up.start : follow_up.end].startswith("وتقرر اختيار المملكة المغربية")
    [morocco] = [p.value for p in reading.of("party") if p.value.get("key") == "MA"]
    assert (morocco["known"], morocco["names"]["en"], morocco["kind"]) == (False, "Morocco", "state")


def test_recommendations_adopted_are_one_agreement_and_a_resolution_with_no_day_an_open_ended_commitment() -> None:
    reading = read_report(GENERAL_ASSEMBLY, date(2024, 12, 3), [UNION], names=NAMES)
    [agreement] = reading.of("agreement")
    assert agreement.value["kind"] == "recommendations" and agreement.confidence >= 0.7
    assert agreement.quote(GENERAL_ASSEMBLY) == "وتم اعتماد التوصيات الصادرة عن اللجان الفنية"
    resolved = [c for c in reading.of("commitment") if "تعزيز التعاون" in c.quote(GENERAL_ASSEMBLY)]
    assert [c.value["due"] for c in resolved] == [None]


TWO_MEETINGS = (  # published on Wednesday 12 March 2025
    "Geneva, 12 March 2025\n\n"
    "The Secretary General of the OIC met today in Geneva with the United Nations High Commissioner for Refugees. "
    "Both sides resolved to increase their cooperation on refugee protection. The meeting adopted the "
    "recommendations of the joint working group, and the two sides adopted the recommendations again at its end.\n\n"
    "Later the same day, the Secretary General also met with the Director General of the International "
    "Organization for Migration (IOM). The two sides agreed to hold a joint workshop in 2026. It was a long day: "
    "this long day ended with a dinner."
)
OIC = KnownParty("oic-id", "OIC", ("Organisation of Islamic Cooperation",))
UNHCR = KnownParty("unhcr-id", "UNHCR", ("United Nations High Commissioner for Refugees",))


def test_two_meetings_in_one_report_are_both_proposed_each_with_the_promises_of_its_part() -> None:
    reading = read_report(TWO_MEETINGS, date(2025, 3, 12), [OIC, UNHCR], names=NAMES)
    first, second = reading.of("meeting")
    for meeting in (first, second):
        assert (meeting.value["kind"], meeting.value["starts_on"]) == ("bilateral_talk", "2025-03-12")
        assert (meeting.value["city"], meeting.value["time_zone"]) == ("Geneva", "Europe/Zurich")
    assert "International Organization for Migration" in second.value["title"]["en"]
    assert second.value["part"]["start"] == TWO_MEETINGS.index("Later the same day")
    said = {c.quote(TWO_MEETINGS): c.value for c in reading.of("commitment")}
    resolved = said["Both sides resolved to increase their cooperation on refugee protection"]
    assert (resolved["due"], resolved["meeting"]) == (None, 0)
    workshop = said["The two sides agreed to hold a joint workshop in 2026"]
    assert (workshop["due"], workshop["meeting"]) == ({"precision": "year", "value": "2026"}, 1)
    assert [a.value["kind"] for a in reading.of("agreement")] == ["recommendations"]
    assert {d.first for d in find_dates(TWO_MEETINGS, date(2025, 3, 12))} == {date(2025, 3, 12), None}


def test_a_forums_two_days_of_this_month_and_its_city_are_read() -> None:
    text = "انطلقت يومي 5 و6 الجاري بمدينة وهران أشغال الملتقى الدولي للتعاون بين الجامعات العربية."
    [meeting] = read_report(text, date(2024, 12, 7), [], names=NAMES).of("meeting")
    value = meeting.value
    assert (value["kind"], value["starts_on"], value["ends_on"]) == ("forum", "2024-12-05", "2024-12-06")
    assert (value["city"], value["country"], value["time_zone"]) == ("Oran", "Algeria", "Africa/Algiers")


def test_a_joint_committee_named_by_two_states_adjectives_names_both_and_a_state_as_a_place_neither() -> None:
    text = "عقدت اللجنة المصرية الأردنية المشتركة اجتماعها اليوم في العاصمة الأردنية عمان."
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value["key"] for p in reading.of("party")] == ["EG", "JO"]
    [meeting] = reading.of("meeting")
    assert (meeting.value["city"], meeting.value["country"]) == ("Amman", "Jordan")


def test_a_state_written_as_a_place_whose_capital_has_its_name_places_the_meeting_there() -> None:
    text = "عقدت اللجنة المشتركة اجتماعا بتونس يومي 25 و26 ديسمبر 2024 على مستوى كبار المسؤولين."
    [meeting] = read_report(text, date(2024, 12, 27), [], names=NAMES).of("meeting")
    assert (meeting.value["city"], meeting.value["time_zone"]) == ("Tunis", "Africa/Tunis")


def test_a_registered_party_wins_over_the_gazetteers_entry_of_the_same_names() -> None:
    jordan = KnownParty("jordan-id", None, ("المملكة الأردنية الهاشمية",))
    text = "وقعت المملكة الأردنية الهاشمية ومصر اليوم مذكرة تفاهم، كما اتفقت الأردن ومصر على تبادل الخبرات."
    reading = read_report(text, PUBLISHED, [jordan], names=NAMES)
    proposed = {p.value["ref"]: p.value for p in reading.of("party")}
    assert proposed["jordan-id"]["known"] and "new:الأردن" not in proposed
    assert proposed["new:مصر"]["names"] == {"ar": "مصر", "en": "Egypt"} and proposed["new:مصر"]["key"] == "EG"


def test_a_ministry_that_only_tells_of_the_meeting_and_a_named_document_are_no_parties() -> None:
    text = (
        "وذكرت وزارة الشؤون الخارجية، في بلاغ لها، أن الاجتماع عقد في عمان يوم 2 ديسمبر 2024.\n"
        "The two organisations signed a Memorandum of Understanding (MoU) and set up a Regional Review Mechanism (RRM)."
    )
    assert read_report(text, PUBLISHED, []).of("party") == []


def test_a_day_written_long_before_the_latest_day_a_report_writes_is_its_history_not_the_meeting() -> None:
    text = (
        "Istanbul, 4 April 2017\n\n"
        "The Director General made a courtesy call on the Secretary General at his office.\n"
        "The Institute opened its first office in Ankara on 3 May 1981."
    )
    for published in (date(2017, 4, 4), date(2017, 9, 30)):  # the day the report was written, or months after it
        [meeting] = read_report(text, published, []).of("meeting")
        assert (meeting.value["starts_on"], meeting.value["kind"]) == ("2017-04-04", "bilateral_talk")


def test_the_meetings_day_is_its_first_sentences_even_long_before_the_publication() -> None:
    text = (
        "The two sides met in Amman on 2 March 2024 and reviewed their cooperation.\nThe report was shown on Tuesday."
    )
    [meeting] = read_report(text, PUBLISHED, [], names=NAMES).of("meeting")
    assert (meeting.value["starts_on"], meeting.value["city"]) == ("2024-03-02", "Amman")


def test_the_day_of_a_previous_meeting_is_not_the_meetings() -> None:
    text = "The joint commission held its 12th session in Rabat.\nIts previous meeting was held in Amman on 4 May 2024."
    [meeting] = read_report(text, PUBLISHED, [], names=NAMES).of("meeting")
    assert (meeting.value.get("starts_on"), meeting.value["city"]) == (None, "Rabat")


def test_what_a_meeting_was_held_beside_with_its_own_days_is_a_meeting_too_and_its_days_not_the_first_ones() -> None:
    text = (
        "The Minister received H.E. the High Commissioner in Amman on Monday 2 December 2024.\n"
        "The visit came on the sidelines of the regional forum on migration in Geneva, on 1 – 3 December 2024."
    )
    talks, forum = read_report(text, PUBLISHED, [], names=NAMES).of("meeting")
    assert (talks.value["starts_on"], talks.value["ends_on"], talks.value["city"]) == (
        "2024-12-02",
        "2024-12-02",
        "Amman",
    )
    assert (forum.value["kind"], forum.value["starts_on"], forum.value["ends_on"], forum.value["city"]) == (
        "forum",
        "2024-12-01",
        "2024-12-03",
        "Geneva",
    )
    assert "part" not in forum.value  # no part of the report tells of it: its promises are the talks'


def test_a_state_named_once_aside_and_an_organisation_naming_a_document_are_no_parties() -> None:
    text = (
        "Jordan and Egypt signed nine agreements in Amman on 2 December 2024.\n"
        "Jordan thanked Iraq for a grant to the project.\n"
        "وناقش الجانبان تطبيق معاهدة الأمم المتحدة بشأن المياه.\n"
        "Both welcomed the United Nations Convention on the Law of the Sea."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value["key"] for p in reading.of("party")] == ["JO", "EG"]


def test_those_listed_as_attending_and_a_host_of_a_later_session_are_parties_though_named_once() -> None:
    text = (
        "Amman, 2 December 2024\n\n"
        "The committee held its tenth session today under the chairmanship of its President.\n"
        "The following delegations attended the meeting:\n"
        "- Egypt\n"
        "The committee thanked Morocco, which will host the next session in Rabat in 2025.\n"
        "Its President recalled the progress of Tunisia."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value["key"] for p in reading.of("party")] == ["EG", "MA"]


def test_a_ministers_title_and_a_ministry_named_once_as_a_place_are_no_parties() -> None:
    text = (
        "وقعت مصر والمنظمة الدولية للهجرة اليوم مذكرة تفاهم، بحضور وزير الخارجية والتعاون الدولي.\n"
        "وجرى التوقيع بمقر وزارة الصحة، وأكدت مصر التزامها بالتعاون."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value["key"] for p in reading.of("party")] == ["EG", "iom"]


def test_english_adjectives_of_states_name_them_as_parties() -> None:
    from infrastructure.gazetteer import load_gazetteer

    text = "The 12th session of the Saudi-Omani coordination council opened in Amman on 2 December 2024."
    reading = read_report(text, PUBLISHED, [], names=load_gazetteer())
    assert [p.value["key"] for p in reading.of("party")] == ["SA", "OM"]


def test_a_session_the_meeting_prepares_and_one_held_before_are_neither_its_number_nor_a_follow_up() -> None:
    text = (
        "اجتمعت لجنة المتابعة المشتركة اليوم بمقر وزارة الصحة التونسية، تحضيرا للدورة العاشرة للجنة العليا "
        "المقرر عقدها في شهر مارس المقبل بالرباط.\n"
        "وذكر الجانبان بما تحقق بعد عقد الدورة الماضية في عمان."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    [meeting] = reading.of("meeting")
    assert (meeting.value.get("session_number"), meeting.value["city"]) == (None, "Tunis")
    [follow_up] = reading.of("follow_up")
    assert (follow_up.value["session_number"], follow_up.value["due"], follow_up.value["city"]) == (
        10,
        {"precision": "month", "value": "2025-03"},
        "Rabat",
    )


def test_arabic_written_with_persian_letter_forms_is_read_as_arabic() -> None:
    text = "اجتمعت اللجنة اليوم في عمان للإعداد للدورة المقبلة المقرر عقدھا في الرباط عام 2025."
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    [follow_up] = reading.of("follow_up")
    assert (follow_up.value["city"], follow_up.value["due"]) == ("Rabat", {"precision": "year", "value": "2025"})


def test_talks_held_within_a_numbered_session_carry_its_number_but_not_a_past_ones_kind() -> None:
    text = (
        "Both sides recalled what was agreed at the last forum.\n"
        "The Prime Minister received the Minister of Jordan in Rabat on Friday 6 December 2024, during the 12th "
        "session of the joint commission."
    )
    [meeting] = read_report(text, PUBLISHED, [], names=NAMES).of("meeting")
    assert (meeting.value["kind"], meeting.value["session_number"]) == ("bilateral_talk", 12)
    assert meeting.value["starts_on"] == "2024-12-06"


def test_a_resolve_stated_is_a_commitment_but_an_agenda_and_what_a_thing_will_do_are_not() -> None:
    text = (
        "The two ministers met in Amman on 2 December 2024.\n"
        "The ministers will examine the trade figures.\n"
        "They reviewed projects that will help young people.\n"
        "وأكد الطرفان العزم على تبادل الخبرات."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [c.quote(text) for c in reading.of("commitment")] == ["وأكد الطرفان العزم على تبادل الخبرات"]


def test_resolutions_adopted_and_a_strategic_framework_for_a_period_are_agreements() -> None:
    text = (
        "واختتم المجلس أعماله في عمان يوم 2 ديسمبر 2024 باعتماد القرارات.\n"
        "وصادق المجلس على الإطار الإستراتيجي للفترة 2025-2028."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [a.value["kind"] for a in reading.of("agreement")] == ["recommendations", "framework"]


def test_a_later_session_a_headline_and_its_body_tell_of_is_one_follow_up_and_next_year_no_next_session() -> None:
    text = (
        "Rabat to host the union's assembly in 2025\n"
        "Amman, 3 December 2024\n\n"
        "The 49th session of the General Assembly of the union was held in Amman on 2 December 2024.\n"
        "Morocco will host a meeting of the assembly in Rabat next year."
    )
    [follow_up] = read_report(text, PUBLISHED, [], names=NAMES).of("follow_up")
    assert (follow_up.value["session_number"], follow_up.value["city"]) == (None, "Rabat")
    assert follow_up.value["due"] == {"precision": "year", "value": "2025"}


def test_a_host_of_the_next_session_is_its_lead_and_the_session_the_next_number() -> None:
    text = (
        "The 49th session of the General Assembly was held in Amman on 2 December 2024.\n"
        "Morocco will host the next session in Rabat in 2026."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    [follow_up] = reading.of("follow_up")
    assert (follow_up.value["session_number"], follow_up.value["lead"], follow_up.value["city"]) == (
        50,
        "new:Morocco",
        "Rabat",
    )


def test_a_session_a_promise_falls_in_is_no_follow_up_and_a_session_to_be_held_is_one() -> None:
    text = (
        "واتفق الجانبان على مشاريع اتفاقيات سيتم توقيعها خلال الدورة المقبلة للجنة العليا.\n"
        "ويأتي الاجتماع في إطار الإعداد للجنة العليا المشتركة المزمع عقدها قبل نهاية السنة الجارية."
    )
    reading = read_report(text, PUBLISHED, [])
    [follow_up] = reading.of("follow_up")
    assert follow_up.value["due"] == {"precision": "year", "value": "2024"}
    assert "المزمع عقدها" in follow_up.quote(text)
    assert [c.quote(text).startswith("واتفق الجانبان") for c in reading.of("commitment")] == [True]


def test_an_organisation_named_to_say_what_another_is_is_no_party() -> None:
    text = (
        "The Director General of the International Organization for Migration (IOM), an affiliate of the "
        "Organisation of Islamic Cooperation (OIC), met the Minister in Amman on 2 December 2024."
    )
    reading = read_report(text, PUBLISHED, [OIC], names=NAMES)
    assert [p.value["ref"] for p in reading.of("party")] == ["new:IOM"]


def test_a_city_where_another_day_happened_does_not_place_the_meeting() -> None:
    text = (
        "أشرف الوزيران اليوم على أشغال اللجنة المشتركة بمقر الوزارة. وذكر الوزير بنتائج الاجتماع الثلاثي "
        "المنعقد بالرباط في 21 ماي 2024."
    )
    [meeting] = read_report(text, PUBLISHED, [], names=NAMES).of("meeting")
    assert (meeting.value["starts_on"], meeting.value.get("city")) == ("2024-12-06", None)


def test_an_organisation_of_states_named_by_their_adjective_is_a_new_party_not_a_state() -> None:
    text = "وقعت المنظمة الدولية للهجرة ومنظمة الدول المغاربية اليوم في الرباط مذكرة تفاهم للتعاون."
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value["name"] for p in reading.of("party")] == ["المنظمة الدولية للهجرة", "منظمة الدول المغاربية"]


def test_a_headline_saying_what_two_sides_are_to_do_is_a_commitment() -> None:
    text = (
        "OIC and UNHCR to expand cooperation on refugee education\n"
        "Geneva, 2 December 2024\n\n"
        "The Secretary General of the OIC received the High Commissioner at his office, and they discussed the "
        "situation of refugees in the region."
    )
    reading = read_report(text, PUBLISHED, [OIC, UNHCR])
    [commitment] = reading.of("commitment")
    assert commitment.quote(text) == "OIC and UNHCR to expand cooperation on refugee education"
    assert (commitment.value["lead"], commitment.value["partners"]) == ("oic-id", ["unhcr-id"])


def test_a_matter_also_discussed_at_the_same_meeting_is_no_second_meeting() -> None:
    text = (
        "Amman, 2 December 2024\n\n"
        "The Minister received today in Amman the High Commissioner for Refugees.\n\n"
        "The two sides also discussed cooperation with the International Organization for Migration (IOM) on "
        "the return of refugees."
    )
    assert len(read_report(text, PUBLISHED, [UNHCR], names=NAMES).of("meeting")) == 1


def test_states_given_as_examples_or_listed_after_a_place_are_no_parties() -> None:
    text = (
        "وقعت المنظمة الدولية للهجرة ومصر اليوم مذكرة تفاهم، وتربط المنظمة علاقات بعدد من الدول الأعضاء، "
        "وفي مقدمتها الأردن وسويسرا. وللمنظمة مكاتب في المغرب وتونس."
    )
    reading = read_report(text, PUBLISHED, [], names=NAMES)
    assert [p.value.get("key") for p in reading.of("party")] == ["iom", "EG"]
