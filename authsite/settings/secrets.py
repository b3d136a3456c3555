"""Secrets for the embedded development profile, made on first use and kept out of git."""

import secrets
from pathlib import Path


def development_secret(var_dir: Path, name: str) -> str:
    """Return the random secret stored in ``var/<name>``, creating it on first use.

    Development still gets a secret that no one else has, so nothing secret is ever committed.
    """
    var_dir.mkdir(exist_ok=True)
    path = var_dir / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()
