"""The hash chain over audit entries: how an entry is hashed, and how the chain is checked."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "region_code",
    "ip",
    "changes",
    "success",
)


def entry_digest(entry, prev_hash: str) -> str:
    values = {name: getattr(entry, name) for name in HASHED_FIELDS}
    values["at"] = entry.at.isoformat(timespec="microseconds")
    values["prev_hash"] = prev_hash
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class ChainReport:
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem


def verify_chain(entries, head) -> ChainReport:
    """Walk entries in sequence order; name the first one altered, removed or out of place."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainReport(
                checked, expected_seq, f"entry #{expected_seq} is missing (next is #{entry.seq})"
            )
        if entry.prev_hash != prev_hash:
            return ChainReport(
                checked, entry.seq, f"entry #{entry.seq} does not follow the entry before it"
            )
        if entry_digest(entry, prev_hash) != entry.entry_hash:
            return ChainReport(checked, entry.seq, f"entry #{entry.seq} was altered")
        prev_hash = entry.entry_hash
        expected_seq += 1
        checked += 1
    if head is not None and (head.seq != checked or head.entry_hash != prev_hash):
        return ChainReport(
            checked,
            checked + 1 if head.seq > checked else None,
            f"the chain ends at #{checked} but its head records #{head.seq}: "
            "the newest entries were removed or the head was altered",
        )
    return ChainReport(checked)
