"""Row ids as the API speaks them: decimal strings, since they exceed 2^53 on CockroachDB."""

MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id a path or body names, or ``None`` when it cannot be one of ours."""
    text = str(value)
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
