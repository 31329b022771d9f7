"""Identifier and contact checks, with the worked examples of the domain notes."""

from __future__ import annotations

import pytest

from decoding.forms.identifiers import (
    check_brn,
    check_crn,
    check_email,
    check_frn,
    check_mail_order_no,
    check_phone,
    check_postcode,
    check_rrn,
    rrn_birth_date,
)


def severities(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [p.severity for p in problems]


# -- 주민등록번호 -------------------------------------------------------------


@pytest.mark.parametrize("rrn", ["9001011234568", "8503151787781", "9207082932876"])
def test_rrn_accepts_numbers_with_a_legacy_check_digit(rrn: str) -> None:
    # 900101-1234568 is the domain notes' example; the others are the vectors' people.
    assert check_rrn(rrn) == []


@pytest.mark.parametrize(
    "rrn",
    [
        "0002283123454",  # 2000-02-28, G=3
        "0002294123453",  # 2000 is a leap year
        "9912319123453",  # G=9: born in the 1800s
    ],
)
def test_rrn_date_and_sex_digit_decide_acceptance(rrn: str) -> None:
    assert "error" not in severities(check_rrn(rrn))


def test_rrn_checksum_miss_is_only_a_warning() -> None:
    # domain notes: 900101-1234567 fails the legacy rule; since 2020-10 that is normal.
    problems = check_rrn("9001011234567")
    assert severities(problems) == ["warning"]
    assert "2020" in problems[0].message_ko


@pytest.mark.parametrize(
    "rrn",
    [
        "900101-1234568",  # hyphen
        "900101123456",  # 12 digits
        "9013011234568",  # month 13
        "9002301234568",  # 30 February
        "0102291234568",  # 1901 was not a leap year
        "abcdefghijklm",
    ],
)
def test_rrn_rejects_bad_date_or_shape(rrn: str) -> None:
    assert severities(check_rrn(rrn)) == ["error"]


def test_rrn_birth_date_follows_the_sex_digit() -> None:
    assert str(rrn_birth_date("9001011234568")) == "1990-01-01"
    assert str(rrn_birth_date("0501013234568")) == "2005-01-01"
    assert str(rrn_birth_date("9001019234568")) == "1890-01-01"
    assert rrn_birth_date("9002301234568") is None


def test_rrn_box_takes_a_foreigner_number() -> None:
    assert check_rrn("9001015000062") == []


# -- 외국인등록번호 -----------------------------------------------------------


def test_frn_passes_the_legacy_rule() -> None:
    assert check_frn("9001015000062") == []


def test_frn_legacy_miss_is_a_warning() -> None:
    assert severities(check_frn("9001015000063")) == ["warning"]
    # digits 8-9 odd: not the legacy shape either
    assert severities(check_frn("9001015010062")) == ["warning"]


def test_frn_needs_a_foreigner_sex_digit_and_a_real_date() -> None:
    assert severities(check_frn("9001011234568")) == ["error"]
    assert severities(check_frn("9002305000062")) == ["error"]


# -- 사업자등록번호 / 법인등록번호 -----------------------------------------------


@pytest.mark.parametrize("brn", ["2208162517", "1248100998"])
def test_brn_worked_examples_pass(brn: str) -> None:
    assert check_brn(brn) == []


@pytest.mark.parametrize("brn", ["2208162518", "220-81-62517", "220816251", "2200062517"])
def test_brn_failures_are_errors(brn: str) -> None:
    assert severities(check_brn(brn)) == ["error"]


def test_crn_worked_examples() -> None:
    assert check_crn("1301110006246") == []
    assert severities(check_crn("1101110006246")) == ["error"]
    assert severities(check_crn("130111-0006246")) == ["error"]


def test_crn_of_the_mail_order_vector_fails_its_check_digit() -> None:
    # The basic.json mail-order vector carries 110111-1234567: check digit 9 expected.
    assert severities(check_crn("1101111234567")) == ["error"]
    assert check_crn("1101111234569") == []


# -- phone, postcode, e-mail, mail-order number ------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "010-2345-6789",
        "01023456789",
        "02-123-4567",
        "02-2155-6114",
        "031-123-4567",
        "064-1234-5678",
        "070-1234-5678",
        "080-123-4567",
        "0505-123-4567",
        "1588-1234",
        "1644-0000",
        "1899-1234",
    ],
)
def test_phone_accepts_korean_numbers(phone: str) -> None:
    assert check_phone(phone) == []


@pytest.mark.parametrize(
    "phone",
    [
        "010-234-567",  # too short for a mobile number
        "011-234-5678",  # the 2G prefixes are gone
        "02-012-3456",  # a local number never starts with 0
        "035-123-4567",  # no such area code
        "1234-5678",
        "+82-10-2345-6789",
        "010 2345 6789",
        "010--2345-6789",
        "",
    ],
)
def test_phone_rejects_the_rest(phone: str) -> None:
    assert severities(check_phone(phone)) == ["error"]


def test_postcode_five_digits_and_no_old_six() -> None:
    assert check_postcode("06750") == []
    old = check_postcode("137-070")
    assert severities(old) == ["error"] and "2015" in old[0].message_ko
    assert severities(check_postcode("137070")) == ["error"]
    assert severities(check_postcode("6750")) == ["error"]


@pytest.mark.parametrize("email", ["seoyeon.kim@example.kr", "a+b@sub.example.co.kr"])
def test_email_good(email: str) -> None:
    assert check_email(email) == []


@pytest.mark.parametrize("email", ["no-at.example.kr", "a@b", "a@@b.kr", "a@b..kr", "a b@c.kr"])
def test_email_bad(email: str) -> None:
    assert severities(check_email(email)) == ["error"]


def test_mail_order_number_is_loose() -> None:
    assert check_mail_order_no("제2023-서울서초-0647호") == []
    assert check_mail_order_no("제2024-경기성남-12345호") == []
    assert severities(check_mail_order_no("2023-0647")) == ["warning"]
    assert severities(check_mail_order_no("")) == ["error"]
    assert severities(check_mail_order_no("x" * 51)) == ["error"]
