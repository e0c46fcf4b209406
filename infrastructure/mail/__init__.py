"""E-mail: the digests sent to the parties' contacts over SMTP, once per contact and period, and
the links in them that unsubscribe a contact."""
