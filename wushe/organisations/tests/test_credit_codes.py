"""Unified social credit codes (GB 32100-2015): parsing, normalisation, every error code."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from wushe.organisations.credit_codes import (
    ALPHABET,
    AUTHORITIES,
    CREDIT_ERRORS,
    CreditCodeError,
    check_character,
    describe_credit_code,
    is_valid_credit_code,
    make_credit_code,
    normalize_credit_code,
    organisation_code_check_character,
    parse_credit_code,
)

# Codes printed on real certificates (public registers): an enterprise, a state enterprise,
# a national foundation registered with civil affairs, a Shenzhen company with an X check.
REAL_CODES = [
    "91350100M000100Y43",
    "91110000802100433B",
    "53100000500021676K",
    "9144030071526726XG",
]
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in ALPHABET}


@st.composite
def first_sixteen(draw) -> str:
    authority = draw(st.sampled_from(sorted(AUTHORITIES)))
    kind = draw(st.sampled_from("123456789"))
    region = draw(st.integers(100000, 829999))
    body = draw(st.text(alphabet=ALPHABET, min_size=8, max_size=8))
    return f"{authority}{kind}{region}{body}"


@st.composite
def valid_codes(draw) -> str:
    return make_credit_code(draw(first_sixteen()))


@pytest.mark.parametrize("code", REAL_CODES)
def test_it_accepts_real_codes(code):
    assert parse_credit_code(code) == code


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_organisation_codes_carry_their_gb_11714_check(code):
    assert organisation_code_check_character(code[8:16]) == code[16]


def test_it_normalises_spaces_case_and_full_width():
    typed = " ９１３５０１００ｍ０００１００ｙ４３\u200b "
    assert normalize_credit_code(typed) == "91350100M000100Y43"
    assert parse_credit_code(typed) == "91350100M000100Y43"


def test_it_makes_a_code_from_sixteen_or_seventeen_characters():
    assert make_credit_code("91350100M000100Y") == "91350100M000100Y43"
    assert make_credit_code("91350100M000100Y4") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "credit_empty"),
        (None, "credit_empty"),
        ("  \u3000 ", "credit_empty"),
        ("91350100M000100Y4", "credit_length"),
        ("91350100M000100Y433", "credit_length"),
        ("91350100M000100O43", "credit_characters"),  # O is not in the alphabet
        ("91350100M000100I43", "credit_characters"),
        ("91350100M000100-43", "credit_characters"),
        ("B1350100M000100Y43", "credit_authority"),
        ("9A350100M000100Y43", "credit_type"),
        ("90350100M000100Y43", "credit_type"),
        ("913501A0M000100Y43", "credit_region"),
        ("91350100M000100Y44", "credit_check"),
    ],
)
def test_it_refuses_each_fault_with_its_code(raw, code):
    with pytest.raises(CreditCodeError) as caught:
        parse_credit_code(raw)
    assert caught.value.code == code
    assert not is_valid_credit_code(raw)


def test_errors_are_validation_errors_in_chinese_and_english_without_the_input():
    bad = "91350100M000100Y44"
    with pytest.raises(CreditCodeError) as caught:
        parse_credit_code(bad)
    error = caught.value.as_validation_error()
    assert isinstance(error, ValidationError)
    assert error.code == "credit_check"
    with translation.override("zh-hans"):
        chinese = str(caught.value)
    with translation.override("en"):
        english = str(caught.value)
    assert "校验" in chinese
    assert "check character" in english
    assert bad not in chinese + english + repr(error)


def test_every_error_code_has_a_message_in_both_languages():
    for message in CREDIT_ERRORS.values():
        with translation.override("en"):
            english = str(message)
        with translation.override("zh-hans"):
            chinese = str(message)
        assert chinese != english, english


def test_it_describes_authority_and_civil_affairs_type():
    with translation.override("en"):
        authority, kind = describe_credit_code("53100000500021676K")
        assert (str(authority), str(kind)) == ("Civil affairs", "Foundation")
        authority, kind = describe_credit_code("91350100M000100Y43")
        assert (str(authority), kind) == ("Market regulation", None)


def test_check_character_refuses_foreign_characters():
    with pytest.raises(ValueError):
        check_character("91350100M000100O4")
    with pytest.raises(ValueError):
        organisation_code_check_character("M000100")


@given(valid_codes())
def test_a_made_code_round_trips(code):
    assert parse_credit_code(code) == code
    assert parse_credit_code(code.lower()) == code
    assert parse_credit_code("".join(FULL_WIDTH[c] for c in code)) == code
    assert organisation_code_check_character(code[8:16]) == code[16]


@given(valid_codes(), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_detected(code, position, replacement):
    changed = code[:position] + replacement + code[position + 1 :]
    if changed == code:
        return
    assert not is_valid_credit_code(changed)


@given(valid_codes(), st.integers(0, 16))
def test_swapping_neighbours_is_detected_when_it_changes_the_code(code, position):
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped == code:
        return
    assert not is_valid_credit_code(swapped)


@given(st.text(max_size=30))
def test_any_text_either_parses_or_raises_a_credit_code_error(text):
    try:
        code = parse_credit_code(text)
    except CreditCodeError as error:
        assert error.code in CREDIT_ERRORS
    else:
        assert len(code) == 18 and check_character(code[:17]) == code[17]
