"""Sample social workers for the tests of the workers app and the scope matrix."""

from __future__ import annotations

from datetime import date

from wushe.accounts.models import User
from wushe.people.identity import make_id_number
from wushe.regions.models import Site
from wushe.workers.choices import CertificateLevel
from wushe.workers.models import SocialWorker
from wushe.workers.services import worker_register

JOINED = date(2023, 3, 1)


def worker_id_number(sequence: int) -> str:
    return make_id_number("440305", date(1990, 1, 1), 500 + sequence)


def make_worker(actor: User, site: Site, sequence: int, **fields) -> SocialWorker:
    """A worker at ``site``; certified (assistant level) unless told otherwise."""
    fields.setdefault("name", f"社工{sequence}")
    fields.setdefault("id_number", worker_id_number(sequence))
    fields.setdefault("phone", f"1390013{sequence:04d}")
    fields.setdefault("joined_on", JOINED)
    level = fields.setdefault("certificate_level", CertificateLevel.ASSISTANT)
    if level != CertificateLevel.NONE:
        fields.setdefault("certificate_number", f"Z2020{sequence:05d}")
        fields.setdefault("certificate_year", 2020)
    return worker_register(actor=actor, site=site, **fields)
