"""The import's fast paths give what the per-object paths give: pinyin, tokens, keyed hashes."""

import base64
import multiprocessing
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st
from pypinyin.constants import PHRASES_DICT

from wushe.core.crypto import decrypt, encrypter, lookup_hash, lookup_hasher
from wushe.people.importing.derive import deriver
from wushe.people.importing.names import NameKeys
from wushe.people.services import id_hash_of, name_keys, phone_hash_of

# The common hanzi, some rarer ones, and what else a name cell holds (·, Latin, digits, spaces).
HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
OTHER = st.sampled_from(list("·•-Aa1 （）〇㐀𠀀"))
PHRASES = st.sampled_from(sorted(p for p in PHRASES_DICT if len(p) <= 4))
NAMES = st.lists(st.one_of(HANZI, HANZI, HANZI, OTHER, PHRASES), max_size=6).map("".join)
FAST = NameKeys()


@settings(max_examples=500)
@given(NAMES)
def test_name_keys_at_import_speed_equal_name_keys(name):
    assert FAST(name) == name_keys(name)


def test_names_with_a_phrase_are_read_as_the_phrase():
    # 重庆 is chong qing as a word; read alone, 重 would be zhong.
    assert FAST("重庆人") == name_keys("重庆人") == ("chongqingren", "cqr")
    assert FAST("张三丰") == ("zhangsanfeng", "zsf")


def test_the_bulk_encrypter_makes_tokens_that_decrypt():
    encrypt = encrypter()
    first, second = encrypt("440305194005060137"), encrypt("440305194005060137")
    assert first != second  # a fresh nonce each time
    assert decrypt(first) == decrypt(second) == "440305194005060137"


@given(st.text())
def test_the_bulk_hasher_equals_lookup_hash(value):
    assert lookup_hasher("id_number")(value) == lookup_hash("id_number", value)
    assert lookup_hasher("phone")(value) == lookup_hash("phone", value)


def test_the_bulk_hasher_keeps_kinds_apart():
    assert lookup_hasher("phone")("13812345678") != lookup_hasher("id_number")("13812345678")


def test_derive_gives_what_the_filing_services_compute():
    derived = deriver(date(2026, 1, 1))(("440305400506013", "+86 138-1234-5678", "", "张三丰"))
    (code, id_token, id_hash, born, gender, phone_code, phone, phone_hash, phone_token) = derived[
        :9
    ]
    number = "440305194005060132"
    assert (code, decrypt(id_token), id_hash) == ("", number, id_hash_of(number))
    assert (born, gender) == ("1940-05-06", "male")
    assert (phone_code, phone, decrypt(phone_token)) == ("", "13812345678", "13812345678")
    assert phone_hash == phone_hash_of("13812345678")
    assert derived[9:] == ("", "", "", "zhangsanfeng", "zsf")


def test_derive_reports_codes_not_exceptions():
    derived = deriver(date(2026, 1, 1))(("440305194005060133", "12345", "999", "李"))
    assert (derived[0], derived[2], derived[5], derived[9]) == (
        "id_check_digit",
        "",
        "phone_not_mainland",
        "phone_not_mainland",
    )


def nonce_of(token: str) -> bytes:
    sealed = token.split(".")[2]
    return base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))[:12]


def test_the_bulk_encrypter_never_repeats_a_nonce_across_its_batches():
    encrypt = encrypter()
    tokens = [encrypt(str(n)) for n in range(10_000)]  # more than two batches of nonces

    assert len({nonce_of(token) for token in tokens}) == len(tokens)
    assert [decrypt(token) for token in tokens[::997]] == [str(n) for n in range(0, 10_000, 997)]


def test_a_forked_process_draws_its_own_nonces():
    encrypt = encrypter()
    encrypt("before the fork")  # the parent holds a batch of nonces now
    context = multiprocessing.get_context("fork")
    parent_end, child_end = context.Pipe()
    child = context.Process(target=lambda: child_end.send([encrypt(str(n)) for n in range(50)]))
    child.start()
    from_child = parent_end.recv()
    child.join()
    from_parent = [encrypt(str(n)) for n in range(50)]

    assert not {nonce_of(t) for t in from_child} & {nonce_of(t) for t in from_parent}
    assert [decrypt(token) for token in from_child] == [str(n) for n in range(50)]
