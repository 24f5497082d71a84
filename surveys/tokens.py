"""Invitation tokens: unguessable, shown once (in the invitation mail), stored only as a hash.

    token = new_token()              # secrets.token_urlsafe(32): 256 bits
    recipient.token_hash = token_hash(token)

A token that arrives in a request is looked up by its hash; the token itself is never stored,
logged or kept in the address bar (the answering view exchanges it for a session).
"""

from __future__ import annotations

import hashlib
import re
import secrets

# token_urlsafe(32) gives 43 characters of the URL-safe base64 alphabet.
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", errors="replace")).hexdigest()


def is_well_formed(token: str) -> bool:
    """Whether `token` could have come from new_token() (a cheap first filter, not a check)."""
    return bool(TOKEN_PATTERN.fullmatch(token or ""))
