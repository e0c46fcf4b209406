"""Comments on a commitment: a thread of short messages in any language by its parties' keys, people and
focal points, as events (history, as of, the audit chain); an admin hides one with a reason, its words
staying in the history; parties named in a comment are told in their contacts' next e-mail."""

import io
import zipfile
from typing import Any

import pytest

from api.bootstrap import Services
from domain.access import Role
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.world import World

WORDS_AR = "عقدت الورشة الأولى في أنقرة، ونحتاج إلى بيانات منظمة التعاون الإسلامي قبل الورشة الثانية"


def comment(api: Api, world: World, body: dict[str, Any], role: Role = Role.COORDINATOR) -> Any:
    return api.post(f"/commitments/{world.commitment}/comments", body, role=role)


def test_a_comment_joins_the_thread_with_its_language_and_the_parties_it_tells(api: Api, world: World) -> None:
    answer = comment(api, world, {"text": WORDS_AR, "language": "ar", "mentions": [world.oic]})
    assert answer.status_code == 200, answer.text
    [said] = answer.json()["comments"]
    assert (said["number"], said["text"], said["language"], said["mentions"]) == (1, WORDS_AR, "ar", [world.oic])
    second = comment(api, world, {"text": "Data sent on 3 March."}).json()["comments"][1]
    assert (second["number"], second["language"], second["mentions"]) == (2, None, [])
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    assert [e["type"] for e in events][-2:] == ["Commented", "Commented"]


def test_the_thread_as_of_an_earlier_instant_holds_the_comments_written_by_then(
    api: Api, world: World, clock: FrozenClock
) -> None:
    before = clock.now.isoformat()
    clock.advance(hours=1)
    comment(api, world, {"text": "first"})
    assert api.get(f"/commitments/{world.commitment}", as_of=before).json()["comments"] == []
    assert len(api.get(f"/commitments/{world.commitment}").json()["comments"]) == 1


def test_an_admin_hides_a_comment_with_a_reason_and_its_words_stay_in_the_history(api: Api, world: World) -> None:
    comment(api, world, {"text": "a message naming a person by mistake"})
    path = f"/commitments/{world.commitment}/comments/1/hiding"
    assert_problem(api.post(path, {"reason": "personal data"}), 403, "forbidden")  # a coordinator may not
    assert_problem(api.post(path, {}, role=Role.ADMIN), 422, "invalid-value")
    hidden = api.post(path, {"reason": "personal data"}, role=Role.ADMIN)
    assert hidden.status_code == 200, hidden.text
    [shown] = hidden.json()["comments"]
    assert shown["text"] is None and shown["hidden_reason"] == "personal data" and shown["hidden_by"]
    assert_problem(api.post(path, {"reason": "again"}, role=Role.ADMIN), 422, "invalid-value")
    events = api.get(f"/commitments/{world.commitment}/history").json()["events"]
    [written] = [e for e in events if e["type"] == "Commented"]
    assert written["payload"]["text"] is None and written["payload"]["hidden"]  # the history people read
    assert events[-1]["type"] == "CommentHidden"
    bundle = api.client.get("/audit/export", headers=api.headers(Role.AUDITOR))
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        kept = archive.read("audit-bundle/events.jsonl").decode()
    assert "a message naming a person by mistake" in kept


def test_a_hidden_comment_stays_hidden_as_of_any_earlier_instant(api: Api, world: World, clock: FrozenClock) -> None:
    comment(api, world, {"text": "a message naming a person by mistake"})
    clock.advance(minutes=5)
    written = clock.now.isoformat()
    clock.advance(minutes=5)
    api.post(f"/commitments/{world.commitment}/comments/1/hiding", {"reason": "personal data"}, role=Role.ADMIN)
    [then] = api.get(f"/commitments/{world.commitment}", as_of=written).json()["comments"]
    assert then["text"] is None and then["hidden_reason"] == "personal data"
    listed = api.get("/commitments", as_of=written, party=world.sesric).json()["items"]
    assert "a message naming a person" not in str(listed)


def test_an_auditor_and_a_key_of_another_party_cannot_comment(services: Services, api: Api, world: World) -> None:
    assert_problem(comment(api, world, {"text": "hello"}, role=Role.AUDITOR), 403, "forbidden")
    path = f"/commitments/{world.commitment}/comments"
    _, iofs_key = services.keys.create(Role.COORDINATOR, "IOFS desk", party_scope=[world.iofs])
    refused = api.client.post(path, json={"text": "hello"}, headers={"Authorization": f"Bearer {iofs_key}"})
    assert_problem(refused, 403, "forbidden")
    _, sesric_key = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    allowed = api.client.post(path, json={"text": "hello"}, headers={"Authorization": f"Bearer {sesric_key}"})
    assert allowed.status_code == 200, allowed.text


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": "hello", "language": "klingon!"}, "language"),
        ({"text": "hello", "mentions": ["01a24c4d-0862-713b-8efb-9b87b9f8d67c"]}, "mentions[0]"),
    ],
)
def test_a_comment_that_breaks_a_rule_is_refused_and_stores_nothing(
    services: Services, api: Api, world: World, body: dict[str, Any], field: str
) -> None:
    before = services.store.recorder.max_notification_id()
    refused = comment(api, world, body)
    assert 400 <= refused.status_code < 500 and refused.json()["field"].endswith(field), refused.text
    assert services.store.recorder.max_notification_id() == before
