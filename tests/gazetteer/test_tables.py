"""The gazetteer holds the states, cities and organisations reports name (decision 0061)."""

import json
from pathlib import Path

from infrastructure.gazetteer import STATES, UN_MEMBERS, load_gazetteer

TABLES = Path(__file__).parent.parent.parent / "infrastructure" / "gazetteer"
# fmt: off
ARAB_LEAGUE = [
    "DZ", "BH", "KM", "DJ", "EG", "IQ", "JO", "KW", "LB", "LY", "MR", "MA", "OM", "PS", "QA", "SA", "SO", "SD",
    "SY", "TN", "AE", "YE"
]
# fmt: on
# fmt: off
OIC = [
    "AF", "AL", "DZ", "AZ", "BH", "BD", "BJ", "BF", "BN", "CM", "TD", "KM", "CI", "DJ", "EG", "GA", "GM", "GN",
    "GW", "GY", "ID", "IR", "IQ", "JO", "KZ", "KW", "KG", "LB", "LY", "MY", "MV", "ML", "MR", "MA", "MZ", "NE",
    "NG", "OM", "PK", "PS", "QA", "SA", "SN", "SL", "SO", "SD", "SR", "SY", "TJ", "TG", "TN", "TR", "TM", "UG",
    "AE", "UZ", "YE"
]
# fmt: on


def test_every_un_member_observer_kosovo_and_taiwan_has_a_name_in_arabic_english_and_french() -> None:
    assert len(UN_MEMBERS) == 193 and {"PS", "VA", "XK", "TW"} <= set(STATES)
    for code in STATES:
        (state,) = [n for n in load_gazetteer().named(code) if n.kind == "state"]  # "AU" is the African Union too
        assert state.key == code and set(state.names) == {"ar", "en", "fr"}, code


def test_every_arab_league_and_oic_member_has_its_long_form_kept_in_the_project() -> None:
    kept = json.loads((TABLES / "states.json").read_text(encoding="utf-8"))["states"]
    assert len(OIC) == 57
    for code in {*ARAB_LEAGUE, *OIC}:
        assert kept[code]["ar"], code


def test_every_arab_league_member_but_the_comoros_has_a_nisba() -> None:
    kept = json.loads((TABLES / "states.json").read_text(encoding="utf-8"))["states"]
    assert [code for code in ARAB_LEAGUE if not kept[code]["nisba"]] == ["KM"]  # «القمرية» is also "lunar"


def test_the_organisations_reports_name_are_in_the_table() -> None:
    # fmt: off
    acronyms = [
        "UN", "UNDP", "UNICEF", "UNHCR", "UNESCO", "FAO", "WHO", "ILO", "IOM", "UNODC", "UNFPA", "WFP", "UNIDO",
        "UNCTAD", "ESCWA", "ECA", "OCHA", "IFAD", "ITU", "WIPO", "WMO", "UNEP", "UN-Habitat", "UNRWA", "IAEA",
        "UNOPS", "UNAIDS", "UNU", "UNITAR", "IBRD", "IMF", "WTO", "ICAO", "IMO", "UPU", "UNWTO", "OHCHR", "UNOCT",
        "UNDRR", "ITC", "OIC", "IsDB", "ICD", "ITFC", "ICIEC", "IsDBI", "SESRIC", "ICESCO", "ISESCO", "ISF", "IOFS",
        "ICCIA", "IUT", "IUIU", "ICDT", "IRCICA", "COMCEC", "IPHRC", "SMIIC", "OIC-CERT", "IINA", "IIFA", "ICYF",
        "LAS", "ALECSO", "AOAD", "AIDMO", "CAEU", "ALO", "AAAID", "AMF", "ACSAD", "ASBU", "NAUSS", "AFESD", "BADEA",
        "AAEA", "AU", "EU", "GCC", "AMU", "ASEAN", "ECO", "ECOWAS", "IGAD", "SADC", "OPEC", "OFID", "AfDB", "ADB",
        "AIIB", "EBRD", "ICRC", "IFRC", "INTERPOL", "Europol", "OECD", "OSCE", "NATO", "G20", "BRICS", "OIF", "CIS",
        "SCO", "CICA", "UfM"
    ]
    # fmt: on
    missing = [a for a in acronyms if not any(n.kind == "organisation" for n in load_gazetteer().named(a))]
    assert missing == []
    names = [
        "UN Women", "World Bank", "Arab Parliament", "Arab Women Organization", "Commonwealth of Nations",
        "European Commission", "Arab Towns Organization", "Arab Red Crescent and Red Cross Organization",
        "Arab Center for Legal and Judicial Research", "Arab Investment and Export Credit Guarantee Corporation",
    ]  # fmt: skip
    for name in names:
        assert [n.kind for n in load_gazetteer().named(name)] == ["organisation"], name


def test_the_city_table_is_compact() -> None:
    assert (TABLES / "cities.json.gz").stat().st_size < 3 * 2**20
