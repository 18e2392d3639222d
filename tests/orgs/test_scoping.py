"""SPEC §2: every lookup is scoped; another organisation's object answers 404, never 403."""

import datetime

import pytest

from tests.conftest import body_of, user
from zhunru.intake import services
from zhunru.intake.models import Status


@pytest.fixture
def others_application(putuo, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)
    clerk = user("clerk_D030")
    app = services.create_application(clerk, body_of(samples["health-elderly"]))
    return services.submit_application(clerk, app)


def test_scoping_clerk_cannot_read_change_or_sign_another_departments_application_api(api, others_application):
    pk = others_application.pk
    stranger, stranger_head = api("clerk_D035"), api("head_D035")
    assert stranger.get(f"/applications/{pk}").status_code == 404
    assert stranger.patch(f"/applications/{pk}", {"name": "篡改"}).status_code == 404
    assert stranger.post(f"/applications/{pk}/submit").status_code == 404
    assert stranger.post(f"/applications/{pk}/withdraw").status_code == 404
    assert stranger_head.post(f"/applications/{pk}/sign").status_code == 404
    assert stranger.get(f"/applications/{pk}/form.docx").status_code == 404
    assert pk not in [a["id"] for a in stranger.get("/applications").json()["results"]]
    others_application.refresh_from_db()
    assert others_application.status == Status.AWAITING_SIGNOFF and others_application.name != "篡改"


def test_scoping_pages_answer_404(client, others_application):
    pk = others_application.pk
    client.force_login(user("head_D035"))
    for url in (f"/applications/{pk}/", f"/applications/{pk}/edit", f"/applications/{pk}/form.docx"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/applications/{pk}/sign", {"action": "sign"}).status_code == 404
    assert client.post(f"/applications/{pk}/autosave", {"name": "x"}).status_code == 404
    others_application.refresh_from_db()
    assert others_application.status == Status.AWAITING_SIGNOFF


def test_scoping_reviewer_sees_only_what_reached_review(api, others_application):
    reviewer = api("reviewer_D020")
    assert reviewer.get(f"/applications/{others_application.pk}").status_code == 404  # not yet signed
    services.sign_application(user("head_D030"), others_application)
    assert reviewer.get(f"/applications/{others_application.pk}").status_code == 200
    assert api("committee_S01C001").get(f"/applications/{others_application.pk}").status_code == 404
    assert api("street_S01").get("/applications").json()["count"] == 0
