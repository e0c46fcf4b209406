"""An agenda as iCalendar (RFC 5545, written by the ``icalendar`` library): each open commitment's
due as an all-day event on its last day in its own time zone, each meeting still to be held as an
all-day event over its days. UIDs are the records' ids and SEQUENCE their versions, so calendar
programs update the events they already show."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event

from application.listing.calendars import Agenda
from application.listing.exports import Names, authentic_text, due_day

PRODUCT = "-//commitments//commitment tracker//EN"


def calendar(agenda: Agenda, names: Names, name: str, now: datetime, links: str) -> bytes:
    """``links``: the address of the pages (``https://…/app``), or "" when the service has none set."""
    feed = Calendar()
    feed.add("prodid", PRODUCT)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("x-wr-calname", name)
    for c in agenda.commitments:
        day = due_day(c)
        assert day is not None  # the agenda holds only commitments with a due
        event = Event()
        event.add("uid", f"commitment-{c['id']}@commitments")
        event.add("summary", f"{names.label(c['lead_party_id'])}: {authentic_text(c['text'])}")
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("last-modified", datetime.fromisoformat(c["modified_at"].replace("Z", "+00:00")))
        event.add("sequence", c["version"])
        event.add("categories", ["overdue" if c["overdue"] else c["status"]])
        event.add(
            "description",
            f"Due {c['due_at']} ({c['due'].get('time_zone') or 'UTC'}); status {c['status']}"
            + (f"; {c['progress']['percent']}% done" if c["progress"] else ""),
        )
        event.add("transp", "TRANSPARENT")
        if links:
            event.add("url", f"{links}/commitments/{c['id']}")
        feed.add_component(event)
    for m in agenda.meetings:
        event = Event()
        event.add("uid", f"meeting-{m['id']}@commitments")
        event.add("summary", authentic_text(m["title"]))
        event.add("dtstart", date.fromisoformat(m["scheduled"]["starts_on"]))
        event.add("dtend", date.fromisoformat(m["scheduled"]["ends_on"]) + timedelta(days=1))
        event.add("dtstamp", now.astimezone(UTC))
        event.add("sequence", m["version"])
        venue = m["venue"]
        event.add(
            "location", ", ".join(part for part in (venue.get("name"), venue.get("city"), venue.get("country")) if part)
        )
        if links:
            event.add("url", f"{links}/meetings/{m['id']}")
        feed.add_component(event)
    ical: bytes = feed.to_ical()
    return ical
