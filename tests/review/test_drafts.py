"""R-SCOPE-2: a department uploads a draft document, the chosen review units give opinions by a deadline
(the same invitations as joint review), the outcome is recorded, and applications can be linked to it."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import user
from zhunru.audit.services import verify_chain
from zhunru.review.models import DraftDocument, Invitation

from .conftest import sign_sample


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def page(username):
    c = Client()
    c.force_login(user(username))
    return c


def test_r_scope_2_draft_pre_review_from_upload_to_outcome(api, samples, on_day):
    on_day("2025-10-20")
    clerk = page("clerk_D030")
    res = clerk.post("/review/drafts/", {"title": "关于加强社区健康服务的实施意见（征求意见稿）", "doc_kind": "normative",
                                         "summary": "要求居委会协助开展健康宣传", "file": SimpleUploadedFile("草案.docx", docx_bytes())})
    draft = DraftDocument.objects.get()
    assert res.status_code == 302 and res["Location"] == f"/review/drafts/{draft.pk}/"
    assert draft.detected_type == "docx" and draft.department.code == "D030"

    # A file that is not what it says is refused like an attachment (R-APP-7), nothing stored.
    clerk.post("/review/drafts/", {"title": "坏文件", "doc_kind": "normative", "file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")})
    assert DraftDocument.objects.count() == 1

    reviewer = page("reviewer_D020")
    reviewer.post(f"/review/drafts/{draft.pk}/", {"action": "invite", "kind": "joint_review", "organisations": ["D021", "D015"], "deadline_days": "3"})
    invs = {i.organisation.code: i for i in Invitation.objects.filter(draft_document=draft)}
    assert set(invs) == {"D021", "D015"} and invs["D021"].deadline.isoformat() == "2025-10-23"

    # The invited unit sees the draft (and only it); an uninvited one does not.
    unit = page("unit_D021")
    assert unit.get(f"/review/drafts/{draft.pk}/").status_code == 200
    assert unit.get(f"/review/drafts/{draft.pk}/file").status_code == 200
    assert page("unit_D040").get(f"/review/drafts/{draft.pk}/").status_code == 404
    on_day("2025-10-24")
    unit.post(f"/review/invitations/{invs['D021'].pk}/", {"opinion": "comment", "comment": "请删去要求居委会出具证明的条款"})
    op = invs["D021"].opinions.get()
    assert op.opinion == "comment" and op.late is True
    assert page("unit_D021").get("/todo/?tab=done").content.decode().count("文件草案") >= 1

    reviewer.post(f"/review/drafts/{draft.pk}/", {"action": "conclude", "outcome": "revise", "comment": "按区司法局意见修改后可印发"})
    draft.refresh_from_db()
    assert draft.state == "concluded" and draft.outcome == "revise" and draft.concluded_by.username == "reviewer_D020"
    # Concluded: no more opinions.
    page("unit_D015").post(f"/review/invitations/{invs['D015'].pk}/", {"opinion": "agree"})
    assert not invs["D015"].opinions.exists()

    app = sign_sample(samples["health-elderly"])
    clerk.post(f"/review/drafts/{draft.pk}/", {"action": "link", "application": app.pk})
    assert list(draft.applications.all()) == [app]
    assert verify_chain() == []
