"""``services.name_keys`` (pinyin and initials for search) at import speed, with the same result.

``pypinyin.lazy_pinyin`` takes about 15 µs a call and ``name_keys`` calls it twice, which alone
would hold a million-row import to 35,000 rows/s. Most of that time is segmentation: pypinyin
cuts the text into the longest words of its phrase dictionary (so 重庆 reads chong qing, not
zhong qing) and reads every other character alone. When no run of two or more characters of a
name is such a word, every character is read alone, and the result is the concatenation of each
character's own reading, which is memoised here. Any name that contains a phrase, or is long,
goes to ``name_keys`` itself. The tests compare the two on random names and characters.
"""

from __future__ import annotations

from pypinyin.constants import PHRASES_DICT

from wushe.people.services import name_keys

# Beyond this the quadratic phrase check costs more than it saves; names are rarely this long.
_LONGEST = 8


class NameKeys:
    """A callable equal to ``name_keys``; keep one per import (its memo grows with the file)."""

    def __init__(self) -> None:
        self._characters: dict[str, tuple[str, str]] = {}

    def __call__(self, name: str) -> tuple[str, str]:
        length = len(name)
        if length > _LONGEST or _has_phrase(name, length):
            return name_keys(name)
        characters = self._characters
        syllables, initials = [], []
        for character in name:
            keys = characters.get(character)
            if keys is None:
                keys = characters[character] = name_keys(character)
            syllables.append(keys[0])
            initials.append(keys[1])
        return "".join(syllables).lower(), "".join(initials).lower()


def _has_phrase(name: str, length: int) -> bool:
    phrases = PHRASES_DICT
    for start in range(length - 1):
        for end in range(start + 2, length + 1):
            if name[start:end] in phrases:
                return True
    return False
