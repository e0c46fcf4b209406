"""Subscribers hear of overdue and due-soon commitments through signed webhooks they can trust."""

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from api.bootstrap import Services
from domain.access import Role
from infrastructure.webhooks.dispatcher import Dispatcher, DispatchSettings
from infrastructure.webhooks.signing import signature
from infrastructure.webhooks.url_safety import UnsafeUrl, UrlPolicy, check
from tests.api.test_api_errors import assert_problem
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.receiver import Answer, Received, Receiver
from tests.world import World

UTC = UTC
PAST_DUE = datetime(2024, 7, 21, tzinfo=UTC)  # the world's commitment is due 20 July 2024, Geneva time


def test_our_signature_matches_the_specification_test_vector() -> None:
    assert (
        signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def verified_by(secret: str, request: Received) -> bool:
    """The standardwebhooks package's own signature for this request is among those sent."""
    timestamp = datetime.fromtimestamp(int(request.headers["webhook-timestamp"]), tz=UTC)
    expected = Webhook(secret).sign(request.headers["webhook-id"], timestamp, request.body.decode())
    return expected in request.headers["webhook-signature"].split(" ")


def subscribe(api: Api, url: str, kinds: list[str] | None = None, **extra: Any) -> dict[str, Any]:
    response = api.post("/subscriptions", {"url": url, "kinds": kinds or ["overdue"], **extra}, role=Role.ADMIN)
    assert response.status_code == 201, response.text
    subscription: dict[str, Any] = response.json()
    return subscription


def overdue_and_dispatch(services: Services, clock: FrozenClock) -> None:
    clock.set(PAST_DUE)
    services.scanner.tick()
    services.dispatcher.tick()


def test_an_overdue_commitment_is_told_once_in_a_signed_webhook(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    subscription = subscribe(api, receiver.url)
    overdue_and_dispatch(services, clock)
    assert len(receiver.received) == 1
    request = receiver.received[0]
    assert verified_by(subscription["secret"], request)
    assert request.headers["webhook-id"].startswith("msg_")
    assert request.headers["webhook-timestamp"] == str(int(PAST_DUE.timestamp()))
    payload = json.loads(request.body)
    assert payload["type"] == "commitment.overdue"
    assert payload["data"]["schema_version"] == 1
    assert payload["data"]["commitment"]["id"] == world.commitment
    assert payload["data"]["commitment"]["due_at"] == "2024-07-20T22:00:00Z"
    assert payload["data"]["commitment"]["overdue"] is True
    assert payload["data"]["event"]["name"] == "MarkedOverdue"
    assert payload["data"]["links"]["history"] == f"/commitments/{world.commitment}/history"
    clock.advance(days=1)
    services.scanner.tick()
    services.dispatcher.tick()
    services.outbox.catch_up()
    assert len(receiver.received) == 1


def test_subscribers_hear_only_the_kinds_and_parties_they_asked_for(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver() as overdue, Receiver() as lifecycle, Receiver() as other_party, Receiver() as everything:
        subscribe(api, overdue.url, ["overdue"])
        subscribe(api, lifecycle.url, ["lifecycle"])
        subscribe(api, other_party.url, ["all"], party_ids=[world.iofs])
        subscribe(api, everything.url, ["all"], party_ids=[world.un])  # the UN supports the commitment
        api.post(f"/commitments/{world.commitment}/start")
        overdue_and_dispatch(services, clock)
        assert [json.loads(r.body)["type"] for r in overdue.received] == ["commitment.overdue"]
        assert [json.loads(r.body)["type"] for r in lifecycle.received] == ["commitment.started"]
        assert other_party.received == []
        assert sorted(json.loads(r.body)["type"] for r in everything.received) == [
            "commitment.overdue",
            "commitment.started",
        ]


def test_a_secret_is_shown_only_when_made(api: Api, receiver: Receiver) -> None:
    created = subscribe(api, receiver.url)
    assert created["secret"].startswith("whsec_")
    shown = api.get(f"/subscriptions/{created['id']}").json()
    assert "secret" not in shown and created["secret"] not in json.dumps(api.get("/subscriptions").json())


def test_only_admins_manage_subscriptions(api: Api, receiver: Receiver) -> None:
    for role in (Role.COORDINATOR, Role.AUDITOR):
        assert_problem(api.post("/subscriptions", {"url": receiver.url, "kinds": ["all"]}, role=role), 403, "forbidden")


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("http://10.1.2.3/hooks", "url"),
        ("http://169.254.169.254/latest", "url"),
        ("ftp://example.org/x", "url"),
        ("http://user:pw@127.0.0.1/x", "url"),
        ("not a url", "url"),
    ],
)
def test_unsafe_webhook_urls_are_refused(api: Api, url: str, field: str) -> None:
    assert_problem(
        api.post("/subscriptions", {"url": url, "kinds": ["all"]}, role=Role.ADMIN), 422, "invalid-value", field
    )


def test_by_default_only_public_https_is_allowed() -> None:
    strict = UrlPolicy()
    for url in (
        "http://93.184.215.14/x",
        "https://127.0.0.1/x",
        "https://[::1]/x",
        "https://192.168.1.10/x",
        "https://172.16.0.1/x",
        "https://[fe80::1]/x",
        "https://100.64.0.1/x",
    ):
        with pytest.raises(UnsafeUrl):
            check(url, strict)
    assert check("https://93.184.215.14/hooks", strict)
    assert check("http://127.0.0.1:9/x", UrlPolicy(allow_http=True, allow_loopback=True))


def test_a_failing_endpoint_gets_the_same_webhook_id_until_it_answers(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(500), Answer(503), Answer(200)) as flaky:
        subscribe(api, flaky.url)
        overdue_and_dispatch(services, clock)
        for _ in range(2):
            clock.advance(seconds=1)  # past the (millisecond) retry schedule of the tests
            services.dispatcher.tick()
        assert len(flaky.received) == 3
        assert len({r.headers["webhook-id"] for r in flaky.received}) == 1
        delivery = api.get(f"/deliveries/{flaky.received[0].headers['webhook-id']}").json()
        assert delivery["status"] == "succeeded"
        assert [a["status_code"] for a in delivery["attempt_log"]] == [500, 503, 200]


def test_redirects_are_not_followed(api: Api, services: Services, clock: FrozenClock, world: World) -> None:
    with Receiver(Answer(302, {"location": "http://127.0.0.1:9/elsewhere"})) as moved:
        subscribe(api, moved.url)
        overdue_and_dispatch(services, clock)
        delivery = api.get(f"/deliveries/{moved.received[0].headers['webhook-id']}").json()
        assert delivery["status"] == "pending"
        assert delivery["attempt_log"][0]["status_code"] == 302


def test_a_timeout_counts_as_a_failed_attempt(api: Api, services: Services, clock: FrozenClock, world: World) -> None:
    with Receiver(Answer(200, delay=1.0)) as slow:
        subscribe(api, slow.url)
        clock.set(PAST_DUE)
        services.scanner.tick()
        impatient = Dispatcher(
            services.engine,
            services.outbox,
            clock,
            DispatchSettings(
                retry_schedule=(60.0,), timeout=0.2, policy=UrlPolicy(allow_http=True, allow_loopback=True)
            ),
        )
        impatient.tick()
        impatient.close()
        delivery = api.get(f"/deliveries/{slow.received[0].headers['webhook-id']}").json()
        assert delivery["attempt_log"][0]["error"].startswith("timed out")
        assert delivery["attempt_log"][0]["status_code"] is None
        assert delivery["status"] == "pending"


@pytest.mark.parametrize("retry_after", ["120", "HTTP-DATE"])
def test_retry_after_is_honoured(
    api: Api, services: Services, clock: FrozenClock, world: World, retry_after: str
) -> None:
    clock.set(PAST_DUE)
    if retry_after == "HTTP-DATE":
        retry_after = format_datetime(PAST_DUE + timedelta(seconds=120), usegmt=True)
    with Receiver(Answer(429, {"retry-after": retry_after}), Answer(200)) as busy:
        subscribe(api, busy.url)
        overdue_and_dispatch(services, clock)
        clock.advance(seconds=119)
        services.dispatcher.tick()
        assert len(busy.received) == 1
        clock.advance(seconds=2)
        services.dispatcher.tick()
        assert len(busy.received) == 2


def test_410_gone_disables_the_subscription_and_tells_operations(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(410)) as gone, Receiver() as operations:
        leaving = subscribe(api, gone.url)
        subscribe(api, operations.url, ["operations"])
        overdue_and_dispatch(services, clock)
        services.dispatcher.tick()
        assert api.get(f"/subscriptions/{leaving['id']}").json()["status"] == "disabled"
        told = [json.loads(r.body) for r in operations.received]
        assert [t["type"] for t in told] == ["subscription.disabled"]
        assert told[0]["data"]["subscription"]["id"] == leaving["id"]
        clock.advance(days=400)
        api.post(
            f"/commitments/{world.commitment}/due",
            {"due": {"precision": "year", "value": "2025"}, "reason": "extended"},
        )
        services.scanner.tick()
        services.dispatcher.tick()
        assert len(gone.received) == 1  # nothing more is sent to a disabled subscription


def test_after_the_last_attempt_the_delivery_fails_and_an_exhausted_event_is_emitted(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(500)) as broken, Receiver() as operations:
        subscribe(api, broken.url)
        subscribe(api, operations.url, ["operations"])
        overdue_and_dispatch(services, clock)
        for _ in range(4):
            clock.advance(seconds=1)
            services.dispatcher.tick()
        assert len(broken.received) == 3  # the tests' schedule has two retries
        delivery_id = broken.received[0].headers["webhook-id"]
        assert api.get(f"/deliveries/{delivery_id}").json()["status"] == "failed"
        told = [json.loads(r.body) for r in operations.received]
        assert [t["type"] for t in told] == ["delivery.exhausted"]
        assert told[0]["data"]["delivery"]["id"] == delivery_id


def test_an_endpoint_failing_for_the_window_is_disabled(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(500)) as broken:
        failing = subscribe(api, broken.url)
        overdue_and_dispatch(services, clock)
        clock.advance(days=4)  # the default window is three days
        services.dispatcher.tick()
        shown = api.get(f"/subscriptions/{failing['id']}").json()
        assert shown["status"] == "disabled"
        assert shown["disabled_reason"].startswith("failing since")


def test_a_rotated_secret_signs_beside_the_old_one_during_the_overlap(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    created = subscribe(api, receiver.url, ["lifecycle"])
    rotated = api.post(
        f"/subscriptions/{created['id']}/rotate-secret", {"overlap_seconds": 3600}, role=Role.ADMIN
    ).json()
    assert rotated["secret"] != created["secret"]
    api.post(f"/commitments/{world.commitment}/start")
    services.dispatcher.tick()
    during = receiver.received[-1]
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert verified_by(created["secret"], during) and verified_by(rotated["secret"], during)
    clock.advance(hours=2)
    api.post(f"/commitments/{world.commitment}/stall", {"reason": "no funds"})
    services.dispatcher.tick()
    after = receiver.received[-1]
    assert verified_by(rotated["secret"], after) and not verified_by(created["secret"], after)


def test_a_paused_subscription_gets_its_deliveries_when_resumed(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    created = subscribe(api, receiver.url)
    api.post(f"/subscriptions/{created['id']}/pause", role=Role.ADMIN)
    overdue_and_dispatch(services, clock)
    assert receiver.received == []
    api.post(f"/subscriptions/{created['id']}/resume", role=Role.ADMIN)
    services.dispatcher.tick()
    assert len(receiver.received) == 1


def test_subscriptions_are_updated_and_deleted(api: Api, receiver: Receiver, world: World) -> None:
    created = subscribe(api, receiver.url)
    changed = api.client.patch(
        f"/subscriptions/{created['id']}",
        json={"kinds": ["due_soon", "overdue"], "party_ids": [world.sesric]},
        headers=api.headers(Role.ADMIN),
    )
    assert changed.json()["kinds"] == ["due_soon", "overdue"]
    assert changed.json()["party_ids"] == [world.sesric]
    assert_problem(
        api.client.patch(
            f"/subscriptions/{created['id']}", json={"party_ids": [world.meeting]}, headers=api.headers(Role.ADMIN)
        ),
        422,
        "unknown-reference",
        "party_ids[0]",
    )
    assert api.client.delete(f"/subscriptions/{created['id']}", headers=api.headers(Role.ADMIN)).status_code == 204
    assert_problem(api.get(f"/subscriptions/{created['id']}"), 404, "not-found")


def test_the_delivery_log_lists_attempts_and_resends_keep_the_id(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(500, body=b"x" * 30_000)) as broken:
        created = subscribe(api, broken.url)
        overdue_and_dispatch(services, clock)
        for _ in range(3):
            clock.advance(seconds=1)
            services.dispatcher.tick()
        listed = api.get(f"/subscriptions/{created['id']}/deliveries").json()["items"]
        assert [d["status"] for d in listed] == ["failed"]
        assert api.get(f"/commitments/{world.commitment}/deliveries").json()["items"] == listed
        detail = api.get(f"/deliveries/{listed[0]['id']}").json()
        assert len(detail["attempt_log"]) == 3
        assert len(detail["attempt_log"][0]["response_body"]) == 20 * 1024
        assert all(a["duration_ms"] >= 0 and a["started_at"] for a in detail["attempt_log"])
        broken.answers = [Answer(200)]
        resent = api.post(f"/deliveries/{listed[0]['id']}/resend", role=Role.ADMIN).json()
        assert resent["status"] == "pending"
        services.dispatcher.tick()
        assert broken.received[-1].headers["webhook-id"] == listed[0]["id"]
        assert api.get(f"/deliveries/{listed[0]['id']}").json()["status"] == "succeeded"


def test_failed_deliveries_since_a_time_are_recovered(
    api: Api, services: Services, clock: FrozenClock, world: World
) -> None:
    with Receiver(Answer(500)) as broken:
        subscribe(api, broken.url, ["overdue", "lifecycle"])
        api.post(f"/commitments/{world.commitment}/start")
        overdue_and_dispatch(services, clock)
        for _ in range(3):
            clock.advance(seconds=1)
            services.dispatcher.tick()
        ids = {r.headers["webhook-id"] for r in broken.received}
        assert len(ids) == 2
        broken.answers = [Answer(200)]
        recovered = api.post("/deliveries/recover?since=2024-07-01", role=Role.ADMIN).json()
        assert recovered == {"resent": 2}
        services.dispatcher.tick()
        assert {r.headers["webhook-id"] for r in broken.received[-2:]} == ids
        assert_problem(api.post("/deliveries/recover?since=someday", role=Role.ADMIN), 422, "invalid-value", "since")


def test_deliveries_are_created_once_per_event_and_subscription(
    api: Api, services: Services, clock: FrozenClock, world: World, receiver: Receiver
) -> None:
    subscribe(api, receiver.url, ["all"])
    api.post(f"/commitments/{world.commitment}/start")
    services.outbox.catch_up()
    services.outbox.catch_up()
    assert services.delivery_log.count(commitment_id=world.commitment) == 1


def test_a_refused_address_names_the_setting_that_allows_it() -> None:
    strict = UrlPolicy()
    for url, setting in [
        ("http://example.org/hooks", "COMMITMENTS_WEBHOOK_ALLOW_HTTP"),
        ("https://127.0.0.1/hooks", "COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK"),
        ("https://10.0.0.8/hooks", "COMMITMENTS_WEBHOOK_ALLOW_PRIVATE"),
    ]:
        with pytest.raises(UnsafeUrl) as refused:
            check(url, strict)
        assert setting in refused.value.detail, url
