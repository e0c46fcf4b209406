"""A real server, real receivers on loopback: an overdue commitment reaches every subscriber, signed."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook

from tests.receiver import Answer, Receiver
from tests.records import OIC, UN, commitment, meeting
from tests.server import Server, wait_for

pytestmark = pytest.mark.slow  # a real server, worker and webhook receivers

SETTINGS = {
    "COMMITMENTS_SCAN_INTERVAL": "0.2",
    "COMMITMENTS_DISPATCH_INTERVAL": "0.2",
    "COMMITMENTS_WEBHOOK_RETRY_SCHEDULE": "0.05,0.05,0.05",
    "COMMITMENTS_WEBHOOK_ALLOW_HTTP": "1",
    "COMMITMENTS_WEBHOOK_ALLOW_LOOPBACK": "1",
    "COMMITMENTS_PUBLIC_URL": "https://commitments.example.org",
}


def test_an_overdue_commitment_reaches_each_subscriber_once_signed(tmp_path: Path, database_url: str) -> None:
    with Receiver() as steady, Receiver(Answer(500), Answer(500), Answer(200)) as flaky:
        server = Server(database_url, cwd=tmp_path, env=SETTINGS)
        try:
            printed = re.search(r"cmk_[A-Za-z0-9_-]+", server.printed())
            assert printed is not None, "the server printed no first key"
            key = printed.group(0)
            api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=30)
            secrets = [
                api.post("/subscriptions", json={"url": r.url, "kinds": ["overdue"]}).json()["secret"]
                for r in (steady, flaky)
            ]
            un = api.post("/parties", json=UN).json()["id"]
            oic = api.post("/parties", json=OIC).json()["id"]
            meeting_id = api.post("/meetings", json=meeting([un, oic])).json()["id"]
            # The server reads the real clock: a due two days behind it has passed for every time zone.
            yesterday = (datetime.now(UTC) - timedelta(days=2)).date()
            recorded = api.post(
                "/commitments",
                json=commitment(meeting_id, oic, due={"precision": "day", "value": yesterday.isoformat()}),
            )
            assert recorded.status_code == 201, recorded.text
            cid = recorded.json()["id"]

            wait_for(lambda: steady.received and len(flaky.received) >= 3, 60, "both receivers to be told")
            wait_for(
                lambda: (
                    api.get(f"/commitments/{cid}/deliveries").json()["items"][-1]["status"] == "succeeded"
                    and all(
                        d["status"] == "succeeded" for d in api.get(f"/commitments/{cid}/deliveries").json()["items"]
                    )
                ),
                30,
                "the deliveries to be recorded as succeeded",
            )
            for receiver, secret in ((steady, secrets[0]), (flaky, secrets[1])):
                request = receiver.received[-1]
                payload = Webhook(secret).verify(request.body.decode(), request.headers)
                assert payload["type"] == "commitment.overdue"
                assert payload["data"]["commitment"]["id"] == cid
                assert payload["data"]["links"]["commitment"] == f"https://commitments.example.org/commitments/{cid}"
            assert len(steady.received) == 1
            assert len(flaky.received) == 3
            assert len({r.headers["webhook-id"] for r in flaky.received}) == 1
            assert api.get(f"/commitments/{cid}").json()["overdue"] is True
            history = [e["type"] for e in api.get(f"/commitments/{cid}/history").json()["events"]]
            assert history.count("MarkedOverdue") == 1
            assert json.loads(steady.received[0].body)["data"]["commitment"]["due"]["value"] == str(yesterday)
        finally:
            server.stop()
