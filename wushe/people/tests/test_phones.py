"""Mainland phone numbers: the spellings accepted, the canonical form, refusals and masks."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from wushe.people.identity import IdentifierError
from wushe.people.phones import (
    PHONE_ERRORS,
    PhoneError,
    _is_allocated_mobile,
    _national,
    mask_phone,
    normalize_phone,
    parse_phone,
)

FULL_WIDTH_DIGITS = {c: chr(ord(c) + 0xFEE0) for c in "0123456789"}


def error_code(raw: str | None) -> str:
    with pytest.raises(PhoneError) as caught:
        parse_phone(raw)
    return caught.value.code


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+86-13800138000", "13800138000"),
        ("0086 13800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("＋８６　１３８　００１３　８０００", "13800138000"),
        ("19912345678", "19912345678"),
        ("16612345678", "16612345678"),
        ("0755-26888888", "0755-26888888"),
        ("0755 2688 8888", "0755-26888888"),
        ("(0755) 26888888", "0755-26888888"),
        ("（０７５５）２６８８８８８８", "0755-26888888"),
        ("0755－26888888", "0755-26888888"),
        ("0755\u201426888888", "0755-26888888"),
        ("+86 755 2688 8888", "0755-26888888"),
        ("+86 (0)755 2688 8888", "0755-26888888"),
        ("010 12345678", "010-12345678"),
        ("01062345678", "010-62345678"),
        ("+86 10 6234 5678", "010-62345678"),
        ("021-62345678", "021-62345678"),
        ("0799-6234567", "0799-6234567"),  # 萍乡 still dials 7 digits
    ],
)
def test_it_accepts_mainland_mobiles_and_landlines(raw, canonical):
    assert parse_phone(raw) == canonical


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "phone_empty"),
        (None, "phone_empty"),
        (" - ( ) \u3000", "phone_empty"),
        ("1380013800", "phone_not_mainland"),  # 10 digits
        ("138001380001", "phone_not_mainland"),  # 12 digits
        ("12345678901", "phone_not_mainland"),  # 12x is no mobile segment
        ("14012345678", "phone_not_mainland"),  # data-only IoT segment
        ("15412345678", "phone_not_mainland"),  # unallocated segment
        ("26888888", "phone_not_mainland"),  # no area code
        ("0755-2688888", "phone_not_mainland"),  # Shenzhen dials 8 digits
        ("0300-62345678", "phone_not_mainland"),  # no such area code
        ("0755-26888888-123", "phone_not_mainland"),  # extension
        ("4001234567", "phone_not_mainland"),  # service number
        ("95588", "phone_not_mainland"),
        ("+852 9123 4567", "phone_not_mainland"),  # Hong Kong
        ("+853 6612 3456", "phone_not_mainland"),  # Macao
        ("+886 912 345 678", "phone_not_mainland"),  # Taiwan
        ("+1 415 555 0100", "phone_not_mainland"),
        ("013800138000", "phone_not_mainland"),
        ("138OO138000", "phone_not_mainland"),  # letters O, not zeros
        ("١٣٨٠٠١٣٨٠٠٠", "phone_not_mainland"),  # Arabic-Indic digits
        ("tel:13800138000", "phone_not_mainland"),
    ],
)
def test_it_refuses_anything_else_with_a_code(raw, code):
    assert error_code(raw) == code


@st.composite
def mobiles(draw) -> str:
    segment = draw(st.sampled_from(["130", "135", "138", "139", "150", "186", "177", "199"]))
    return segment + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)))


@st.composite
def as_written(draw, mobile: str) -> str:
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86", "＋８６ "]))
    pieces = [prefix]
    for char in mobile:
        pieces.append(draw(st.sampled_from(["", "", " ", "-", "\u3000", "－"])))
        pieces.append(FULL_WIDTH_DIGITS[char] if draw(st.booleans()) else char)
    return "".join(pieces)


@given(st.data())
def test_any_way_of_writing_a_mobile_gives_its_11_digits(data):
    mobile = data.draw(mobiles())

    assert parse_phone(data.draw(as_written(mobile))) == mobile


@given(st.text(max_size=30))
def test_any_text_is_either_a_canonical_phone_or_a_phone_error(text):
    try:
        canonical = parse_phone(text)
    except PhoneError as error:
        assert error.code in PHONE_ERRORS
    else:
        assert parse_phone(canonical) == canonical


def test_normalize_drops_separators_and_folds_width_only():
    assert normalize_phone(" （０７５５）\u3000２６８８－８８８８ ") == "075526888888"
    assert normalize_phone("+86 138.0013.8000") == "+8613800138000"


@pytest.mark.parametrize("code", sorted(PHONE_ERRORS))
def test_each_error_is_a_value_error_with_an_english_message(code):
    with pytest.raises(PhoneError) as caught:
        parse_phone("" if code == "phone_empty" else "+852 9123 4567")

    with translation.override("en"):
        text = str(caught.value)
        expected = str(PHONE_ERRORS[code])

    assert isinstance(caught.value, ValueError) and isinstance(caught.value, IdentifierError)
    assert caught.value.code == code
    assert text == expected and "9123" not in text


@pytest.mark.parametrize(
    ("canonical", "masked"),
    [
        ("13812345678", "138****5678"),
        ("0755-26888888", "0755-****8888"),
        ("010-62345678", "010-****5678"),
        ("0799-6234567", "0799-***4567"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_it_masks_all_but_the_area_code_or_segment_and_the_last_four(canonical, masked):
    assert mask_phone(canonical) == masked


@given(mobiles())
def test_a_masked_mobile_keeps_only_its_segment_and_last_four(mobile):
    masked = mask_phone(mobile)

    assert masked == mobile[:3] + "****" + mobile[-4:]


# The mobile fast path (phones._is_allocated_mobile) against phonenumbers itself.

PERSON_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def allocated_by_phonenumbers(national: str) -> bool:
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(national))
    return phonenumbers.number_type(number) in PERSON_TYPES


def reference_parse(raw: str | None) -> str:
    """parse_phone as it was before the fast path: phonenumbers decides every number."""
    national = _national(normalize_phone(raw))
    if not national:
        raise PhoneError("phone_empty", "")
    if re.fullmatch(r"1[3-9][0-9]{9}", national) and allocated_by_phonenumbers(national):
        return national
    landline = re.fullmatch(r"0(?:10|2[0-9]|[3-9][0-9]{2})[0-9]{7,8}", national)
    if landline:
        number = phonenumbers.PhoneNumber(country_code=86, national_number=int(national[1:]))
        if phonenumbers.number_type(number) in (
            phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        ):
            area = 3 if national[1] in "12" else 4
            return national[:area] + "-" + national[area:]
    raise PhoneError("phone_not_mainland", "")


def test_the_mobile_rule_agrees_with_phonenumbers_on_every_five_digit_prefix():
    # The metadata decides a mobile by its first five digits at most (1740x, 1610x); every
    # prefix with three endings each covers any rule of that shape.
    disagreements = [
        number
        for prefix in range(13000, 20000)
        for number in (f"{prefix}000000", f"{prefix}555555", f"{prefix}999999")
        if _is_allocated_mobile(number) != allocated_by_phonenumbers(number)
    ]

    assert disagreements == []


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_the_mobile_rule_agrees_with_phonenumbers_on_any_mobile_shape(number):
    assert _is_allocated_mobile(number) == allocated_by_phonenumbers(number)


def outcome(parse, raw):
    try:
        return parse(raw)
    except PhoneError as error:
        return error.code


written_phones = st.one_of(
    st.from_regex(r"1[0-9]{10}", fullmatch=True),
    st.from_regex(r"(\+86|0086|86)? ?1[3-9][0-9]{2}[ -]?[0-9]{4}[ -]?[0-9]{4}", fullmatch=True),
    st.from_regex(r"(\+86 ?)?\(?0?[1-9][0-9]{1,3}\)?[ -]?[0-9]{7,8}", fullmatch=True),
    st.text(alphabet="0123456789１３８+- ()", max_size=16),
)


@given(written_phones)
def test_parse_phone_agrees_with_phonenumbers_alone(raw):
    assert outcome(parse_phone, raw) == outcome(reference_parse, raw)
