"""TOTP arithmetic against the published test vectors: RFC 4226 appendix D (HOTP) and
RFC 6238 appendix B (TOTP with SHA-1, SHA-256 and SHA-512, eight digits)."""

from __future__ import annotations

import pytest

from motcua.domain import totp

SHA1_SECRET = b"12345678901234567890"
SHA256_SECRET = b"12345678901234567890123456789012"
SHA512_SECRET = b"1234567890123456789012345678901234567890123456789012345678901234"

RFC4226 = [
    "755224",
    "287082",
    "359152",
    "969429",
    "338314",
    "254676",
    "287922",
    "162583",
    "399871",
    "520489",
]


@pytest.mark.parametrize(("counter", "expected"), list(enumerate(RFC4226)))
def test_hotp_matches_rfc_4226(counter: int, expected: str) -> None:
    assert totp.hotp(SHA1_SECRET, counter) == expected


RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("moment", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc_6238(moment: int, sha1: str, sha256: str, sha512: str) -> None:
    assert totp.totp(SHA1_SECRET, moment, digits=8, algorithm="SHA1") == sha1
    assert totp.totp(SHA256_SECRET, moment, digits=8, algorithm="SHA256") == sha256
    assert totp.totp(SHA512_SECRET, moment, digits=8, algorithm="SHA512") == sha512


def test_the_time_step_of_rfc_6238_table() -> None:
    # Appendix B gives T in hex: 0x23523EC for 1111111109 and 0x27BC86AA for 20000000000.
    assert totp.time_step(1111111109) == 0x23523EC
    assert totp.time_step(20000000000) == 0x27BC86AA
    assert totp.time_step(59) == 1


def test_verify_accepts_the_code_of_now_and_one_step_either_side() -> None:
    now = 1111111111
    step = totp.time_step(now)
    for offset in (-1, 0, 1):
        code = totp.hotp(SHA1_SECRET, step + offset)
        assert totp.verify(SHA1_SECRET, code, now) == step + offset
    assert totp.verify(SHA1_SECRET, totp.hotp(SHA1_SECRET, step + 2), now) is None
    assert totp.verify(SHA1_SECRET, totp.hotp(SHA1_SECRET, step - 2), now) is None


def test_a_code_is_good_once() -> None:
    now = 1234567890
    code = totp.totp(SHA1_SECRET, now)
    used = totp.verify(SHA1_SECRET, code, now)
    assert used == totp.time_step(now)
    assert totp.verify(SHA1_SECRET, code, now, last_step=used) is None
    # An earlier step's code is refused once a later one was used.
    earlier = totp.hotp(SHA1_SECRET, used - 1)
    assert totp.verify(SHA1_SECRET, earlier, now, last_step=used) is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_verify_refuses_what_cannot_be_a_code(typed: str) -> None:
    assert totp.verify(SHA1_SECRET, typed, 59) is None


def test_spaces_and_dashes_people_type_are_ignored() -> None:
    code = totp.totp(SHA1_SECRET, 59)
    assert totp.verify(SHA1_SECRET, f"{code[:3]} {code[3:]}", 59) == 1
    assert totp.verify(SHA1_SECRET, f"{code[:3]}-{code[3:]}", 59) == 1


def test_the_base32_key_round_trips() -> None:
    text = totp.secret_to_text(SHA1_SECRET)
    assert text == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # RFC 4648 base32 of the secret
    assert totp.secret_from_text(totp.grouped(text).lower()) == SHA1_SECRET
    with pytest.raises(ValueError):
        totp.secret_from_text("not base32!")


def test_the_provisioning_uri_names_the_issuer_and_the_account() -> None:
    uri = totp.provisioning_uri(SHA1_SECRET, account="lanhdao.hongchau", issuer="Một cửa")
    assert uri.startswith("otpauth://totp/M%E1%BB%99t%20c%E1%BB%ADa%3Alanhdao.hongchau?")
    assert "secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" in uri
    assert "period=30" in uri and "digits=6" in uri
