"""What counts as PII: one regex per kind, a validator that rejects look-alikes, and a trigger.

Precision matters more than a long list of kinds: every candidate a regex finds is checked
(Luhn for cards, mod-97 for IBANs, ``ipaddress`` for IPs, digit counts and date shapes for
phones, character entropy for generic secrets) before it becomes a span. The trigger is a cheap
RE2 pattern, true for every text the full regex could match; it is run over a whole chunk with
Arrow so the Python regex only sees texts that may hold that kind.
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

# Kinds, most specific first: where spans overlap, the earlier kind wins.
PII_TYPES = (
    "private_key",
    "url_credentials",
    "aws_access_key",
    "github_token",
    "openai_key",
    "slack_token",
    "secret",
    "email",
    "iban",
    "credit_card",
    "ipv6",
    "ipv4",
    "phone",
)


@dataclass(frozen=True)
class PiiPattern:
    type: str
    regex: re.Pattern[str]
    trigger: str  # RE2 syntax, a superset of what ``regex`` matches
    validate: Callable[[str, re.Match[str]], bool] | None = None
    group: int = 0  # the regex group that is the span (a secret's value, not its name)


def luhn_valid(digits: str) -> bool:
    """The Luhn checksum every payment card number carries."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


# Issuer prefixes: Visa, Mastercard (51-55, 2221-2720), Amex, Discover, JCB, Diners,
# UnionPay, Maestro.
_CARD_PREFIX = re.compile(
    r"4|5[1-5]|2(?:2[2-9]|[3-6]\d|7[01]|720)|3[47]|6(?:011|5|4[4-9]|2)|35|3[068]|5[06-8]"
)


def _credit_card(text: str, match: re.Match[str]) -> bool:
    digits = re.sub(r"[ -]", "", match.group())
    return 13 <= len(digits) <= 19 and bool(_CARD_PREFIX.match(digits)) and luhn_valid(digits)


# Lengths from the IBAN registry (SWIFT), so a random "DE12 3456..." of the wrong length fails.
_IBAN_TABLE = """
    AD:24 AE:23 AL:28 AT:20 AZ:28 BA:20 BE:16 BG:22 BH:22 BR:29 BY:28 CH:21 CR:22 CY:28 CZ:24
    DE:22 DK:18 DO:28 EE:20 EG:29 ES:24 FI:18 FO:18 FR:27 GB:22 GE:22 GI:23 GL:18 GR:27 GT:28
    HR:21 HU:28 IE:22 IL:23 IQ:23 IS:26 IT:27 JO:30 KW:30 KZ:20 LB:28 LC:32 LI:21 LT:20 LU:20
    LV:21 MC:27 MD:24 ME:22 MK:19 MR:27 MT:31 MU:30 NL:18 NO:15 PK:24 PL:28 PS:29 PT:25 QA:29
    RO:24 RS:22 SA:24 SC:31 SE:24 SI:19 SK:24 SM:27 ST:25 SV:28 TL:23 TN:24 TR:26 UA:29 VA:22
    VG:24 XK:20
"""
_IBAN_LENGTHS = dict(pair.split(":") for pair in _IBAN_TABLE.split())


def iban_valid(candidate: str) -> bool:
    """Registry length for the country, then the ISO 13616 mod-97 check."""
    iban = candidate.replace(" ", "").upper()
    if _IBAN_LENGTHS.get(iban[:2]) != str(len(iban)):
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _iban(text: str, match: re.Match[str]) -> bool:
    return iban_valid(match.group())


_VERSION_CONTEXT = re.compile(
    r"(?:\bv|version|ver\.?|release|build|python|node)\s*$", re.IGNORECASE
)


def _ipv4(text: str, match: re.Match[str]) -> bool:
    # "version 1.2.3.4" and "v10.0.0.1" are version numbers, not addresses.
    return not _VERSION_CONTEXT.search(text, max(0, match.start() - 12), match.start())


def _ipv6(text: str, match: re.Match[str]) -> bool:
    candidate = match.group()
    groups = [group for group in candidate.split(":") if group]
    # Python slices ("x[1::2]") parse as IPv6 too: ask for a full 4-digit group or 3 groups.
    if candidate != "::1" and len(groups) < 3 and all(len(group) < 4 for group in groups):
        return False
    if not any(char.isdigit() for char in candidate):
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


_DATE_SHAPES = re.compile(
    r"\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}|\d{1,2}[-./ ]\d{1,2}[-./ ]\d{2,4}|\d{1,2}[-./ ]\d{4}"
)


def _phone(text: str, match: re.Match[str]) -> bool:
    candidate = match.group()
    digits = sum(char.isdigit() for char in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15
    if not 9 <= digits <= 12 or _DATE_SHAPES.fullmatch(candidate.strip()):
        return False
    # Plain digit runs (IDs, amounts) are not phones: a local number shows its grouping.
    return any(not char.isdigit() for char in candidate)


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s own character distribution."""
    counts = Counter(value)
    return -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())


def _secret(text: str, match: re.Match[str]) -> bool:
    value = match.group(1)
    has_letter = any(char.isalpha() for char in value)
    has_digit = any(char.isdigit() for char in value)
    return has_letter and has_digit and shannon_entropy(value) >= 3.5


def _openai_key(text: str, match: re.Match[str]) -> bool:
    body = match.group()[3:]
    return any(char.isdigit() for char in body) and any(char.isalpha() for char in body)


_NOT_WORD_BEFORE = r"(?<![\w.+-])"
_NOT_WORD_AFTER = r"(?![\w-])"
_IPV4_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


@functools.cache
def pii_patterns() -> tuple[PiiPattern, ...]:
    """Every built-in pattern, compiled once per process, in priority order."""
    patterns = [
        PiiPattern(
            "private_key",
            re.compile(
                r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----"
                r"(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----)?"
            ),
            r"PRIVATE KEY-----",
        ),
        PiiPattern(
            "url_credentials",
            re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s:/@]+:[^\s/@]+@[^\s/?#]+"),
            r"://[^\s:/@]+:[^\s/@]+@",
        ),
        PiiPattern(
            "aws_access_key",
            re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
            r"(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}",
        ),
        PiiPattern(
            "github_token",
            re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b"),
            r"gh[pousr]_|github_pat_",
        ),
        PiiPattern(
            "openai_key",
            re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
            r"sk-",
            _openai_key,
        ),
        PiiPattern(
            "slack_token",
            re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
            r"xox[abposr]-",
        ),
        PiiPattern(
            "secret",
            re.compile(
                r"(?i:\b[\w.-]*(?:api[_-]?key|secret|token|passw(?:or)?d|pwd|access[_-]?key"
                r"|auth[_-]?key|credential)[\w.-]*)[\"']?\s*[:=]\s*[\"']?"
                r"([A-Za-z0-9/+_.=~-]{16,})"
            ),
            r"(?i)(?:key|secret|token|passw|pwd|credential)[\w.-]*[\"']?\s*[:=]",
            _secret,
            group=1,
        ),
        PiiPattern(
            "email",
            re.compile(
                r"(?<![\w.+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?"
                r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b"
            ),
            r"@[A-Za-z0-9-]+\.",
        ),
        PiiPattern(
            "iban",
            re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b"),
            r"[A-Z]{2}\d{2} ?[A-Z0-9]{4}",
            _iban,
        ),
        PiiPattern(
            "credit_card",
            re.compile(r"(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d-])"),
            r"\d(?:[ -]?\d){12}",
            _credit_card,
        ),
        PiiPattern(
            "ipv6",
            re.compile(
                r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|"
                + _IPV4_OCTET
                + r"(?:\."
                + _IPV4_OCTET
                + r"){3})?(?![\w:])"
            ),
            r"[0-9A-Fa-f]*:[0-9A-Fa-f]*:",
            _ipv6,
        ),
        PiiPattern(
            "ipv4",
            re.compile(
                r"(?<![\w.])" + _IPV4_OCTET + r"(?:\." + _IPV4_OCTET + r"){3}(?!\.?\d)(?![\w-])"
            ),
            r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}",
            _ipv4,
        ),
        PiiPattern(
            "phone",
            re.compile(
                _NOT_WORD_BEFORE
                + r"(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}"
                + r"|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}"
                + r"|\d{3}[.-]\d{3}[.-]\d{4}"
                + r"|\d{3} \d{3} \d{4}"
                + r"|0\d{1,4}(?:[ .-]\d{2,4}){2,4}"
                + r"|0\d{2,4}[ /-]\d{6,8})"
                + _NOT_WORD_AFTER
            ),
            r"\d[\d ().-]{5,}\d",
            _phone,
        ),
    ]
    return tuple(patterns)
