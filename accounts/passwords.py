"""How passwords are read before they are checked or hashed.

The one normalisation is Unicode NFKC, so the same passphrase typed on two keyboards (a
composed "é" or "e" plus a combining accent, a full-width digit) is the same password. Nothing
is trimmed, truncated or case-folded: spaces and every character count.
"""

import unicodedata

# Refused before any hashing: far above a long passphrase, far below a denial of service.
MAX_LENGTH = 1024


def normalize_password(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)
