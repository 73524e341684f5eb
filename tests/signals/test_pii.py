from __future__ import annotations

import pyarrow as pa
import pytest

from gristmill.signals import PII_TYPES, PIISignal
from gristmill.signals._pii_patterns import iban_valid, luhn_valid, shannon_entropy

# (text, the substrings that must be found with their type)
TRUE_POSITIVES = [
    ("Mail john.doe@example.com today", [("john.doe@example.com", "email")]),
    ("write to jane+news@mail.co.uk.", [("jane+news@mail.co.uk", "email")]),
    ("Call +1 (555) 123-4567 now", [("+1 (555) 123-4567", "phone")]),
    ("UK office +44 20 7946 0958", [("+44 20 7946 0958", "phone")]),
    ("Paris: +33 1 23 45 67 89", [("+33 1 23 45 67 89", "phone")]),
    ("US 555-123-4567 or (555) 987-6543", [("555-123-4567", "phone"), ("(555) 987-6543", "phone")]),
    (
        "London 020 7946 0958, Berlin 030 1234567",
        [("020 7946 0958", "phone"), ("030 1234567", "phone")],
    ),
    ("host 192.168.1.1:8080 up", [("192.168.1.1", "ipv4")]),
    ("v6 2001:db8::8a2e:370:7334 and ::1", [("2001:db8::8a2e:370:7334", "ipv6"), ("::1", "ipv6")]),
    ("link fe80::1ff:fe23:4567:890a", [("fe80::1ff:fe23:4567:890a", "ipv6")]),
    ("Visa 4111 1111 1111 1111 ok", [("4111 1111 1111 1111", "credit_card")]),
    ("amex 3782-822463-10005", [("3782-822463-10005", "credit_card")]),
    ("mc 5555555555554444.", [("5555555555554444", "credit_card")]),
    ("IBAN GB82 WEST 1234 5698 7654 32", [("GB82 WEST 1234 5698 7654 32", "iban")]),
    ("pay DE89370400440532013000 now", [("DE89370400440532013000", "iban")]),
    (
        "db postgres://admin:s3cr3t@db.example.com:5432/app",
        [("postgres://admin:s3cr3t@db.example.com:5432", "url_credentials")],
    ),
    ("see https://user:pw@example.com/x", [("https://user:pw@example.com", "url_credentials")]),
    ("key AKIAIOSFODNN7EXAMPLE", [("AKIAIOSFODNN7EXAMPLE", "aws_access_key")]),
    (
        "token ghp_0123456789abcdefghijABCDEFGHIJ012345",
        [("ghp_0123456789abcdefghijABCDEFGHIJ012345", "github_token")],
    ),
    (
        "OPENAI sk-proj-abc123DEF456ghi789JKL012",
        [("sk-proj-abc123DEF456ghi789JKL012", "openai_key")],
    ),
    ("slack xoxb-123456789012-abcdefghij", [("xoxb-123456789012-abcdefghij", "slack_token")]),
    (
        'api_key = "a8f5f167f44f4964e6c998dee827110c"',
        [("a8f5f167f44f4964e6c998dee827110c", "secret")],
    ),
    ("DB_PASSWORD: Xk9#mQ2vL8pR4tZ7wN", []),  # '#' ends the value: too short to be sure
    ("client_secret=Zm9vYmFyMTIzNDU2Nzg5MGFi", [("Zm9vYmFyMTIzNDU2Nzg5MGFi", "secret")]),
    (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        [
            (
                "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
                "private_key",
            )
        ],
    ),
]

FALSE_POSITIVES = [
    "Dates: 2023-01-15, 01.02.2023, 12/31/2024, 31-12-2024 and 2024/03/05.",
    "Plain numbers 1234567890 and 5551234567 and 1,234,567.89 and 3.14159.",
    "Versions 1.2.3 and version 1.2.3.4, release 2.0.0.1, v10.0.0.1, Python 3.11.4.",
    "Not an IP: 256.1.1.1 or 10.0.0.999 or 1.2.3.4.5.",
    "Slices x[1::2] and y[::3], times 12:30:45, C++ std::vector and a::b.",
    "Bad Luhn 4111 1111 1111 1112; ISBN 978-3-16-148410-0; order 1234-5678-9012-3456.",
    "Bad IBAN GB82 WEST 1234 5698 7654 33 and GB82 WEST 1234 5698 7654 3 (short).",
    "Emails need a domain: user@localhost, @handle, a@b.",
    "pip install scikit-learn; task-runner; sk-learn; the secret = true; token: none",
    "password = hunter2; api_key = os.environ.get('KEY'); SECRET_KEY = settings.SECRET_VALUE",
    "A git sha a8f5f167f44f4964e6c998dee827110c without any assignment.",
    "Price $1 000 000, score 100 - 200 - 300, room 101.",
]


@pytest.mark.parametrize(("text", "expected"), TRUE_POSITIVES)
def test_true_positives(text: str, expected: list[tuple[str, str]]) -> None:
    [row] = PIISignal().compute([text])
    found = [(text[span["start"] : span["end"]], span["type"]) for span in row["spans"]]
    assert found == expected
    assert row["total"] == len(expected)
    for _, kind in expected:
        assert row["counts"][kind] >= 1


@pytest.mark.parametrize("text", FALSE_POSITIVES)
def test_false_positives(text: str) -> None:
    [row] = PIISignal().compute([text])
    found = [(text[span["start"] : span["end"]], span["type"]) for span in row["spans"]]
    assert found == []


def test_overlaps_keep_the_most_specific_kind() -> None:
    [row] = PIISignal().compute(["ftp://bob:hunter22@files.example.com"])
    assert [span["type"] for span in row["spans"]] == ["url_credentials"]


def test_offsets_are_string_indices_in_any_script() -> None:
    text = "Пишите на почту ivan@example.ru или звоните +7 495 123-45-67. 谢谢"
    [row] = PIISignal().compute([text])
    found = [(text[s["start"] : s["end"]], s["type"]) for s in row["spans"]]
    assert found == [("ivan@example.ru", "email"), ("+7 495 123-45-67", "phone")]


def test_output_shape_and_missing_rows() -> None:
    signal = PIISignal()
    outputs = signal.compute([None, "", "nothing here", "a@example.org"])
    assert outputs[:2] == [None, None]
    assert outputs[2] == {"spans": [], "counts": dict.fromkeys(PII_TYPES, 0), "total": 0}
    assert outputs[3]["counts"]["email"] == 1
    table = pa.array(outputs, type=signal.output_type())
    assert table.null_count == 2


def test_checksums() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert luhn_valid("79927398713")
    assert iban_valid("GB82 WEST 1234 5698 7654 32")
    assert iban_valid("FR1420041010050500013M02606")
    assert not iban_valid("GB82WEST12345698765433")
    assert not iban_valid("XX82WEST12345698765432")  # unknown country
    assert shannon_entropy("aaaa") == 0.0
    assert shannon_entropy("abcd") == pytest.approx(2.0)
