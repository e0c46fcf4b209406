"""The rules of publishing, on the in-memory store: evidence is internal until a piece is marked public, and
the deployment's list of publications changes only by a decision with a reason."""

from datetime import UTC, datetime
from uuid import UUID

import pytest

from application.tracker import Tracker
from domain.commitments.promise import Evidence
from domain.errors import InvalidValue
from domain.publishing.publications import NotPublished, PublicationList, Subject, subject_key
from tests.actors import acting
from tests.commitments.test_corrections import recorded

WHEN = datetime(2024, 1, 1, tzinfo=UTC)


def test_evidence_is_internal_until_a_piece_is_marked_public_and_marking_it_again_stores_nothing(
    tracker: Tracker,
) -> None:
    made, _, _ = recorded(tracker)
    tracker.commitments.report_progress(
        UUID(made), acting("key"), 30, evidence=[Evidence("minutes"), Evidence("press release")]
    )
    assert tracker.commitments.get(made).public_evidence == []
    shown = tracker.commitments.show_evidence(UUID(made), acting("key"), 2, True)
    assert shown.public_evidence == [2]
    again = tracker.commitments.show_evidence(UUID(made), acting("key"), 2, True)
    assert again.version == shown.version  # nothing stored
    assert tracker.commitments.show_evidence(UUID(made), acting("key"), 2, False).public_evidence == []
    with pytest.raises(InvalidValue):
        tracker.commitments.show_evidence(UUID(made), acting("key"), 3, True)


def test_a_record_is_published_once_with_a_reason_and_withdrawn_only_when_published() -> None:
    publications = PublicationList(actor="admin", timestamp=WHEN)
    key = subject_key(Subject.SERIES, "un-oic-general-meeting")
    with pytest.raises(InvalidValue):
        publications.publish(Subject.SERIES, key, "  ", "admin", WHEN)
    assert publications.publish(Subject.SERIES, key, "adopted in public", "admin", WHEN)
    assert not publications.publish(Subject.SERIES, key, "again", "admin", WHEN)  # public already: nothing
    assert [p.reason for p in publications.publications] == ["adopted in public"]
    publications.unpublish(Subject.SERIES, key, "names a person", "admin", WHEN)
    assert publications.find(Subject.SERIES, key) is None
    with pytest.raises(NotPublished):
        publications.unpublish(Subject.SERIES, key, "again", "admin", WHEN)
    with pytest.raises(InvalidValue):
        subject_key(Subject.AGREEMENT, "not-a-uuid")
