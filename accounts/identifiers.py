"""How usernames and emails are normalised and compared.

Login, registration and the unique indexes all use these functions, so ``Alice``, ``alice``,
``ａｌｉｃｅ`` (full-width) and ``аlice`` (with a Cyrillic "а") are one account everywhere: the
last one can neither be registered next to ``alice`` nor pass for someone else.
"""

import functools
import unicodedata

from confusable_homoglyphs import categories, confusables
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

USERNAME_MAX_LENGTH = 150
EMAIL_MAX_LENGTH = 254

# No "@": an identifier with one is an email, so a username can never shadow someone's email.
username_validator = RegexValidator(
    r"^[\w.-]+\Z",
    "Use letters, digits, dots, hyphens and underscores only.",
)


# Scripts that are written together (UTS #39 "highly restrictive"): Japanese, Chinese, Korean.
SCRIPTS_WRITTEN_TOGETHER = [
    {"HAN", "HIRAGANA", "KATAKANA"},
    {"HAN", "BOPOMOFO"},
    {"HAN", "HANGUL"},
]


def validate_single_script(username: str) -> None:
    """Refuse names that mix alphabets, like "pаypal" with a Cyrillic "а", the way spoofs do."""
    scripts = categories.unique_aliases(username) - {"COMMON"}
    if len(scripts) > 1 and not any(scripts <= together for together in SCRIPTS_WRITTEN_TOGETHER):
        raise ValidationError("Use letters from one alphabet only.", code="mixed_script")


def validate_username_length(username: str) -> None:
    """Refuse a username that its normal form or its key made too long to store."""
    _validate_stored_length(username, username_key(username), USERNAME_MAX_LENGTH)


def validate_email_length(email: str) -> None:
    """Refuse an email address that its normal form or its key made too long to store."""
    _validate_stored_length(email, email_key(email), EMAIL_MAX_LENGTH)


def _validate_stored_length(value: str, key: str, limit: int) -> None:
    # Input is measured before NFKC and case-folding, which can lengthen it: "ﬀ" becomes "ff",
    # "ß" becomes "ss", so 150 characters typed can be 300 stored.
    if max(len(value), len(key)) > limit:
        raise ValidationError(f"Use at most {limit} characters.", code="max_length")


def normalize_username(username: str) -> str:
    """The form a username is stored in: NFKC, surrounding spaces removed."""
    return unicodedata.normalize("NFKC", username).strip()


def username_key(username: str) -> str:
    """The key two usernames are compared by: case-folded, look-alike letters read as Latin.

    A name written in another script with letters that look Latin (Cyrillic "аре", Greek
    "ΑΒΕ", Cherokee "ᏟᎾᏢᎬ") or in Latin small capitals ("ᴄᴏᴘᴇ") gets the key of the Latin name
    it imitates, so the unique index refuses it.
    """
    # Before and after case-folding: some capitals have a Latin twin their small letters lack.
    read_as_latin = _as_latin(normalize_username(username)).casefold()
    return _as_latin(read_as_latin)


def _as_latin(text: str) -> str:
    return "".join(_latin_look_alike(char) for char in text)


SMALL_CAPITAL = "LATIN LETTER SMALL CAPITAL "


@functools.lru_cache(maxsize=4096)
def _latin_look_alike(char: str) -> str:
    # Small capitals are Latin, so no script mix gives them away, and the confusables data does
    # not list them.
    name = unicodedata.name(char, "")
    if name.startswith(SMALL_CAPITAL) and len(name) == len(SMALL_CAPITAL) + 1:
        return name[-1].lower()
    found = confusables.is_confusable(char, greedy=True, preferred_aliases=["latin", "common"]) or []
    for entry in found:
        for homoglyph in entry["homoglyphs"]:
            # Some twins carry a mark ("Ꮎ" reads as "O" with a stroke): the letters under it count.
            base = "".join(part for part in homoglyph["c"] if not unicodedata.combining(part))
            if base and base.isascii():
                return base
    return char


def normalize_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email).strip()


def email_key(email: str) -> str:
    """The case-insensitive key two emails are compared by."""
    return normalize_email(email).casefold()


def identifier_key(identifier: str) -> tuple[str, str]:
    """Which field a login identifier names and its key: an email has an ``@``."""
    if "@" in identifier:
        return "email_key", email_key(identifier)
    return "username_key", username_key(identifier)
