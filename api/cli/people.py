"""``people create-admin``: the first administrator person; ``people reset-second-factor``: for a person who lost
theirs. Both done by the operator with server access."""

import argparse

from api.cli.common import Refused, _say, _services


def people_create_admin(args: argparse.Namespace) -> int:
    from application.errors import ApplicationError
    from domain.errors import DomainError

    with _services(args) as services:
        try:
            invitation = services.people.create_admin(args.name, args.email, args.language)
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
        settings = services.settings
        base = settings.public_url or f"http://{settings.host}:{settings.port}"
    link = f"{base.rstrip('/')}/app/welcome/{invitation.token}"
    _say(
        args,
        f"Invited {args.email} as an administrator. Open this link within {services.people.valid_for.days} days "
        f"to choose a password (it works once; it is shown only now):\n{link}",
        {"person_id": invitation.person_id, "link": link},
    )
    return 0


def people_reset_second_factor(args: argparse.Namespace) -> int:
    """The person's authenticator and recovery codes stop working and their sessions end; the event says the
    operator did it, and why."""
    from application.errors import ApplicationError
    from domain.errors import DomainError

    with _services(args) as services:
        try:
            services.people.reset_second_factor(args.email, args.reason)
        except (ApplicationError, DomainError) as error:
            raise Refused(str(error)) from None
    _say(
        args,
        f"The second factor of {args.email} is reset: they set up a new one at their next sign-in.",
        {"email": args.email, "reset": True},
    )
    return 0
