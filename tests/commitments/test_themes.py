"""Commitments carry themes from a managed list named in several languages (the SDGs, an
organisation's own); lists filter by them, as of any date too, and exports carry them."""

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest

from api.bootstrap import Services
from domain.access import Role
from domain.errors import InvalidValue
from domain.text import MultilingualText
from domain.theme import ThemeList, UnknownTheme
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.world import World

UTC = UTC
ZERO_HUNGER = {
    "code": "sdg-2",
    "names": {"texts": {"ar": "القضاء التام على الجوع", "en": "Zero hunger", "fr": "Faim « zéro »"}, "authentic": "en"},
}
GENDER = {
    "code": "sdg-5",
    "names": {"texts": {"ar": "المساواة بين الجنسين", "en": "Gender equality"}, "authentic": "en"},
}


# -- the list's rules ---------------------------------------------------


def test_a_commitment_carries_only_themes_of_the_list_and_a_retired_one_only_if_it_has_it() -> None:
    when = datetime(2026, 1, 1, tzinfo=UTC)
    themes = ThemeList(actor="key_a", timestamp=when)
    themes.define("sdg-2", MultilingualText.of({"en": "Zero hunger"}, None, "names"), "key_a", when)
    themes.define("sdg-5", MultilingualText.of({"en": "Gender equality"}, None, "names"), "key_a", when)
    themes.retire("sdg-5", "folded into the organisation's own themes", "key_a", when)
    assert themes.chosen(["sdg-2", "sdg-2"]) == ("sdg-2",)
    assert themes.chosen(["sdg-5"], kept=("sdg-5",)) == ("sdg-5",)
    with pytest.raises(InvalidValue, match="retired"):
        themes.chosen(["sdg-5"])
    with pytest.raises(UnknownTheme):
        themes.chosen(["sdg-17"])
    with pytest.raises(InvalidValue, match="lower-case"):
        themes.chosen(["SDG 2"])
    assert [t.retired for t in themes.themes] == [False, True]


# -- over the API, on both engines -----------------------------------------------------------------------


def define(api: Api, body: dict[str, Any]) -> dict[str, Any]:
    response = api.post("/themes", body)
    assert response.status_code == 201, response.text
    theme: dict[str, Any] = response.json()
    return theme


def test_themes_are_defined_in_several_languages_chosen_for_a_commitment_and_filter_lists(
    api: Api, world: World, clock: FrozenClock
) -> None:
    define(api, ZERO_HUNGER)
    define(api, GENDER)
    assert [t["code"] for t in api.get("/themes").json()] == ["sdg-2", "sdg-5"]
    clock.set(datetime(2023, 3, 1, tzinfo=UTC))
    tagged = api.client.put(
        f"/commitments/{world.commitment}/themes",
        headers=api.headers(),
        json={"themes": ["sdg-2"], "reason": "row 4 of the matrix is about food security"},
    )
    assert tagged.status_code == 200 and tagged.json()["themes"] == ["sdg-2"]
    assert [c["id"] for c in api.get("/commitments", theme="sdg-2").json()["items"]] == [world.commitment]
    assert api.get("/commitments", theme="sdg-5").json()["items"] == []
    assert api.get("/commitments", theme="sdg-2", as_of="2023-02-01").json()["items"] == []  # not tagged yet
    exported = api.get("/commitments/export", format="csv", theme="sdg-2")
    [row] = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert row["themes"] == "sdg-2"
    renamed = api.client.put(
        "/themes/sdg-2",
        headers=api.headers(),
        json={"names": {"texts": {"en": "End hunger", "ar": "القضاء على الجوع"}, "authentic": "en"}},
    )
    assert renamed.json()["names"]["texts"]["en"] == "End hunger"
    assert [e["type"] for e in api.get("/themes/history").json()["events"]] == [
        "Started",
        "Defined",
        "Defined",
        "Renamed",
    ]


def test_a_theme_not_in_the_list_or_retired_is_refused_and_nothing_is_stored(
    api: Api, services: Services, world: World
) -> None:
    define(api, GENDER)
    assert api.post("/themes/sdg-5/retire", {"reason": "replaced"}).json()["retired"] is True
    before = services.store.recorder.max_notification_id()
    for themes, field in ((["sdg-17"], "themes[0]"), (["sdg-5"], "themes[0]"), (["Not a code"], "themes[0]")):
        response = api.client.put(
            f"/commitments/{world.commitment}/themes", headers=api.headers(), json={"themes": themes}
        )
        assert response.status_code == 422 and response.json()["field"] == field, response.text
    assert_problem(api.post("/themes", GENDER), 422, "invalid-value")  # the code is taken
    assert services.store.recorder.max_notification_id() == before
    assert_problem(api.get("/themes/sdg-17"), 404, "not-found")


def test_the_list_is_kept_by_keys_for_every_party_and_a_party_tags_its_own_commitments(
    api: Api, services: Services, world: World
) -> None:
    _, scoped = services.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    headers = {"Authorization": f"Bearer {scoped}"}
    assert_problem(api.client.post("/themes", json=ZERO_HUNGER, headers=headers), 403, "forbidden")
    define(api, ZERO_HUNGER)
    tagged = api.client.put(f"/commitments/{world.commitment}/themes", json={"themes": ["sdg-2"]}, headers=headers)
    assert tagged.status_code == 200  # SESRIC leads it


def test_the_commitment_page_shows_its_themes_in_the_reader_language_and_changes_them(
    api: Api, services: Services, world: World
) -> None:
    from tests.pages.test_web_pages import visitor_of

    define(api, ZERO_HUNGER)
    define(api, GENDER)
    for visitor in visitor_of(services):
        visitor.sign_in(api.keys[Role.COORDINATOR])
        chosen = visitor.post(
            f"/commitments/{world.commitment}/themes", [("themes", "sdg-2"), ("themes", "sdg-5"), ("version", "1")]
        )
        assert chosen.status == 200
        page = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
        assert "القضاء التام على الجوع" in page.words() and "المساواة بين الجنسين" in page.words()
        listed = visitor.open("/commitments?theme=sdg-5")
        assert world.commitment in listed.text
    assert api.get(f"/commitments/{world.commitment}").json()["themes"] == ["sdg-2", "sdg-5"]
