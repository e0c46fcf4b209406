"""Reading headers that list choices with weights (``Accept``, ``Accept-Language``): RFC 9110's
``item;q=0.5, other`` form."""


def by_preference(header: str | None, default: str = "") -> list[str]:
    """The header's items, most wanted first (by ``q``, then as listed), without those of q=0, lowercase."""
    wanted: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or default)[:1000].split(",")):
        name, _, parameters = item.strip().partition(";")
        quality = 1.0
        for parameter in parameters.split(";"):
            key, _, number = parameter.strip().partition("=")
            if key == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if name.strip() and quality > 0:
            wanted.append((-quality, position, name.strip().lower()))
    return [name for _, _, name in sorted(wanted)]
