"""An agreement and its commitments as IATI 2.03 activities (XML, written with lxml): one
``iati-activity`` per commitment. The mapping is these tables (the README shows them):

- the lead party is the accountable (role 2) and implementing (role 4) organisation, each supporting
  party an implementing one (role 4); their IATI organisation type follows the party's kind;
- the activity status follows the commitment's status (``ACTIVITY_STATUS``);
- planned start is the day the promise was made, planned end the last day of its due (in its time
  zone), actual end the day it was delivered or assessed;
- titles are the commitment's texts, the description the agreement's title and the verbatim quote,
  each in every language it has, with ``xml:lang``; the meeting is the related document.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi.responses import Response
from lxml import etree

from api.bootstrap import Services
from application.errors import NotFound
from application.listing.exports import due_day, matching
from application.listing.queries import CommitmentFilter

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended
ACTIVITY_STATUS = {
    "draft": "1",
    "noted": "1",
    "agreed": "2",
    "in_progress": "2",
    "stalled": "2",
    "delivered": "3",
    "fulfilled": "4",
    "partially_fulfilled": "4",
    "not_fulfilled": "4",
    "cancelled": "5",
    "superseded": "5",
    "suspended": "6",
}
ORGANISATION_TYPE = {  # IATI OrganisationType: 10 government, 21 international NGO, 40 multilateral, 90 other
    "state": "10",
    "ministry": "10",
    "agency": "10",
    "office": "10",
    "security_body": "10",
    "international_organisation": "40",
    "un_entity": "40",
    "subsidiary_organ": "40",
    "specialised_institution": "40",
    "ngo": "21",
    "other": "90",
}
ACCOUNTABLE, IMPLEMENTING = "2", "4"
ENDED = {"delivered", "fulfilled", "partially_fulfilled", "not_fulfilled"}


def _narratives(parent: etree._Element, text: dict[str, Any] | None) -> None:
    for language, words in (text or {}).get("texts", {}).items():
        etree.SubElement(parent, "narrative", {XML_LANG: language}).text = words


def _organisation(activity: etree._Element, party: Any, role: str) -> None:
    element = etree.SubElement(
        activity, "participating-org", {"role": role, "type": ORGANISATION_TYPE.get(party.kind, "90")}
    )
    _narratives(element, party.names)


def _day(value: str) -> str:
    return value[:10]


def activities(
    agreement: Any,
    meeting: Any,
    commitments: list[dict[str, Any]],
    party: Any,
    reporting: dict[str, str],
    meeting_url: str,
    now: datetime,
) -> bytes:
    """``party(id)``: a party's view; ``reporting``: the reporting organisation's ref, type and name."""
    root = etree.Element("iati-activities", {"version": "2.03", "generated-datetime": now.astimezone(UTC).isoformat()})
    rows = {row["number"]: row for row in agreement.rows}
    for c in commitments:
        activity = etree.SubElement(
            root,
            "iati-activity",
            {
                "last-updated-datetime": c["modified_at"].replace("Z", "+00:00"),
                XML_LANG: c["text"].get("authentic") or next(iter(c["text"]["texts"])),
            },
        )
        etree.SubElement(activity, "iati-identifier").text = f"{reporting['ref']}-{c['id']}"
        reporter = etree.SubElement(activity, "reporting-org", {"ref": reporting["ref"], "type": reporting["type"]})
        etree.SubElement(reporter, "narrative").text = reporting["name"]
        _narratives(etree.SubElement(activity, "title"), c["text"])
        description = etree.SubElement(activity, "description", {"type": "1"})
        _narratives(description, agreement.title)
        if c["provenance"].get("quote"):
            _narratives(description, c["provenance"]["quote"])
        row = rows.get(c["provenance"].get("row_number"))
        if row is not None:  # what the matrix row states is the activity's objective
            _narratives(etree.SubElement(activity, "description", {"type": "2"}), row["activity"])
        _organisation(activity, party(c["lead_party_id"]), ACCOUNTABLE)
        _organisation(activity, party(c["lead_party_id"]), IMPLEMENTING)
        for supporting in c["supporting_party_ids"]:
            _organisation(activity, party(supporting), IMPLEMENTING)
        if row is not None:  # the row as the matrix names it: its key, or else its number
            label = row["key"] if row.get("key") is not None else str(row["number"])
            etree.SubElement(
                activity, "other-identifier", {"ref": f"{reporting['ref']}-{agreement.id}-row-{label}", "type": "A1"}
            )
        etree.SubElement(activity, "activity-status", {"code": ACTIVITY_STATUS[c["status"]]})
        etree.SubElement(activity, "activity-date", {"type": "1", "iso-date": c["made_on"] or _day(c["created_at"])})
        if (due := due_day(c)) is not None:  # the commitment has a due
            etree.SubElement(activity, "activity-date", {"type": "3", "iso-date": due.isoformat()})
        if c["status"] in ENDED:
            etree.SubElement(activity, "activity-date", {"type": "4", "iso-date": _day(c["modified_at"])})
        link = etree.SubElement(activity, "document-link", {"format": "text/html", "url": meeting_url})
        _narratives(etree.SubElement(link, "title"), meeting.title)
        etree.SubElement(link, "category", {"code": "A12"})  # activity web page: the meeting that made it
        etree.SubElement(link, "document-date", {"iso-date": meeting.scheduled["ends_on"]})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def download(services: Services, agreement_id: UUID) -> Response:
    """An agreement's commitments as an IATI file to download (the JSON API's and the pages' alike). An
    agreement with no commitment yet is refused: an IATI file holds one activity at least."""
    tracker, settings = services.tracker, services.settings
    agreement = tracker.agreements.get(agreement_id)
    meeting = tracker.meetings.get(agreement.meeting_id)
    made = list(matching(tracker.histories, services.catalogue, CommitmentFilter(agreement=agreement_id)))
    if not made:
        raise NotFound(
            "agreement",
            agreement_id,
            "the agreement {identifier} has no commitment yet: an IATI file needs one activity at least",
        )
    meeting_url = (
        f"{settings.public_url.rstrip('/')}/app/meetings/{meeting.id}"
        if settings.public_url
        else f"urn:uuid:{meeting.id}"
    )
    body = activities(
        agreement,
        meeting,
        made,
        tracker.parties.get,
        {
            "ref": settings.iati_reporting_org_ref,
            "type": settings.iati_reporting_org_type,
            "name": settings.iati_reporting_org_name,
        },
        meeting_url,
        tracker.records.now(),
    )
    return Response(
        body,
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="iati-{agreement_id}.xml"'},
    )
