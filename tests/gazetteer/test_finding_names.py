"""The gazetteer finds the world's names as reports write them (decision 0061)."""

from pathlib import Path

import pytest

from domain.reading.names import NameAt
from infrastructure.gazetteer import load_gazetteer

REPORTS = Path(__file__).parent.parent / "reports"


def found(text: str) -> list[tuple[str, str, str]]:
    """What ``find`` gives: each name's kind, key and the text at its offsets."""
    return [(n.kind, n.key, text[n.start : n.end]) for n in load_gazetteer().find(text)]


def keys(text: str, kind: str | None = None) -> list[str]:
    return [key for k, key, _ in found(text) if kind is None or k == kind]


AMMAN, DAMASCUS, GENEVA, NICE, TYRE = "250441", "170654", "2660646", "2990440", "267008"
TRIPOLI_LIBYA, TRIPOLI_LEBANON = "2210247", "266826"


def test_a_state_is_found_by_its_short_name_its_long_form_and_its_nisba() -> None:
    text = "استقبل وزير خارجية المغرب وفد المملكة المغربية، وأشاد الجانب المغربي بالتعاون."
    assert found(text) == [
        ("state", "MA", "المغرب"),
        ("state", "MA", "المملكة المغربية"),
        ("state", "MA", "المغربي"),
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("أشاد الوزير بالمغرب", "المغرب"),
        ("والمغرب", "المغرب"),
        ("شكرا للمملكة المغربية", "لمملكة المغربية"),
        ("وجمهورية مصر العربية", "جمهورية مصر العربية"),
        ("الدعم المقدم لمصر", "مصر"),
        ("وبمصر", "مصر"),
        ("فالأردن", "الأردن"),
    ],
)
def test_a_state_is_found_after_an_attached_preposition(text: str, name: str) -> None:
    assert [written for _, _, written in found(text)] == [name]


def test_the_article_written_after_lam_as_one_letter_still_finds_the_name() -> None:
    assert keys("رسالة للمغرب وللأردن") == ["MA", "JO"]


def test_a_name_written_without_the_article_is_not_found_with_one_added() -> None:
    assert keys("المصر واللبنان") == []


def test_a_joint_committee_named_by_two_nisbas_names_both_states() -> None:
    assert keys("اجتماع اللجنة المصرية الأردنية المشتركة") == ["EG", "JO"]


def test_a_nisba_of_a_language_or_an_ocean_is_not_a_state() -> None:
    assert keys("صدر باللغة الفرنسية عن دول المحيط الهندي", "state") == []
    assert keys("the states of the Indian Ocean", "state") == []


def test_an_organisation_is_found_by_its_arabic_name_its_arabic_acronym_and_its_latin_acronym() -> None:
    text = "وقعت المنظمة الدولية للشرطة الجنائية مع الإنتربول وللانتربول وانتربول وINTERPOL"
    assert [(key, written) for _, key, written in found(text)] == [
        ("interpol", "المنظمة الدولية للشرطة الجنائية"),
        ("interpol", "الإنتربول"),
        ("interpol", "لانتربول"),
        ("interpol", "انتربول"),
        ("interpol", "INTERPOL"),
    ]


def test_a_name_hyphenated_or_bracketed_to_its_acronym_is_found_with_its_acronym() -> None:
    text = "بمشاركة المنظمة العربية للتنمية الزراعية-AOAD ومنظمة العالم الإسلامي للتربية والعلوم والثقافة (الإيسيسكو)"
    assert [(key, written) for _, key, written in found(text)] == [
        ("aoad", "المنظمة العربية للتنمية الزراعية"),
        ("aoad", "AOAD"),
        ("icesco", "منظمة العالم الإسلامي للتربية والعلوم والثقافة"),
        ("icesco", "الإيسيسكو"),
    ]


def test_arabic_spellings_of_acronyms_are_found() -> None:
    text = "سيسرك واليونسكو والفاو والأونروا والإسكوا والألكسو والإيكاو واليونيسف"
    assert keys(text) == ["sesric", "unesco", "fao", "unrwa", "escwa", "alecso", "icao", "unicef"]


def test_an_acronym_is_found_in_its_capitals_only() -> None:
    assert keys("The WHO and the UN: who told us? Un accord.") == ["who", "un"]


def test_a_latin_name_is_found_with_its_capital_only() -> None:
    assert keys("Morocco and morocco leather", "state") == ["MA"]


def test_damascus_is_found_after_an_attached_preposition() -> None:
    assert found("عقد الاجتماع وبدمشق") == [("city", DAMASCUS, "دمشق")]


def test_amman_is_found_written_with_a_shadda() -> None:
    assert found("عقد الاجتماع في عمّان") == [("city", AMMAN, "عمّان")]


def test_amman_is_found_after_the_jordanian_capital() -> None:
    assert found("وصل الوفد إلى العاصمة الأردنية عمان") == [("state", "JO", "الأردنية"), ("city", AMMAN, "عمان")]


def test_oman_is_the_sultanate_where_nothing_names_jordan() -> None:
    assert found("زيارة إلى سلطنة عمان ثم إلى عمان") == [("state", "OM", "سلطنة عمان"), ("state", "OM", "عمان")]


def test_a_city_is_found_with_its_state_and_time_zone() -> None:
    (city,) = load_gazetteer().find("in Geneva")
    assert (city.kind, city.names["en"], city.country, city.time_zone) == ("city", "Geneva", "CH", "Europe/Zurich")
    assert city.names["ar"] == "جنيف" and city.names["fr"] == "Genève"


@pytest.mark.parametrize(
    "text",
    [
        "تعزيز التعاون مع دول أمريكا اللاتينية وأفريقيا",
        "cooperation with Latin America and the Caribbean",
        "الاتحاد المغاربي ودول المغرب العربي",
    ],
)
def test_a_region_named_after_a_state_names_no_state(text: str) -> None:
    assert keys(text, "state") == []


def test_a_region_is_no_entry_a_party_is_offered_the_aliases_of() -> None:
    assert load_gazetteer().named("Latin America") == []


@pytest.mark.parametrize(
    "text", ["It was a nice day.", "A Nice day.", "وفقا لما تراه العين", "عين على المستقبل", "عرضت صور الاجتماع"]
)
def test_a_common_word_that_names_a_place_is_not_a_city_without_context(text: str) -> None:
    assert keys(text, "city") == []


@pytest.mark.parametrize(
    ("text", "city"),
    [("The meeting in Nice", NICE), ("Held at Nice, France.", NICE), ("عقد في صور", TYRE), ("بصور", TYRE)],
)
def test_a_common_word_that_names_a_place_is_a_city_in_context(text: str, city: str) -> None:
    assert keys(text, "city") == [city]


def test_a_name_that_is_also_a_common_word_is_a_city_where_the_text_names_its_state() -> None:
    assert keys("Nice hosted the forum. France welcomed it.") == [NICE, "FR"]
    assert keys("Reading hosted the forum.") == []


def test_a_state_that_is_also_a_common_word_is_found_in_context_only() -> None:
    assert keys("قدمت دعما ماليا وماديا ودعم مالي") == []
    assert keys("عقد في مالي") == ["ML"]


def test_a_city_two_states_share_is_the_one_whose_state_the_text_names() -> None:
    assert keys("عقد في طرابلس بحضور وزير الخارجية الليبي", "city") == [TRIPOLI_LIBYA]
    assert keys("عقد في طرابلس بحضور وزير الخارجية اللبناني", "city") == [TRIPOLI_LEBANON]


def test_english_and_french_names_are_found() -> None:
    text = "The Kingdom of Morocco and the Royaume du Maroc met in Geneva, à Genève, with the Arab League."
    assert found(text) == [
        ("state", "MA", "Kingdom of Morocco"),
        ("state", "MA", "Royaume du Maroc"),
        ("city", GENEVA, "Geneva"),
        ("city", GENEVA, "Genève"),
        ("organisation", "las", "Arab League"),
    ]


def test_offsets_point_at_the_name_as_written_with_its_diacritics() -> None:
    text = "عُقِدَ الاجتماعُ بِدِمَشْقَ مع مُنَظَّمَةِ التَّعَاوُنِ الإِسْلَامِيِّ"
    assert [written for _, _, written in found(text)] == ["دِمَشْقَ", "مُنَظَّمَةِ التَّعَاوُنِ الإِسْلَامِيِّ"]


def test_the_longest_name_wins_and_names_never_overlap() -> None:
    text = "منظمة الأغذية والزراعة للأمم المتحدة ومكتب الأمم المتحدة المعني بالمخدرات والجريمة"
    assert keys(text) == ["fao", "unodc"]


def test_a_text_ten_times_longer_gives_ten_times_the_names_at_the_same_places() -> None:
    text = (REPORTS / "un-oic-general-meeting-2022.ar.txt").read_text(encoding="utf-8") + "\n"
    once = load_gazetteer().find(text)
    tenfold = load_gazetteer().find(text * 10)
    assert len(tenfold) == 10 * len(once)
    assert [(n.start, n.end, n.key) for n in tenfold[-len(once) :]] == [
        (n.start + 9 * len(text), n.end + 9 * len(text), n.key) for n in once
    ]


def test_names_of_a_report_are_in_order_and_apart() -> None:
    for report in REPORTS.glob("*.txt"):
        names = load_gazetteer().find(report.read_text(encoding="utf-8"))
        assert all(a.end <= b.start for a, b in zip(names, names[1:], strict=False)), report.name


def test_the_sample_reports_name_only_real_cities() -> None:
    cities = {
        n.names["en"]
        for report in REPORTS.glob("*.txt")
        for n in load_gazetteer().find(report.read_text(encoding="utf-8"))
        if n.kind == "city"
    }
    assert cities == {
        "Baghdad", "Cairo", "Addis Ababa", "Nouakchott", "Dakar", "Ankara", "Jeddah", "Rabat", "New York City",
        "Doha", "Geneva", "Astana", "Istanbul", "Baku", "Amman",
    }  # fmt: skip


def test_named_offers_the_aliases_of_interpol() -> None:
    (interpol,) = load_gazetteer().named("INTERPOL")
    assert interpol.kind == "organisation" and interpol.key == "interpol"
    assert "الإنتربول" in interpol.aliases


def test_named_knows_a_name_typed_without_its_article() -> None:
    assert [n.key for n in load_gazetteer().named("انتربول")] == ["interpol"]


def test_named_gives_every_entry_a_shared_name_names() -> None:
    assert {n.key for n in load_gazetteer().named("عمان")} == {"OM", AMMAN}


def test_named_knows_a_state_by_its_code() -> None:
    (state,) = load_gazetteer().named("TJ")  # no other entry goes by TJ
    assert (state.kind, state.names["en"], state.names["ar"]) == ("state", "Tajikistan", "طاجيكستان")


def test_a_state_offers_its_long_forms_as_aliases() -> None:
    (egypt,) = load_gazetteer().named("Egypt")
    assert {"جمهورية مصر العربية", "Arab Republic of Egypt", "République arabe d'Égypte"} <= set(egypt.aliases)


def test_the_gazetteer_is_loaded_once_per_process() -> None:
    assert load_gazetteer() is load_gazetteer()


def test_a_name_found_is_a_name_at_its_offsets() -> None:
    (name,) = load_gazetteer().find("Jordan")
    assert isinstance(name, NameAt) and (name.start, name.end) == (0, 6)
