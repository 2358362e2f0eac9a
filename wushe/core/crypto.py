"""Encryption of personal fields at rest, and keyed hashes to find them again.

A personal field (ID number, phone, health notes, ...) is stored as a token
``v1.<key id>.<urlsafe base64 of nonce + ciphertext>``: AES-256-GCM with a random 96-bit nonce,
the version and key id bound in as associated data, so a token cannot be relabelled to another
key without failing authentication. Ciphertext cannot be searched, so an exact lookup or a
de-duplication compares ``lookup_hash(kind, normalised value)`` instead: HMAC-SHA256 under a
separate key, the kind keeping an ID number's hash apart from a phone's.

Keys (settings.WUSHE_FIELD_KEYS, settings.WUSHE_LOOKUP_KEY) come from the environment, or from
files generated once beside the data; never from the repository or the database, so a dump of
the database alone reveals nothing. The first field key encrypts and every listed key decrypts,
which lets keys rotate: put a new key first, re-encrypt with ``rotate_token``, then drop the old.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12  # random, so a key should encrypt well under 2**32 values before rotation
FIELD_KEYS_VAR = "WUSHE_FIELD_KEYS"
LOOKUP_KEY_VAR = "WUSHE_LOOKUP_KEY"
FIELD_KEY_FILE = ".wushe-field-key"
LOOKUP_KEY_FILE = ".wushe-lookup-key"

# A key id sits between dots in a token and before a colon in WUSHE_FIELD_KEYS.
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
_TOKEN = re.compile(r"v1\.([A-Za-z0-9_-]{1,32})\.([A-Za-z0-9_-]+)")
_SEPARATOR = "\x1f"  # ASCII unit separator between a lookup hash's kind and value
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_NONCE_BATCH = 4096  # nonces read from the OS at once by an encrypter()


class DecryptionError(ValueError):
    """A token that is malformed, names an unknown key, or fails authentication."""


# --- encryption -------------------------------------------------------------------------------


def encrypt(plaintext: str) -> str:
    """Encrypt under the current (first) field key; each call gives a different token."""
    if not isinstance(plaintext, str):
        raise TypeError(f"encrypt() takes a str, not {type(plaintext).__name__}")
    key_id, cipher = _keyring(_field_keys_setting()).current
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, plaintext.encode(), _associated_data(key_id))
    return f"{VERSION}.{key_id}.{_b64encode(nonce + sealed)}"


def decrypt(token: str) -> str:
    """The plaintext of a token made by ``encrypt`` under any configured field key."""
    key_id, sealed = _split(token)
    cipher = _keyring(_field_keys_setting()).by_id.get(key_id)
    if cipher is None:
        raise DecryptionError(f"token encrypted under unknown key id {key_id!r}")
    try:
        plain = cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _associated_data(key_id))
        return plain.decode()
    except (InvalidTag, UnicodeDecodeError):
        raise DecryptionError("token failed authentication (tampered, or a wrong key)") from None


def rotate_token(token: str) -> str:
    """The token re-encrypted under the current key; unchanged (but verified) if already so."""
    key_id, _ = _split(token)
    plaintext = decrypt(token)
    if key_id == _keyring(_field_keys_setting()).current[0]:
        return token
    return encrypt(plaintext)


def encrypter() -> Callable[[str], str]:
    """``encrypt`` with the current key resolved once, for writers of many values (the import).

    The tokens are made as ``encrypt`` makes them; only the per-call lookup of the key ring
    (a third of ``encrypt``'s time) is done once, and the random nonces are read from the OS
    a few thousand at a time rather than one system call each. A process forked while holding
    such a batch would share its nonces with its parent (and GCM must never reuse one under a
    key), so a batch is used only by the process that read it (``_FORKS``).
    """
    key_id, cipher = _keyring(_field_keys_setting()).current
    prefix = f"{VERSION}.{key_id}."
    associated = _associated_data(key_id)
    urandom, seal, b2a = os.urandom, cipher.encrypt, binascii.b2a_base64
    size = _NONCE_BATCH * NONCE_BYTES
    batch, at, forks = b"", size, -1  # the nonces, the next one's offset, _FORKS when read

    def encrypt_one(plaintext: str) -> str:
        nonlocal batch, at, forks
        if at == size or forks != _FORKS:
            batch, at, forks = urandom(size), 0, _FORKS
        nonce = batch[at : at + NONCE_BYTES]
        at += NONCE_BYTES
        sealed = nonce + seal(nonce, plaintext.encode(), associated)
        return prefix + b2a(sealed, newline=False).translate(_URLSAFE).rstrip(b"=").decode()

    return encrypt_one


# How many times this process has been forked into (0 in the original): a child's encrypter()
# reads fresh nonces instead of its parent's batch.
_FORKS = 0


def _count_fork() -> None:
    global _FORKS
    _FORKS += 1


os.register_at_fork(after_in_child=_count_fork)


def _associated_data(key_id: str) -> bytes:
    return f"{VERSION}.{key_id}".encode()


def _split(token: str) -> tuple[str, bytes]:
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        raise DecryptionError(f"not a {VERSION} token")
    try:
        sealed = base64.urlsafe_b64decode(match[2] + "=" * (-len(match[2]) % 4))
    except binascii.Error:
        raise DecryptionError(f"not a {VERSION} token") from None
    if _b64encode(sealed) != match[2]:  # one spelling per token: no unused bits set
        raise DecryptionError(f"not a {VERSION} token")
    if len(sealed) < NONCE_BYTES + 16:  # nonce and GCM tag at least
        raise DecryptionError("token too short")
    return match[1], sealed


def _b64encode(data: bytes) -> str:
    # base64.urlsafe_b64encode's own steps, without its two layers of Python calls.
    return binascii.b2a_base64(data, newline=False).translate(_URLSAFE).rstrip(b"=").decode()


# --- keyed hashes -----------------------------------------------------------------------------


def lookup_hash(kind: str, value: str) -> str:
    """Hex HMAC-SHA256 of ``kind``, a separator and ``value``; the caller normalises ``value``."""
    if not isinstance(kind, str) or not isinstance(value, str):
        raise TypeError("lookup_hash() takes str kind and value")
    if not kind or _SEPARATOR in kind:
        raise ValueError("lookup_hash() kind must be a non-empty name without \\x1f")
    mac = _lookup_mac(settings.WUSHE_LOOKUP_KEY).copy()
    mac.update(f"{kind}{_SEPARATOR}{value}".encode())
    return mac.hexdigest()


def lookup_hasher(kind: str) -> Callable[[str], str]:
    """``lookup_hash`` for one ``kind``, the key and the kind's prefix resolved once."""
    if not isinstance(kind, str) or not kind or _SEPARATOR in kind:
        raise ValueError("lookup_hasher() kind must be a non-empty name without \\x1f")
    key = settings.WUSHE_LOOKUP_KEY
    _lookup_mac(key)  # checks the key
    # HMAC as RFC 2104 defines it, H(K ^ opad, H(K ^ ipad, message)), with both keyed states
    # and the kind prefix hashed once: half the time of copying an hmac.HMAC object.
    block = hashlib.sha256().block_size
    padded = key.ljust(block, b"\0")  # KEY_BYTES < block size: no pre-hashing
    inner = hashlib.sha256(bytes(byte ^ 0x36 for byte in padded))
    inner.update(f"{kind}{_SEPARATOR}".encode())
    outer = hashlib.sha256(bytes(byte ^ 0x5C for byte in padded))
    inner_copy, outer_copy = inner.copy, outer.copy

    def hash_one(value: str) -> str:
        state = inner_copy()
        state.update(value.encode())
        result = outer_copy()
        result.update(state.digest())
        return result.hexdigest()

    return hash_one


@functools.lru_cache(maxsize=4)
def _lookup_mac(key: bytes) -> hmac.HMAC:
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{LOOKUP_KEY_VAR} must be {KEY_BYTES} bytes")
    return hmac.new(key, digestmod=hashlib.sha256)


# --- the configured keys ----------------------------------------------------------------------


class _Keyring:
    def __init__(self, keys: tuple[tuple[str, bytes], ...]) -> None:
        if not keys:
            raise ImproperlyConfigured(f"{FIELD_KEYS_VAR} holds no key")
        for key_id, key in keys:
            if not _KEY_ID.fullmatch(key_id) or not isinstance(key, bytes) or len(key) != KEY_BYTES:
                raise ImproperlyConfigured(
                    f"{FIELD_KEYS_VAR}: each key is (id of A-Z a-z 0-9 _ -, {KEY_BYTES} bytes)"
                )
        self.by_id = {key_id: AESGCM(key) for key_id, key in keys}
        self.current = (keys[0][0], self.by_id[keys[0][0]])


def _field_keys_setting() -> tuple[tuple[str, bytes], ...]:
    return tuple((key_id, key) for key_id, key in settings.WUSHE_FIELD_KEYS)


@functools.lru_cache(maxsize=4)
def _keyring(keys: tuple[tuple[str, bytes], ...]) -> _Keyring:
    return _Keyring(keys)


# --- reading keys from the environment or the data directory (used by settings.py) ------------


def load_keys(data_dir: Path) -> tuple[list[tuple[str, bytes]], bytes]:
    """(WUSHE_FIELD_KEYS, WUSHE_LOOKUP_KEY) from the environment, else from key files in
    ``data_dir`` generated on first use (mode 0600), as the secret key is."""
    raw = os.environ.get(FIELD_KEYS_VAR)
    if raw is not None:
        field_keys = parse_field_keys(raw, FIELD_KEYS_VAR)
    else:
        path = data_dir / FIELD_KEY_FILE
        field_keys = parse_field_keys(_read_or_create(path, _new_field_key_line), str(path))
    raw = os.environ.get(LOOKUP_KEY_VAR)
    if raw is not None:
        lookup_key = parse_key(raw, LOOKUP_KEY_VAR)
    else:
        path = data_dir / LOOKUP_KEY_FILE
        lookup_key = parse_key(_read_or_create(path, _new_key_text), str(path))
    if any(key == lookup_key for _, key in field_keys):
        raise ImproperlyConfigured(f"{LOOKUP_KEY_VAR} must differ from every {FIELD_KEYS_VAR} key")
    return field_keys, lookup_key


def parse_field_keys(raw: str, name: str) -> list[tuple[str, bytes]]:
    """Comma-separated ``id:base64key`` items, the first the current key. Errors name ``name``
    and the item, never the key."""
    items = [item.strip() for item in raw.split(",")]
    if not any(items):
        raise ImproperlyConfigured(f"{name} is empty: give at least one id:base64key")
    keys: list[tuple[str, bytes]] = []
    for number, item in enumerate(items, start=1):
        key_id, colon, encoded = item.partition(":")
        key_id = key_id.strip()
        if not colon or not _KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"{name}: item {number} must be id:base64key, the id of 1-32 letters, "
                "digits, _ or -"
            )
        if any(key_id == seen for seen, _ in keys):
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} appears twice")
        keys.append((key_id, parse_key(encoded, f"{name} (key {key_id!r})")))
    return keys


def parse_key(raw: str, name: str) -> bytes:
    """A 32-byte key written in base64 (standard or URL-safe alphabet, padding optional)."""
    text = raw.strip().replace("-", "+").replace("_", "/")
    try:
        key = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{name} is not valid base64") from None
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(
            f"{name} must be {KEY_BYTES} bytes (44 base64 characters), not {len(key)}"
        )
    return key


def _new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _new_field_key_line() -> str:
    return f"k1:{_new_key_text()}"


def _read_or_create(path: Path, make: Callable[[], str]) -> str:
    """The file's text; on first use written whole and private, then linked into place, so
    processes starting together all end up with the one key that won (never two keys)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.name}.{secrets.token_hex(8)}.tmp")
        fd = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as file:
                file.write(make() + "\n")
            try:
                os.link(scratch, path)
            except FileExistsError:
                pass  # another process was first; use its key
        finally:
            scratch.unlink()
    return path.read_text()
