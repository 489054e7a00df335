"""A panelist's optional sheet PIN: what makes blind scoring on one shared laptop more than trust.

Picking a name on the shared laptop opens that panelist's unsubmitted sheet. A panelist may set a
PIN when they first open their sheet; from then on the sheet opens (and saves, and submits) only
with it. The PIN is never stored: only a salted PBKDF2-HMAC-SHA256 digest (``hashlib.pbkdf2_hmac``)
with its salt and iteration count, so a stronger count later still checks old PINs. A run of wrong
PINs locks the sheet until the coordinator resets the PIN with a written, audited reason.

A short PIN guards against a colleague in the same room, not against someone holding the database
file (who could try every PIN offline): the database itself is protected by its passphrase.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sro_desk.domain.errors import RuleViolation

PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
PIN_ITERATIONS = 200_000
SALT_BYTES = 16
#: Consecutive wrong PINs after which only a coordinator reset opens the sheet again.
MAX_FAILED_ATTEMPTS = 5


class PinRefused(RuleViolation):
    """A PIN-protected sheet was asked for without its PIN, with a wrong one, or while locked."""


@dataclass(frozen=True, slots=True)
class PinHash:
    salt: bytes
    digest: bytes
    iterations: int


def pin_problems(pin: str, repeated: str | None = None) -> list[str]:
    """Why ``pin`` cannot be a sheet PIN, in words (empty when it can)."""
    problems: list[str] = []
    if not pin:
        return ["Type a PIN"]
    if not pin.isascii() or not pin.isdigit():
        problems.append("A PIN is digits only")
    elif not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        problems.append(f"A PIN has {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits")
    elif len(set(pin)) == 1:
        problems.append("A PIN of one repeated digit is too easy to guess")
    if repeated is not None and repeated != pin:
        problems.append("The two PINs do not match")
    return problems


def _derive(pin: str, salt: bytes, iterations: int) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", pin.encode("utf-8"), salt, iterations)


def hash_pin(pin: str, *, salt: bytes | None = None, iterations: int = PIN_ITERATIONS) -> PinHash:
    """A new salted digest of ``pin``; raises ``ValueError`` for a PIN ``pin_problems`` refuses."""
    problems = pin_problems(pin)
    if problems:
        raise ValueError("; ".join(problems))
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    return PinHash(salt, _derive(pin, salt, iterations), iterations)


def pin_matches(pin: str, stored: PinHash) -> bool:
    """Does ``pin`` match ``stored``? Compared in constant time."""
    if not pin:
        return False
    return hmac.compare_digest(_derive(pin, stored.salt, stored.iterations), stored.digest)


def locked_message(name: str) -> str:
    return (f"{MAX_FAILED_ATTEMPTS} wrong PINs in a row: {name}'s sheet is locked. The coordinator "
            "can reset the PIN (Set-up › Panel › Reset PIN…, with a reason kept in the audit "
            "trail); then set a new one.")
