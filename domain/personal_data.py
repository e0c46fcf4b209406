"""Personal data: what names or reaches a person: a contact's name and e-mail address, and a person's whose
account signs in. Events hold each such value sealed with a key of that
person's, kept outside the event log; erasing the person deletes the key, so that what the events hold of
them can no longer be read while the chain of the events still verifies. A value recorded before values were
sealed stays in the events as written; once its person is erased it is hidden from every view, export and
bundle (a bundle leaves such an event's state out, and its verifier takes its link as stored).

A person erased stays erased: a party refuses to keep the same address again (``Party.keep_contact``)."""

from domain.parties.contact import Contact
from domain.people.person import PersonDetails

PERSONAL_FIELDS: dict[type, tuple[str, ...]] = {Contact: ("name", "address"), PersonDetails: ("name", "address")}
