import base64
import hashlib
import hmac
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from wushe.core import crypto
from wushe.core.crypto import (
    DecryptionError,
    decrypt,
    encrypt,
    load_keys,
    lookup_hash,
    parse_field_keys,
    parse_key,
    rotate_token,
)

KEY_A = bytes(range(32))
KEY_B = bytes(range(32, 64))
LOOKUP = bytes(range(64, 96))
ID_NUMBER = "11010519491231002X"


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


@pytest.fixture(autouse=True)
def keys(settings):
    settings.WUSHE_FIELD_KEYS = [("a", KEY_A)]
    settings.WUSHE_LOOKUP_KEY = LOOKUP
    return settings


@pytest.mark.parametrize("text", ["", "13800138000", ID_NUMBER, "糖尿病，需每周复诊", "x" * 5000])
def test_it_round_trips_text(text):
    assert decrypt(encrypt(text)) == text


def test_the_token_is_ascii_names_its_version_and_key_and_hides_the_text():
    token = encrypt(ID_NUMBER)
    assert token.isascii()
    assert token.startswith("v1.a.")
    assert ID_NUMBER not in token


def test_it_gives_a_different_token_each_time():
    tokens = {encrypt(ID_NUMBER) for _ in range(50)}
    assert len(tokens) == 50


def test_it_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        encrypt(13800138000)


def flip_a_payload_character(token: str) -> str:
    middle = len(token) - 20
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


def set_the_unused_bits(token: str) -> str:
    # 46 bytes (ID_NUMBER sealed) end in a base64 character whose last 4 bits are unused.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    return token[:-1] + alphabet[alphabet.index(token[-1]) | 0b1111]


@pytest.mark.parametrize(
    "tamper",
    [
        flip_a_payload_character,
        set_the_unused_bits,  # the same bytes spelt another way
        lambda t: t[:-4],  # truncated
        lambda t: t[:10],  # far too short
        lambda t: "v2" + t[2:],  # unknown version
        lambda t: t.replace("v1.a.", "v1.a.!"),  # not base64
        lambda t: t + "\n",
        lambda t: "",
        lambda t: "13800138000",
        lambda t: None,
    ],
)
def test_a_tampered_or_malformed_token_is_refused(tamper):
    with pytest.raises(DecryptionError):
        decrypt(tamper(encrypt(ID_NUMBER)))


def test_a_decryption_error_is_a_value_error_and_never_shows_the_token():
    token = encrypt(ID_NUMBER)
    with pytest.raises(ValueError) as caught:
        decrypt(flip_a_payload_character(token))
    assert token[5:] not in str(caught.value)


def test_a_token_under_a_different_key_of_the_same_id_is_refused(settings):
    token = encrypt(ID_NUMBER)
    settings.WUSHE_FIELD_KEYS = [("a", KEY_B)]
    with pytest.raises(DecryptionError, match="authentication"):
        decrypt(token)


def test_a_token_under_an_unknown_key_id_is_refused(settings):
    token = encrypt(ID_NUMBER)
    settings.WUSHE_FIELD_KEYS = [("b", KEY_B)]
    with pytest.raises(DecryptionError, match="unknown key id 'a'"):
        decrypt(token)


def test_the_key_id_is_bound_to_the_ciphertext(settings):
    # Even two ids naming the same key bytes cannot swap a token's label.
    settings.WUSHE_FIELD_KEYS = [("a", KEY_A), ("b", KEY_A)]
    token = encrypt(ID_NUMBER)
    with pytest.raises(DecryptionError, match="authentication"):
        decrypt(token.replace("v1.a.", "v1.b.", 1))


def test_rotation_encrypts_under_the_new_key_and_still_reads_the_old(settings):
    old = encrypt(ID_NUMBER)
    settings.WUSHE_FIELD_KEYS = [("b", KEY_B), ("a", KEY_A)]
    assert decrypt(old) == ID_NUMBER
    assert encrypt(ID_NUMBER).startswith("v1.b.")

    rotated = rotate_token(old)
    assert rotated.startswith("v1.b.")
    assert decrypt(rotated) == ID_NUMBER
    assert rotate_token(rotated) == rotated

    settings.WUSHE_FIELD_KEYS = [("b", KEY_B)]
    assert decrypt(rotated) == ID_NUMBER
    with pytest.raises(DecryptionError):
        decrypt(old)


def test_rotation_refuses_a_tampered_token_even_under_the_current_key():
    with pytest.raises(DecryptionError):
        rotate_token(flip_a_payload_character(encrypt(ID_NUMBER)))


def test_misconfigured_keys_at_run_time_stop_with_the_setting_name(settings):
    settings.WUSHE_FIELD_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="WUSHE_FIELD_KEYS"):
        encrypt(ID_NUMBER)
    settings.WUSHE_FIELD_KEYS = [("a", b"short")]
    with pytest.raises(ImproperlyConfigured, match="WUSHE_FIELD_KEYS"):
        encrypt(ID_NUMBER)
    settings.WUSHE_LOOKUP_KEY = b"short"
    with pytest.raises(ImproperlyConfigured, match="WUSHE_LOOKUP_KEY"):
        lookup_hash("phone", "13800138000")


def test_the_lookup_hash_is_hmac_sha256_of_kind_and_value():
    expected = hmac.new(LOOKUP, b"phone\x1f13800138000", hashlib.sha256).hexdigest()
    assert lookup_hash("phone", "13800138000") == expected
    assert lookup_hash("phone", "13800138000") == expected  # deterministic


def test_the_lookup_hash_differs_by_kind_value_and_key(settings):
    first = lookup_hash("id_number", ID_NUMBER)
    assert len(first) == 64 and int(first, 16) >= 0
    assert lookup_hash("phone", ID_NUMBER) != first
    assert lookup_hash("id_number", "110105194912310021") != first
    settings.WUSHE_LOOKUP_KEY = KEY_B
    assert lookup_hash("id_number", ID_NUMBER) != first


@pytest.mark.parametrize("kind", ["", "phone\x1fx"])
def test_the_lookup_hash_kind_must_be_a_plain_name(kind):
    # A separator inside the kind would let ("a\x1fb", "c") collide with ("a", "b\x1fc").
    with pytest.raises(ValueError):
        lookup_hash(kind, "13800138000")


def test_field_keys_parse_ids_and_base64_in_order():
    raw = f" b:{b64(KEY_B)} , a:{base64.urlsafe_b64encode(KEY_A).decode().rstrip('=')}"
    assert parse_field_keys(raw, "WUSHE_FIELD_KEYS") == [("b", KEY_B), ("a", KEY_A)]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "is empty"),
        (" , ", "is empty"),
        (b64(KEY_A), "item 1 must be id:base64key"),
        (f"a.1:{b64(KEY_A)}", "item 1 must be id:base64key"),
        (f":{b64(KEY_A)}", "item 1 must be id:base64key"),
        (f"a:{b64(KEY_A)},a:{b64(KEY_B)}", "key id 'a' appears twice"),
        (f"a:{b64(KEY_A)},b:{b64(KEY_B)[:-8]}", r"key 'b'\) must be 32 bytes"),
        (f"a:{b64(KEY_A)},", "item 2 must be id:base64key"),
        ("a:not base64 at all!", r"key 'a'\) is not valid base64"),
        (f"a:{b64(KEY_A + b'x')}", "must be 32 bytes"),
    ],
)
def test_field_keys_are_parsed_strictly(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        parse_field_keys(raw, "WUSHE_FIELD_KEYS")
    assert str(caught.value).startswith("WUSHE_FIELD_KEYS")
    assert b64(KEY_A) not in str(caught.value)  # never echo a secret


@pytest.mark.parametrize("raw", ["", "%%%%", b64(KEY_A[:16]), b64(KEY_A) + "AAAA"])
def test_a_lookup_key_is_parsed_strictly(raw):
    with pytest.raises(ImproperlyConfigured, match="WUSHE_LOOKUP_KEY"):
        parse_key(raw, "WUSHE_LOOKUP_KEY")


def test_keys_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("WUSHE_FIELD_KEYS", f"new:{b64(KEY_B)},old:{b64(KEY_A)}")
    monkeypatch.setenv("WUSHE_LOOKUP_KEY", b64(LOOKUP))
    assert load_keys(tmp_path) == ([("new", KEY_B), ("old", KEY_A)], LOOKUP)
    assert list(tmp_path.iterdir()) == []


def test_a_bad_environment_key_stops_with_its_name(monkeypatch, tmp_path):
    monkeypatch.setenv("WUSHE_FIELD_KEYS", f"a:{b64(KEY_A)}")
    monkeypatch.setenv("WUSHE_LOOKUP_KEY", "c2hvcnQ=")
    with pytest.raises(ImproperlyConfigured, match="WUSHE_LOOKUP_KEY"):
        load_keys(tmp_path)
    monkeypatch.setenv("WUSHE_FIELD_KEYS", "")  # e.g. an unfilled ${VAR} in a compose file
    with pytest.raises(ImproperlyConfigured, match="WUSHE_FIELD_KEYS is empty"):
        load_keys(tmp_path)


def test_the_lookup_key_must_differ_from_the_field_keys(monkeypatch, tmp_path):
    monkeypatch.setenv("WUSHE_FIELD_KEYS", f"a:{b64(KEY_A)}")
    monkeypatch.setenv("WUSHE_LOOKUP_KEY", b64(KEY_A))
    with pytest.raises(ImproperlyConfigured, match="must differ"):
        load_keys(tmp_path)


def test_without_the_environment_keys_are_generated_once_into_private_files(monkeypatch, tmp_path):
    monkeypatch.delenv("WUSHE_FIELD_KEYS", raising=False)
    monkeypatch.delenv("WUSHE_LOOKUP_KEY", raising=False)
    data_dir = tmp_path / "data"
    field_keys, lookup_key = load_keys(data_dir)

    assert [key_id for key_id, _ in field_keys] == ["k1"]
    assert len(field_keys[0][1]) == 32 and len(lookup_key) == 32
    assert field_keys[0][1] != lookup_key
    names = sorted(path.name for path in data_dir.iterdir())
    assert names == [".wushe-field-key", ".wushe-lookup-key"]  # no scratch files left
    for name in names:
        assert stat.S_IMODE(os.stat(data_dir / name).st_mode) == 0o600
    assert load_keys(data_dir) == (field_keys, lookup_key)
    # The file holds what the variable would, so a deployment can move it into the environment.
    line = (data_dir / ".wushe-field-key").read_text().strip()
    assert parse_field_keys(line, "WUSHE_FIELD_KEYS") == field_keys


def test_a_damaged_key_file_stops_with_its_path(monkeypatch, tmp_path):
    monkeypatch.delenv("WUSHE_FIELD_KEYS", raising=False)
    monkeypatch.delenv("WUSHE_LOOKUP_KEY", raising=False)
    (tmp_path / ".wushe-field-key").write_text("k1:truncated\n")
    with pytest.raises(ImproperlyConfigured, match=".wushe-field-key"):
        load_keys(tmp_path)


def test_a_key_file_written_by_another_process_first_is_kept(monkeypatch, tmp_path):
    path = tmp_path / ".wushe-lookup-key"
    path.write_text("theirs\n")
    exists = crypto.Path.exists
    # As if the other process linked its file between our check and our link.
    monkeypatch.setattr(crypto.Path, "exists", lambda self: self != path and exists(self))
    assert crypto._read_or_create(path, lambda: "ours") == "theirs\n"
    assert [p.name for p in tmp_path.iterdir()] == [".wushe-lookup-key"]
