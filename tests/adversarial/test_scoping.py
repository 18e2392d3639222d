"""Scoping (SPEC §2, issue 2): another organisation's application answers 404 everywhere, never 403/200/500."""

import pytest

from tests.conftest import Api

from .conftest import add_pdf, page

STATES = ["draft", "awaiting", "signed"]


def _other_api_calls(pk, att):
    return [
        ("get", f"/applications/{pk}", None),
        ("patch", f"/applications/{pk}", {"name": "改名"}),
        ("post", f"/applications/{pk}/submit", None),
        ("post", f"/applications/{pk}/sign", None),
        ("post", f"/applications/{pk}/withdraw", None),
        ("post", f"/applications/{pk}/send-back", {"comment": "退回"}),
        ("get", f"/applications/{pk}/form.docx", None),
    ]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("intruder", ["clerk_D035", "head_D035", "unit_D021", "street_S01", "committee_S01C001", "admin"])
def test_scoping_api_other_department_is_404(make, state, intruder):
    pk = getattr(make, state)()
    att = add_pdf(pk) if state != "signed" else None
    api = Api(intruder)
    for method, path, body in _other_api_calls(pk, att):
        res = api._call(method, path, body)
        assert res.status_code == 404, (intruder, method, path, res.status_code, res.content[:300])
        assert "未找到" in res.json()["errors"][0]["message"]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import pdf_bytes

    res = api.post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert res.status_code == 404, res.content
    # the list never shows it
    res = api.get("/applications")
    assert res.status_code == 200
    assert pk not in [a["id"] for a in res.json()["results"]]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("intruder", ["clerk_D035", "head_D035", "unit_D021", "street_S01", "committee_S01C001"])
def test_scoping_pages_other_department_is_404(make, state, intruder):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import pdf_bytes

    pk = getattr(make, state)()
    att = add_pdf(pk) if state != "signed" else None
    c = page(intruder)
    gets = [f"/applications/{pk}/", f"/applications/{pk}/edit", f"/applications/{pk}/sign", f"/applications/{pk}/form.docx"]
    posts = [
        (f"/applications/{pk}/edit", {"name": "x"}),
        (f"/applications/{pk}/autosave", {"name": "x"}),
        (f"/applications/{pk}/precheck", {"name": "x"}),
        (f"/applications/{pk}/sign", {}),
        (f"/applications/{pk}/sign", {"action": "send_back", "comment": "x"}),
        (f"/applications/{pk}/withdraw", {}),
        (f"/applications/{pk}/attachments", {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}),
    ]
    if att:
        gets.append(f"/applications/{pk}/attachments/{att}")
        posts.append((f"/applications/{pk}/attachments/{att}/delete", {}))
    for url in gets:
        res = c.get(url)
        assert res.status_code == 404, (intruder, "GET", url, res.status_code)
    for url, data in posts:
        res = c.post(url, data)
        assert res.status_code == 404, (intruder, "POST", url, res.status_code)
    res = c.get("/applications/")
    assert res.status_code == 200
    assert f"/applications/{pk}/" not in res.content.decode()


def test_scoping_state_unchanged_after_intrusion(make):
    from zhunru.intake.models import Application

    pk = make.awaiting()
    for u in ("clerk_D035", "head_D035"):
        Api(u).post(f"/applications/{pk}/sign")
        Api(u).post(f"/applications/{pk}/withdraw")
        Api(u).post(f"/applications/{pk}/send-back", {"comment": "x"})
    app = Application.objects.get(pk=pk)
    assert app.status == "awaiting_signoff" and app.number is None


def test_scoping_reviewer_does_not_see_drafts_or_awaiting(make):
    draft, awaiting, signed = make.draft(), make.awaiting(), make.signed()
    rev = Api("reviewer_D020")
    for pk in (draft, awaiting):
        assert rev.get(f"/applications/{pk}").status_code == 404
        assert rev.get(f"/applications/{pk}/form.docx").status_code == 404
    assert rev.get(f"/applications/{signed}").status_code == 200
    ids = [a["id"] for a in rev.get("/applications").json()["results"]]
    assert signed in ids and draft not in ids and awaiting not in ids
    c = page("reviewer_D020")
    assert c.get(f"/applications/{draft}/").status_code == 404
    assert c.get(f"/applications/{awaiting}/").status_code == 404


def test_scoping_reviewer_cannot_act_on_visible_application(make):
    """A reviewer sees a signed application but may not withdraw, patch or sign it: a clear 403, state unchanged."""
    from zhunru.intake.models import Application

    pk = make.signed()
    rev = Api("reviewer_D020")
    for method, path, body in [("post", f"/applications/{pk}/withdraw", None), ("patch", f"/applications/{pk}", {"name": "x"}),
                               ("post", f"/applications/{pk}/sign", None)]:
        res = rev._call(method, path, body)
        assert res.status_code in (403, 409), (path, res.status_code, res.content)
        assert res.json()["errors"][0]["message"]
    assert Application.objects.get(pk=pk).status == "submitted"


@pytest.mark.parametrize("username", ["street_S01", "committee_S01C001", "unit_D021"])
def test_scoping_committee_street_unit_see_no_applications(make, username):
    make.signed()
    make.draft()
    res = Api(username).get("/applications")
    assert res.status_code == 200
    assert res.json()["count"] == 0 and res.json()["results"] == []


def test_scoping_clerk_cannot_sign_own(make):
    from zhunru.intake.models import Application

    pk = make.awaiting()
    res = Api("clerk_D030").post(f"/applications/{pk}/sign")
    assert res.status_code == 403, res.content
    assert "负责人" in res.json()["errors"][0]["message"]
    assert Application.objects.get(pk=pk).number is None


def test_scoping_head_cannot_submit_or_edit_own(make):
    pk = make.draft()
    res = Api("head_D030").post(f"/applications/{pk}/submit")
    assert res.status_code == 403, res.content
    res = Api("head_D030").patch(f"/applications/{pk}", {"name": "x"})
    assert res.status_code == 403, res.content


def test_scoping_foreign_attachment_under_own_application_is_404(make):
    mine = make.draft(dept="D035", key="census-simplified")
    theirs = make.draft()
    their_att = add_pdf(theirs)
    c = page("clerk_D035")
    assert c.get(f"/applications/{mine}/attachments/{their_att}").status_code == 404
    assert c.post(f"/applications/{mine}/attachments/{their_att}/delete").status_code == 404
    from zhunru.intake.models import Attachment

    assert Attachment.objects.filter(pk=their_att).exists()
    # and the owner's own clerk through another own application
    mine2 = make.draft()
    c = page("clerk_D030")
    assert c.get(f"/applications/{mine2}/attachments/{their_att}").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "0", "99999999999999999999999999"])
def test_scoping_nonsense_ids_are_404(make, bad):
    api = Api("clerk_D030")
    for path in (f"/applications/{bad}", f"/applications/{bad}/form.docx"):
        res = api.get(path)
        assert res.status_code in (404, 422), (path, res.status_code, res.content[:300])
    c = page("clerk_D030")
    for url in (f"/applications/{bad}/", f"/applications/{bad}/edit"):
        assert c.get(url).status_code == 404, url


def test_scoping_huge_attachment_id_is_404(make):
    pk = make.draft()
    c = page("clerk_D030")
    assert c.get(f"/applications/{pk}/attachments/99999999999999999999999").status_code == 404
    assert c.post(f"/applications/{pk}/attachments/99999999999999999999999/delete").status_code == 404
