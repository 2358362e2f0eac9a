"""The 村(社区)代码 column: a village of the national tree, in the actor's (and station's) area.

A county holds a few hundred villages and a file names each many times, so each distinct code
is looked up once, in one query per chunk of rows.
"""

from __future__ import annotations

from wushe.accounts.models import User
from wushe.core.tabular import Problem
from wushe.people.identity import FULL_WIDTH_TO_ASCII
from wushe.people.importing import problems as p
from wushe.regions.codes import CODE_LENGTH, Level
from wushe.regions.models import Region, Site

_SHORT_LENGTHS = (2, 4, 6, 9, 12)
_BATCH = 500  # codes per query: SQLite's limit on parameters is 999 in older builds

# What a code turned out to be: the 12-digit code, or the problem and its parameters.
# A blank cell is (None, None, None): the row's own check reported it (village_missing).
Verdict = tuple[str, None, None] | tuple[None, Problem | None, dict[str, object] | None]
_BLANK: Verdict = (None, None, None)


class Villages:
    def __init__(self, actor: User, station: Site | None) -> None:
        self.actor = actor
        self.station = station
        self._verdicts: dict[str, Verdict] = {}

    def resolve(self, texts: set[str]) -> dict[str, Verdict]:
        """Each village cell's verdict: its 12-digit code, or the problem and its parameters."""
        self._resolve(texts - {""})
        verdicts = self._verdicts
        return {text: verdicts[text] if text else _BLANK for text in texts}

    def _resolve(self, texts: set[str]) -> None:
        unknown = texts - self._verdicts.keys()
        if not unknown:
            return
        codes = {text: _code(text) for text in unknown}
        wanted = sorted({code for code in codes.values() if code})
        found = {}
        for start in range(0, len(wanted), _BATCH):
            regions = Region.objects.filter(code__in=wanted[start : start + _BATCH])
            for code, name, level in regions.values_list("code", "name", "level"):
                found[code] = (name, level)
        for text, code in codes.items():
            self._verdicts[text] = self._verdict(text, code, *found.get(code, (None, None)))

    def _verdict(self, text: str, code: str | None, name: str | None, level) -> Verdict:
        shown = text[:20]
        if code is None or name is None:
            return None, p.VILLAGE_UNKNOWN, {"code": shown}
        if level != Level.VILLAGE:
            return None, p.VILLAGE_LEVEL, {"code": shown, "name": name}
        if not self.actor.can_see_code(code):
            region = self.actor.region.name if self.actor.region_id else "-"
            return None, p.VILLAGE_OUTSIDE, {"code": shown, "region": region}
        if self.station is not None and not self.station.region.contains(code):
            return None, p.VILLAGE_OUTSIDE_STATION, {"code": shown, "station": self.station.name}
        return code, None, None


def _code(text: str) -> str | None:
    code = text.translate(FULL_WIDTH_TO_ASCII)
    if not code.isascii() or not code.isdigit() or len(code) not in _SHORT_LENGTHS:
        return None
    return code.ljust(CODE_LENGTH, "0")
