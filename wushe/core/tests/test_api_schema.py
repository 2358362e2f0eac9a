"""The OpenAPI schema is valid and complete, the docs page works offline, and schemathesis,
generating requests from that schema, gets no 5xx from any endpoint."""

import os

import hypothesis
import pytest
import schemathesis
from django.contrib.staticfiles import finders
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode

from conftest import FUTIAN_TOWNSHIP, NANSHAN, SHEKOU, YUEHAI, YUEHAI_VILLAGE
from wushe.audit.services import audit_view
from wushe.casework.tests.examples import casework_examples
from wushe.charity.tests.examples import charity_examples
from wushe.core.tests.api_client import token_client
from wushe.groups.tests.sample import make_activity, make_group
from wushe.imports.tests.sample import make_job
from wushe.indicators.tests.sample import indicator_examples
from wushe.matching.tests.examples import matching_examples
from wushe.organisations.tests.examples import five_forces_examples
from wushe.people.tests.filing import file_zhang
from wushe.referrals.tests.sample import make_referral, make_transfer
from wushe.volunteers.tests.examples import volunteer_examples
from wushe.wsgi import application

pytestmark = pytest.mark.django_db


def test_the_schema_generator_has_no_warnings_and_the_schema_validates(tmp_path):
    # --fail-on-warn turns every generator warning (unresolvable type, name clash…) into a
    # failure; --validate checks the document against the OpenAPI 3 specification.
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))
    assert "/api/sites/{id}/" in (tmp_path / "s.yml").read_text()


def test_the_schema_is_served_without_login(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/regions/{code}/children/", "/api/coverage/", "/api/me/"} <= set(schema["paths"])
    assert "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_docs_page_uses_the_bundled_swagger_ui(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert 'src="http' not in page and 'href="http' not in page  # nothing from the internet
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    bundle = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert bundle.status_code == 200


def test_an_unknown_api_path_is_a_json_404(client, nanshan_admin):
    client.force_login(nanshan_admin)
    for path in ("/api/no/such/thing/", "/api/x%0Ay", "/api/sites/1.%0A5/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json() == {"detail": "未找到。"}
    assert client.post("/api/no/such/thing/").status_code == 404  # not a CSRF page
    assert client.get("/api/sites").status_code == 301


def test_options_and_head_answer_every_endpoint(nanshan_admin, yuehai_station, futian_station):
    client = token_client(nanshan_admin)
    for url in (
        "/api/sites/",
        f"/api/sites/{yuehai_station.pk}/",
        f"/api/sites/{futian_station.pk}/",
        "/api/regions/440305/children/",
        "/api/users/",
        "/api/audit/",
        "/api/coverage/",
        "/api/me/",
        "/api/auth/token/",
    ):
        assert client.options(url).status_code in (200, 404), url
        assert client.head(url).status_code in (200, 404, 405), url


@pytest.fixture
def wsgi_app():
    """The real WSGI application, kept inside the test's transaction: like Django's test
    client, stop it closing the database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(nanshan_admin) -> dict[str, str]:
    token, _created = Token.objects.get_or_create(user=nanshan_admin)
    return {"Authorization": f"Token {token.key}"}


# schemathesis 4's pytest plugin does not run under pytest 9 (it reads a removed pytest
# attribute), so its Python API drives the generation here. Each operation gets requests that
# fit the schema, requests that break it, and - so that writes reach the services instead of
# stopping at "no such region" - fitting requests that name real objects of the county.
# Per operation and kind; WUSHE_FUZZ_EXAMPLES=200 for a longer hunt than the suite can afford.
EXAMPLES = int(os.environ.get("WUSHE_FUZZ_EXAMPLES", "12"))
REAL_REGIONS = [NANSHAN, "440305", YUEHAI, SHEKOU, "440305005", YUEHAI_VILLAGE, FUTIAN_TOWNSHIP]
# Files an endpoint may answer with instead of JSON (the monthly report as Excel or PDF).
DOWNLOADS = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/pdf")


def _point_at_real_objects(case, region: str, staff: list[int]):
    if isinstance(case.body, dict):
        if "region" in case.body:
            case.body["region"] = region
        if "staff" in case.body:
            case.body["staff"] = staff
    return case


def strategies(operation, real: dict[str, object]) -> dict:
    found = {
        "fitting": operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        "breaking": operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    }
    path = {}
    if "{code}" in operation.path:
        path["code"] = real["code"]
    if "{id}" in operation.path:  # /api/<collection>/{id}/
        path["id"] = real[operation.path.split("/")[2]]
    grounded = operation.as_strategy(path_parameters=path or None)
    found["grounded"] = st.tuples(
        grounded,
        st.sampled_from(REAL_REGIONS),
        st.lists(st.sampled_from(real["user_ids"]), max_size=3),
    ).map(lambda args: _point_at_real_objects(*args))
    return found


def fuzz(kind: str, strategy, headers: dict, failures: list[str]) -> None:
    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    def run(case) -> None:
        response = case.call(headers=headers)
        content_type = response.headers.get("content-type", [""])[0]
        is_json = content_type.startswith("application/json")
        is_file = response.status_code == 200 and content_type.startswith(DOWNLOADS)
        answered = is_json or is_file or response.status_code in (204, 301)
        if response.status_code >= 500 or not answered:
            failures.append(
                f"{response.status_code} {case.as_curl_command()}\n{response.text[:300]}"
            )

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        # GET /api/me/ has no parameters: no request can break its schema.
        assert kind == "breaking"


def test_no_generated_request_makes_the_api_fail(
    cast, yuehai_station, futian_station, admin_headers, wsgi_app
):
    zhang = file_zhang(cast["nanshan_admin"])
    real = {
        "code": "440305007",
        "sites": yuehai_station.pk,
        "users": cast["yuehai_manager"].pk,
        "audit": audit_view(actor=cast["nanshan_admin"], obj=yuehai_station).pk,
        "residents": zhang.pk,
        **casework_examples(cast["nanshan_admin"], zhang),
        "referrals": make_referral(cast["nanshan_admin"], futian_station).pk,
        "transfer-requests": make_transfer(cast["nanshan_admin"], cast["futian_admin"]).pk,
        "groups": make_group(cast["nanshan_admin"], yuehai_station).pk,
        "activities": make_activity(cast["nanshan_admin"], yuehai_station).pk,
        "imports": make_job(cast["nanshan_admin"]).pk,
        **indicator_examples(cast["nanshan_admin"]),
        **charity_examples(cast["nanshan_admin"]),
        **volunteer_examples(cast["nanshan_admin"]),
        **matching_examples(cast["nanshan_admin"]),
        **five_forces_examples(cast["nanshan_admin"]),
        "user_ids": [user.pk for user in cast.values()],
    }
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 19  # every endpoint, every method
    failures: list[str] = []
    for operation in operations:
        for kind, strategy in strategies(operation, real).items():
            fuzz(kind, strategy, admin_headers, failures)
    assert not failures, "\n".join(failures)
