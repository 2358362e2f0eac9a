"""ID numbers (GB 11643-1999): parsing, normalisation, the check digit, every error code."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from wushe.people.identity import (
    FEMALE,
    ID_ERRORS,
    MALE,
    PROVINCE_CODES,
    IdNumber,
    IdNumberError,
    IdNumberReader,
    check_digit,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    parse_id_number,
)

TODAY = date(2025, 6, 15)
OLDEST = date(1895, 6, 15)  # exactly 130 years before TODAY
GB_EXAMPLE = "11010519491231002X"  # GB 11643-1999's own example: 北京市朝阳区, a woman
GB_EXAMPLE_1880 = "440524188001010014"  # the standard's second one: 汕头市潮阳县, a man

DATE_CODES = {"id_date", "id_future", "id_too_old"}
FULL_WIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789Xx"}


@st.composite
def id_parts(draw, min_date: date = OLDEST, max_date: date = TODAY):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    county = draw(st.integers(0, 9999))
    born = draw(st.dates(min_value=min_date, max_value=max_date))
    sequence = draw(st.integers(0, 999))
    return f"{province}{county:04d}", born, sequence


@st.composite
def valid_numbers(draw) -> str:
    return make_id_number(*draw(id_parts()))


@st.composite
def as_typed(draw, number: str) -> str:
    """The number as a person might type or paste it: widths, case and spaces vary."""
    pieces = []
    for char in number:
        if char == "X":
            char = draw(st.sampled_from(["X", "x", FULL_WIDTH["X"], FULL_WIDTH["x"]]))
        elif draw(st.booleans()):
            char = FULL_WIDTH[char]
        pieces.append(draw(st.sampled_from(["", "", " ", "\u3000", "\t", "\xa0", "\u200b"])))
        pieces.append(char)
    pieces.append(draw(st.sampled_from(["", " ", "\u3000\n"])))
    return "".join(pieces)


def error_code(raw: str, today: date = TODAY) -> str:
    with pytest.raises(IdNumberError) as caught:
        parse_id_number(raw, today=today)
    return caught.value.code


@given(id_parts())
def test_it_parses_any_well_formed_number(parts):
    region, born, sequence = parts
    number = make_id_number(region, born, sequence)

    parsed = parse_id_number(number, today=TODAY)

    assert parsed == IdNumber(
        number=number,
        birth_date=born,
        gender=MALE if sequence % 2 else FEMALE,
        region_prefix=region,
        legacy=False,
    )
    assert is_valid_id_number(number, today=TODAY)


@given(st.data())
def test_it_reads_a_number_however_it_is_typed(data):
    number = data.draw(valid_numbers())
    typed = data.draw(as_typed(number))

    assert normalize_id_number(typed) == number
    assert parse_id_number(typed, today=TODAY).number == number


@given(valid_numbers(), st.integers(0, 17), st.sampled_from("0123456789X"))
def test_it_detects_any_single_changed_character(number, position, replacement):
    if replacement == number[position] or (replacement == "X" and position < 17):
        replacement = str((int(number[position].replace("X", "0")) + 1) % 10)
    changed = number[:position] + replacement + number[position + 1 :]

    code = error_code(changed)

    # A change the region or date checks see is reported as such; everything else,
    # including a changed date that is still real, is caught by the check digit.
    if code == "id_region":
        assert position < 2
    elif code in DATE_CODES:
        assert 6 <= position < 14
    else:
        assert code == "id_check_digit"


@given(valid_numbers(), st.integers(0, 16))
def test_the_check_digit_catches_every_swap_of_neighbours(number, position):
    digits = list(number[:17])
    if position == 16:  # swap the last digit with the check character
        swapped = number[:16] + number[17] + number[16]
        if number[16] != number[17]:
            assert error_code(swapped) in {"id_characters", "id_check_digit"}
        return
    digits[position], digits[position + 1] = digits[position + 1], digits[position]
    first17 = "".join(digits)
    if first17 != number[:17]:
        assert check_digit(first17) != number[17]


@given(id_parts(min_date=date(1900, 1, 1), max_date=date(1999, 12, 31)))
def test_it_converts_a_legacy_number_to_the_same_person_s_18_characters(parts):
    region, born, sequence = parts
    number = make_id_number(region, born, sequence)
    legacy = f"{region}{born:%y%m%d}{sequence:03d}"

    parsed = parse_id_number(legacy, today=TODAY)

    assert parsed.number == number
    assert parsed.legacy is True
    assert parsed.birth_date == born
    assert parsed.gender == parse_id_number(number, today=TODAY).gender


def test_it_computes_the_standard_s_example_check_digit():
    # 1·7 + 1·9 + 0·10 + 1·5 + 0·8 + 5·4 + 1·2 + 9·1 + 4·6 + 9·3 + 1·7 + 2·9 + 3·10 + 1·5
    # + 0·8 + 0·4 + 2·2 = 167; 167 mod 11 = 2; "10X98765432"[2] = "X".
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


def test_it_reads_the_standard_s_examples():
    woman = parse_id_number(GB_EXAMPLE, today=TODAY)
    man = parse_id_number(GB_EXAMPLE_1880, today=date(1999, 10, 1))

    assert (woman.birth_date, woman.gender, woman.region_prefix) == (
        date(1949, 12, 31),
        FEMALE,
        "110105",
    )
    assert (man.birth_date, man.gender, man.region_prefix) == (date(1880, 1, 1), MALE, "440524")


def test_it_converts_the_standard_s_example_from_its_15_digit_form():
    parsed = parse_id_number("110105491231002", today=TODAY)

    assert parsed.number == GB_EXAMPLE
    assert parsed.legacy is True


def test_it_accepts_lower_case_x_full_width_and_ideographic_spaces():
    assert (
        parse_id_number("１１０１０５　１９４９１２３１　００２ｘ", today=TODAY).number
        == GB_EXAMPLE
    )
    assert parse_id_number(" 11010519491231002x\n", today=TODAY).number == GB_EXAMPLE


def _with_date(yyyymmdd: str) -> str:
    first17 = "110105" + yyyymmdd + "001"
    return first17 + check_digit(first17)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_empty"),
        (" \u3000\t", "id_empty"),
        (None, "id_empty"),
        ("1101051949123100", "id_length"),
        ("11010519491231002X1", "id_length"),
        ("11010519491231002Y", "id_characters"),
        ("1101051949123100X2", "id_characters"),
        ("11010549123100X", "id_characters"),
        ("110105-19491231002", "id_characters"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "id_characters"),  # Arabic-Indic digits
        (make_id_number("990105", date(1990, 1, 1), 1), "id_region"),
        (make_id_number("001234", date(1990, 1, 1), 1), "id_region"),
        (make_id_number("911840", date(1990, 1, 1), 1), "id_region"),  # foreigners' card
        ("990105491231002", "id_region"),
        (_with_date("19900230"), "id_date"),
        (_with_date("19901301"), "id_date"),
        (_with_date("19900100"), "id_date"),
        (_with_date("00000101"), "id_date"),
        ("110105900230001", "id_date"),
        (make_id_number("110105", TODAY + timedelta(days=1), 1), "id_future"),
        (make_id_number("110105", OLDEST - timedelta(days=1), 1), "id_too_old"),
        (GB_EXAMPLE_1880, "id_too_old"),
        ("110105194912310021", "id_check_digit"),
        ("110105194912310020", "id_check_digit"),
    ],
)
def test_it_names_each_fault_with_its_code(raw, code):
    assert error_code(raw) == code


@pytest.mark.parametrize("code", sorted(ID_ERRORS))
def test_each_error_is_a_value_error_with_an_english_message_free_of_the_input(code):
    error = IdNumberError(code, ID_ERRORS[code])

    with translation.override("en"):
        text = str(error)
        expected = str(ID_ERRORS[code])

    assert isinstance(error, ValueError)
    assert text == expected and text.endswith(".")
    assert pickle.loads(pickle.dumps(error)).code == code


def test_an_error_does_not_repeat_the_number():
    with pytest.raises(IdNumberError) as caught:
        parse_id_number("110105194912310021", today=TODAY)

    assert "110105" not in str(caught.value) and "0021" not in repr(caught.value.message)


def test_a_parsed_number_s_repr_is_masked():
    parsed = parse_id_number(GB_EXAMPLE, today=TODAY)

    assert repr(parsed) == "IdNumber(110105********002X, legacy=False)"
    assert "1949" not in repr(parsed)


def test_an_error_becomes_a_django_validation_error_with_its_code():
    with pytest.raises(IdNumberError) as caught:
        parse_id_number("110105194912310021", today=TODAY)

    converted = caught.value.as_validation_error()

    assert isinstance(converted, ValidationError)
    assert converted.code == "id_check_digit"
    assert converted.messages == [str(ID_ERRORS["id_check_digit"])]


def test_it_accepts_the_oldest_and_youngest_possible_birth_dates():
    assert parse_id_number(make_id_number("110105", OLDEST, 1), today=TODAY)
    assert parse_id_number(make_id_number("110105", TODAY, 1), today=TODAY)


def test_on_29_february_it_counts_130_years_back_to_28_february():
    leap_day = date(2024, 2, 29)

    assert parse_id_number(make_id_number("110105", date(1894, 2, 28), 1), today=leap_day)
    assert error_code(make_id_number("110105", date(1894, 2, 27), 1), leap_day) == "id_too_old"


def test_without_today_it_uses_the_local_date():
    tomorrow = timezone.localdate() + timedelta(days=1)

    with pytest.raises(IdNumberError) as caught:
        parse_id_number(make_id_number("110105", tomorrow, 1))

    assert caught.value.code == "id_future"
    assert parse_id_number(make_id_number("110105", timezone.localdate(), 1))


@pytest.mark.parametrize("prefix", ["71", "81", "82", "83"])
def test_it_accepts_taiwan_hong_kong_and_macao_prefixes_and_residence_permits(prefix):
    assert is_valid_id_number(make_id_number(prefix + "0000", date(1990, 5, 17), 23), today=TODAY)


def test_it_tells_the_age_in_completed_years():
    parsed = parse_id_number(GB_EXAMPLE, today=TODAY)

    assert parsed.age_on(date(2029, 12, 30)) == 79
    assert parsed.age_on(date(2029, 12, 31)) == 80


def test_is_valid_answers_false_for_a_bad_number():
    assert is_valid_id_number(GB_EXAMPLE, today=TODAY) is True
    assert is_valid_id_number("110105194912310021", today=TODAY) is False


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("110105", date(1949, 12, 31), 2), GB_EXAMPLE),
        (("110105", date(1949, 12, 31), "002"), GB_EXAMPLE),
    ],
)
def test_make_id_number_builds_the_standard_s_example(args, expected):
    assert make_id_number(*args) == expected


@pytest.mark.parametrize(
    "args",
    [
        ("11010", date(1990, 1, 1), 1),
        ("11010a", date(1990, 1, 1), 1),
        ("110105", date(1990, 1, 1), 1000),
    ],
)
def test_make_id_number_refuses_bad_parts(args):
    with pytest.raises(ValueError):
        make_id_number(*args)


@pytest.mark.parametrize(
    "first17", ["1101051949123100", "1101051949123100X", "１１０１０５１９４９１２３１００２"]
)
def test_check_digit_needs_17_ascii_digits(first17):
    with pytest.raises(ValueError):
        check_digit(first17)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("110101199003071234", "110101********1234"),
        (GB_EXAMPLE, "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("1234567890", "**********"),
        ("", ""),
    ],
)
def test_it_masks_all_but_the_region_and_the_last_four(number, masked):
    assert mask_id_number(number) == masked


@given(valid_numbers())
def test_a_mask_shows_only_the_region_and_the_last_four(number):
    masked = mask_id_number(number)

    assert len(masked) == 18 and masked[6:14] == "*" * 8
    assert masked[:6] + masked[14:] == number[:6] + number[14:]


# IdNumberReader, the import's fast path, against parse_id_number itself.

READER = IdNumberReader(TODAY)  # shared by the examples, so its memo of dates is exercised


def outcome(parse, raw):
    try:
        return parse(raw)
    except IdNumberError as error:
        return error.code


def by_parse_id_number(raw):
    identity = parse_id_number(raw, today=TODAY)
    return identity.number, identity.birth_date, identity.gender


@st.composite
def near_numbers(draw) -> str:
    """A valid number, or one with a character changed (dates, check digits, regions break)."""
    number = draw(valid_numbers())
    if draw(st.booleans()):
        position = draw(st.integers(0, 17))
        replacement = draw(st.sampled_from("0123456789Xx９ "))
        number = number[:position] + replacement + number[position + 1 :]
    return number


id_texts = st.one_of(
    valid_numbers(),
    near_numbers(),
    valid_numbers().flatmap(as_typed),
    st.from_regex(
        r"[1-8][0-9]{5}(18|19|20|21)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx]", fullmatch=True
    ),
    st.from_regex(r"[0-9]{15}", fullmatch=True),
    st.text(alphabet="0123456789Xx ", max_size=20),
)


@given(id_texts)
def test_the_reader_agrees_with_parse_id_number(raw):
    assert outcome(READER, raw) == outcome(by_parse_id_number, raw)


def test_a_reader_still_checks_the_check_digit_of_a_date_it_knows():
    reader = IdNumberReader(TODAY)
    good = make_id_number("440305", date(1990, 3, 1), 123)
    wrong = good[:17] + ("0" if good[17] != "0" else "1")

    assert reader(good) == (good, date(1990, 3, 1), MALE)
    assert outcome(reader, wrong) == "id_check_digit"
    assert outcome(reader, good[:16] + "4" + good[17]) == "id_check_digit"
