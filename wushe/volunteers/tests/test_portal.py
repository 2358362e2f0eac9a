"""The volunteer's own pages: only their own hours, points, ledger and certificates."""

import io

import pytest
from pypdf import PdfReader

from conftest import make_user
from wushe.accounts.models import Role
from wushe.people.identity import mask_id_number
from wushe.volunteers.models import Certificate
from wushe.volunteers.tests.sample import (
    CHEN_ID,
    WANG_ID,
    served_and_invited,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(nanshan_admin):
    return served_and_invited(nanshan_admin)


def test_a_volunteer_sees_their_own_totals_and_entries_only(client, pair):
    wang, chen = pair
    client.force_login(wang.user)
    home = client.get("/volunteer/")
    body = home.content.decode()
    assert home.status_code == 200
    assert "王的探访" in body and "陈的送餐" not in body and wang.number in body
    assert "20" in body and WANG_ID not in body
    ledger = client.get("/volunteer/ledger/").content.decode()
    assert "王的探访" in ledger and "陈的送餐" not in ledger


def test_a_volunteer_issues_and_downloads_their_own_certificate_only(client, pair):
    wang, chen = pair
    client.force_login(chen.user)
    issued = client.post("/volunteer/certificates/new/")
    assert issued.status_code == 200 and issued["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(issued.content)).pages[0].extract_text()
    assert mask_id_number(CHEN_ID) in text and CHEN_ID not in text
    chens = Certificate.objects.get()
    assert client.get(f"/volunteer/certificates/{chens.pk}.pdf").status_code == 200
    client.force_login(wang.user)
    assert client.get(f"/volunteer/certificates/{chens.pk}.pdf").status_code == 404
    assert client.get("/volunteer/certificates/99999.pdf").status_code == 404
    # And never through the staff pages, even with the other's id.
    assert client.get(f"/volunteers/{chen.pk}/").status_code == 404
    assert client.get(f"/volunteers/{chen.pk}/certificates/{chens.pk}.pdf").status_code == 404


def test_an_account_without_a_record_sees_a_notice_and_no_data(client):
    lone = make_user("lone_volunteer", "440305007003", Role.VOLUNTEER)
    client.force_login(lone)
    assert client.get("/volunteer/").status_code == 200
    assert client.get("/volunteer/ledger/").status_code == 404
    assert client.post("/volunteer/certificates/new/").status_code == 404


def test_staff_cannot_open_the_portal(client, nanshan_admin, pair):
    client.force_login(nanshan_admin)
    for url in ("/volunteer/", "/volunteer/ledger/"):
        assert client.get(url).status_code == 404
    assert client.post("/volunteer/certificates/new/").status_code == 404
