"""A party keeps other names and spellings in any language and script (issue 36, point 6): searches,
the parties list, spreadsheet imports and report drafts find it by each; an alias two parties share
names neither, and says so."""

from collections.abc import Iterator
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Snapshot
from httpx import Response

from api.bootstrap import Services
from application.inputs import TextInput
from domain.access import Role
from domain.errors import InvalidValue
from domain.parties.party import MOST_ALIASES, Party, kept_aliases
from domain.reading.proposals import KnownParty
from domain.reading.report import read_report
from domain.text import MultilingualText
from tests.actors import acting
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.intake.test_imports import agreement, csv_of, upload
from tests.memory import tracker_in_memory
from tests.pages.test_web_pages import fields_of, key, visitor_of
from tests.records import party
from tests.web import Visitor
from tests.world import World

INTERPOL = {"names": {"texts": {"en": "International Criminal Police Organization"}}, "acronym": "INTERPOL"}


def keep(api: Api, party_id: str, aliases: list[Any], **headers: str) -> Response:
    answer: Response = api.client.put(
        f"/parties/{party_id}/aliases",
        json={"aliases": aliases, "reason": "known so"},
        headers=api.headers(extra=headers),
    )
    return answer


def ids(answer: Response) -> list[str]:
    assert answer.status_code == 200, answer.text
    return [item["id"] for item in answer.json()["items"]]


def test_aliases_kept_through_the_api_are_shown_by_the_view_and_the_history(api: Api, world: World) -> None:
    answer = keep(api, world.sesric, ["سيسرك", " سيسرك ", "SESRIC", "Centre d’Ankara"], **{"If-Match": '"1"'})
    assert answer.status_code == 200, answer.text
    assert answer.json()["aliases"] == ["سيسرك", "Centre d’Ankara"]  # a repeat and its own acronym dropped
    assert api.get(f"/parties/{world.sesric}").json()["aliases"] == ["سيسرك", "Centre d’Ankara"]
    events = api.get(f"/parties/{world.sesric}/history").json()["events"]
    [kept] = [e for e in events if e["type"] == "AliasesKept"]
    assert kept["payload"]["aliases"] == ["سيسرك", "Centre d’Ankara"] and kept["reason"] == "known so"
    assert keep(api, world.sesric, []).json()["aliases"] == []


@pytest.mark.parametrize(
    ("aliases", "status", "field"),
    [
        ([""], 422, "aliases[0]"),
        (["x" * 201], 422, "aliases[0]"),
        (["..."], 422, "aliases[0]"),
        (["one\nline"], 422, "aliases[0]"),
        ([f"alias {n}" for n in range(MOST_ALIASES + 1)], 422, "aliases"),
    ],
)
def test_bad_aliases_are_refused_with_a_problem_naming_the_field_and_store_nothing(
    api: Api, world: World, services: Services, aliases: list[str], status: int, field: str
) -> None:
    before = services.store.recorder.max_notification_id()
    answer = keep(api, world.sesric, aliases)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert field in answer.text
    assert services.store.recorder.max_notification_id() == before


def test_aliases_need_the_version_the_caller_saw_and_a_key_not_limited_to_parties(api: Api, world: World) -> None:
    assert keep(api, world.sesric, ["سيسرك"], **{"If-Match": '"7"'}).status_code == 412
    assert keep(api, world.sesric, ["سيسرك"]).status_code == 200
    assert keep(api, world.sesric, ["سيسرك"]).status_code == 422  # the same aliases again
    assert api.get(f"/parties/{world.sesric}").json()["aliases"] == ["سيسرك"]


def test_a_party_is_found_by_any_of_its_aliases_in_any_script_in_search_and_the_parties_list(
    api: Api, world: World
) -> None:
    interpol = api.created("/parties", {**INTERPOL, "kind": "international_organisation"})["id"]
    assert ids(api.get("/parties", q="انتربول")) == []
    assert keep(api, interpol, ["الإنتربول", "انتربول"]).status_code == 200
    for written in ("انتربول", "الإنتربول", "الانتربول", "INTERPOL"):
        assert ids(api.get("/parties", q=written)) == [interpol], written
        hits = api.get("/search", q=written).json()["items"]
        assert [hit["id"] for hit in hits if hit["kind"] == "party"] == [interpol], written


def test_an_import_cell_naming_a_party_by_its_alias_resolves_to_it(api: Api, world: World) -> None:
    assert keep(api, world.sesric, ["سيسرك"]).status_code == 200
    rows = [["1", "برنامج تدريبي", "Training", "سيسرك", "UN", "2024", "", ""]]
    report = upload(api, agreement(api, world), csv_of(rows)).json()
    assert report["counts"]["new"] == 1, report["rows"]
    stored = upload(api, agreement(api, world), csv_of(rows), dry_run="false").json()
    assert stored["counts"]["new"] == 1
    made = api.get("/commitments", lead_party=world.sesric).json()["items"]
    assert any(c["text"]["texts"].get("en") == "Training" for c in made)


def test_an_alias_two_parties_share_names_neither_in_an_import_and_the_row_says_which(api: Api, world: World) -> None:
    assert keep(api, world.sesric, ["المركز"]).status_code == 200
    assert keep(api, world.iofs, ["المركز"]).status_code == 200
    rows = [["1", "برنامج تدريبي", "Training", "المركز", "UN", "2024", "", ""]]
    report = upload(api, agreement(api, world), csv_of(rows)).json()
    [row] = report["rows"]
    assert row["outcome"] == "refused" and row["refused"][0]["field"] == "lead"
    assert "SESRIC" in row["refused"][0]["reason"] and "IOFS" in row["refused"][0]["reason"]
    assert report["unknown_parties"] == []  # registered, twice over: not a party to register


REPORT = "عقد مركز سيسرك اجتماعا مع الأمم المتحدة في جنيف يوم 18 يوليو 2022، واتفق الجانبان على تنظيم ورشة عمل."


def test_a_report_naming_a_party_by_its_alias_proposes_the_registered_party(api: Api, world: World) -> None:
    assert keep(api, world.sesric, ["سيسرك"]).status_code == 200
    draft = api.post("/drafts", {"text": REPORT, "published_on": "2022-07-21"}).json()
    named = {p["quote"]: p["value"] for p in draft["parties"]}
    assert named["سيسرك"]["id"] == world.sesric and named["سيسرك"]["known"] is True
    assert draft["ambiguous"] == []


def test_a_report_naming_an_alias_two_parties_share_proposes_neither_and_notes_both() -> None:
    sesric = KnownParty("1", "SESRIC", ("SESRIC centre",), ("سيسرك",))
    other = KnownParty("2", "SRC", ("Statistical Research Centre",), ("سيسرك",))
    reading = read_report(REPORT, date(2022, 7, 21), [sesric, other])
    assert [p.value.get("id") for p in reading.of("party") if p.value.get("known")] == []
    assert not any(p.value["name"] == "سيسرك" for p in reading.of("party"))  # not proposed as a new party either
    [note] = reading.ambiguous
    assert note["name"] == "سيسرك" and [p["label"] for p in note["parties"]] == ["SESRIC", "SRC"]
    assert REPORT[note["start"] : note["end"]] == "سيسرك"


def test_aliases_drop_repeats_as_searches_fold_them_and_the_partys_own_name() -> None:
    names = MultilingualText.of({"ar": "منظمة الشرطة الجنائية الدولية", "en": "Interpol"}, "ar", "names")
    kept = kept_aliases(["الإنتربول", "الانتربول", "انتربول", "INTERPOL", "interpol", " Интерпол "], names, "ICPO")
    assert kept == ("الإنتربول", "انتربول", "Интерпол")
    with pytest.raises(InvalidValue):
        kept_aliases(["a"] * (MOST_ALIASES + 1), names, None)


def test_a_snapshot_taken_before_parties_had_aliases_loads_with_none(clock: FrozenClock) -> None:
    tracker = tracker_in_memory(clock, snapshot_interval=100)
    store = tracker.records.store
    assert store.snapshots is not None
    body = party("SESRIC")
    view = tracker.parties.register(acting("key_a"), TextInput(body["names"]["texts"]), "SESRIC", "subsidiary_organ")
    party_id = UUID(view.id)
    snapshot = Snapshot.take(store.repository.get(party_id))
    state = dict(snapshot.state)
    assert state.pop("class_version") == 5
    del state["aliases"], state["erased_contacts"]
    state["class_version"] = 3
    store.snapshots.put(
        [
            Snapshot(
                originator_id=party_id,
                originator_version=1,
                timestamp=snapshot.timestamp,
                topic=snapshot.topic,
                state=state,
            )
        ]
    )
    loaded: Party = store.repository.get(party_id)
    assert isinstance(loaded, Party) and loaded.aliases == ()
    assert tracker.parties.keep_aliases(party_id, acting("key_a"), ["سيسرك"]).aliases == ["سيسرك"]


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def test_a_coordinator_keeps_aliases_on_the_party_page_one_per_line_in_arabic(
    api: Api, world: World, visitor: Visitor
) -> None:
    visitor.sign_in(api.keys[Role.COORDINATOR])
    page = visitor.open(f"/parties/{world.sesric}", **{"Accept-Language": "ar"})
    assert "يُعرف أيضًا باسم" in page.words() and "تغيير الأسماء البديلة" in page.words()
    refused = visitor.post(f"/parties/{world.sesric}/aliases", {"aliases": "سيسرك\n" + "x" * 201, "version": "1"})
    assert refused.status == 422 and "x" * 201 in refused.text  # the form comes back as it was filled in
    kept = visitor.post(f"/parties/{world.sesric}/aliases", {"aliases": "سيسرك\n\n مركز أنقرة \n", "version": "1"})
    assert kept.status == 200 and "سيسرك" in kept.words()
    assert api.get(f"/parties/{world.sesric}").json()["aliases"] == ["سيسرك", "مركز أنقرة"]


def test_a_key_limited_to_parties_sees_the_aliases_but_cannot_change_them(
    api: Api, world: World, services: Services, visitor: Visitor
) -> None:
    _, scoped = services.keys.create(Role.COORDINATOR, "SESRIC focal point", party_scope=[world.sesric])
    visitor.sign_in(scoped)
    assert "Change the aliases" not in visitor.open(f"/parties/{world.sesric}").words()
    assert visitor.post(f"/parties/{world.sesric}/aliases", {"aliases": "سيسرك", "version": "1"}).status == 403
    refused = api.client.put(
        f"/parties/{world.sesric}/aliases", json={"aliases": ["سيسرك"]}, headers={"Authorization": f"Bearer {scoped}"}
    )
    assert refused.status_code == 403


def test_a_party_registered_with_aliases_is_found_by_them_from_its_first_version(api: Api) -> None:
    answer = api.post(
        "/parties",
        {**INTERPOL, "kind": "international_organisation", "aliases": ["الإنتربول", "انتربول", "INTERPOL"]},
    )
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["aliases"] == ["الإنتربول", "انتربول"] and created["version"] == 2  # its own acronym dropped
    events = api.get(f"/parties/{created['id']}/history").json()["events"]
    assert [e["type"] for e in events] == ["Registered", "AliasesKept"]
    assert events[0]["recorded_at"] == events[1]["recorded_at"]  # one save: never registered without its aliases
    assert ids(api.get("/parties", q="انتربول")) == [created["id"]]


def test_a_party_registered_with_a_bad_alias_is_refused_and_not_registered(api: Api) -> None:
    answer = api.post("/parties", {**INTERPOL, "kind": "international_organisation", "aliases": ["  "]})
    assert answer.status_code == 422, answer.text
    assert api.get("/parties", q="INTERPOL").json()["items"] == []


def test_known_names_are_empty_for_a_name_the_world_does_not_know(api: Api) -> None:
    answer = api.get("/parties/known-names", name="Comité local des fêtes")
    assert answer.status_code == 200, answer.text
    assert answer.json() == []


def test_known_names_offer_what_the_world_calls_an_organisation_to_keep_as_aliases(api: Api) -> None:
    answer = api.get("/parties/known-names", name="INTERPOL")
    assert answer.status_code == 200, answer.text
    [interpol] = [known for known in answer.json() if known["kind"] == "organisation"]
    assert interpol["acronym"] == "INTERPOL" and "الإنتربول" in interpol["aliases"]
    assert {"ar", "en", "fr"} <= set(interpol["names"])
    [jordan] = api.get("/parties/known-names", name="المملكة الأردنية الهاشمية").json()
    assert (jordan["kind"], jordan["key"], jordan["names"]["en"]) == ("state", "JO", "Jordan")


def test_the_new_party_form_is_filled_with_its_known_names_and_records_them_as_aliases(
    api: Api, services: Services
) -> None:
    for visitor in visitor_of(services):
        visitor.sign_in(key(api, Role.COORDINATOR), "/record")
        filled = visitor.post("/record/known-names", {"acronym": "INTERPOL", "party_kind": "other", "parent_id": ""})
        assert filled.status == 200 and filled.all("//*[@id='known-names']")
        sent = dict(fields_of(filled, "//form[@id='record-meeting']"))
        assert sent["name_ar"] and sent["name_fr"] and "الإنتربول" in sent["aliases"].splitlines()
        recorded = visitor.post("/record/party", sent)
        assert recorded.status == 200, recorded.words()[:400]
        [made] = api.get("/parties", q="الانتربول").json()["items"]
        assert made["acronym"] == "INTERPOL" and "الإنتربول" in made["aliases"]

        unknown = visitor.post("/record/known-names", {"name_en": "Comité local des fêtes", "parent_id": ""})
        assert unknown.status == 200 and "type its names yourself" in unknown.words()
