"""R-APP-7: attachments checked by content and size; a refusal is clear and stores nothing."""

import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import Api

from .conftest import docx_bytes, page, pdf_bytes


def _files(settings):
    root = str(settings.MEDIA_ROOT)
    out = []
    for d, _, fs in os.walk(root):
        out += [os.path.join(d, f) for f in fs]
    return out


def _zip(entries: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in entries.items():
            zf.writestr(k, v)
    return buf.getvalue()


BAD = {
    "exe_as_pdf": ("报告.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
    "shell_as_pdf": ("run.pdf", b"#!/bin/sh\nrm -rf / --no-preserve-root\n"),
    "html_as_docx": ("doc.docx", b"<!doctype html><html><script>alert(1)</script></html>"),
    "plain_zip_as_docx": ("archive.docx", _zip({"readme.txt": "hi", "evil.exe": "MZ"})),
    "zip_with_fake_docx_name_inside_dir": ("x.docx", _zip({"foo/word/document.xml": "<x/>"})),
    "truncated_zip": ("t.docx", b"PK\x03\x04" + b"\x00" * 40),
    "ole_not_office": ("x.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500),
    "svg_as_png": ("pic.png", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    "pdf_magic_late": ("late.pdf", b"   %PDF-1.4"),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("via", ["api", "page"])
def test_r_app_7_disguised_upload_refused_nothing_stored(make, settings, case, via):
    from zhunru.intake.models import Attachment

    name, data = BAD[case]
    pk = make.draft()
    before_files = _files(settings)
    if via == "api":
        res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile(name, data)})
        assert res.status_code == 422, (case, res.status_code, res.content[:300])
        err = res.json()["errors"][0]
        assert err["field"] == "file" and "R-APP-7" in err["message"] and "拒收" in err["message"]
    else:
        res = page("clerk_D030").post(f"/applications/{pk}/attachments", {"file": SimpleUploadedFile(name, data)}, follow=True)
        assert res.status_code == 200
        msgs = [str(m) for m in res.context["messages"]]
        assert any("R-APP-7" in m for m in msgs), msgs
    assert not Attachment.objects.filter(application_id=pk).exists()
    assert _files(settings) == before_files


def test_r_app_7_empty_file_refused(make, settings):
    from zhunru.intake.models import Attachment

    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("empty.pdf", b"")})
    assert res.status_code in (400, 422), res.content
    assert "空" in res.json()["errors"][0]["message"] or "file" == res.json()["errors"][0]["field"]
    assert not Attachment.objects.exists() and not _files(settings)


def test_r_app_7_oversize_refused(make, settings):
    from zhunru.intake.models import Attachment

    settings.ZHUNRU_MAX_UPLOAD_BYTES = 1024
    pk = make.draft()
    data = pdf_bytes() + b"0" * 2048
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("big.pdf", data)})
    assert res.status_code in (413, 422), res.content
    assert "大小" in res.json()["errors"][0]["message"]
    assert not Attachment.objects.exists() and not _files(settings)


def test_r_app_7_oversize_message_for_small_limits_is_not_zero_mb(make, settings):
    """With a limit under 1 MB the message must not say "超过0MB"."""
    settings.ZHUNRU_MAX_UPLOAD_BYTES = 1024
    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments",
                                 data={"file": SimpleUploadedFile("big.pdf", pdf_bytes() + b"0" * 2048)})
    assert "0MB" not in res.json()["errors"][0]["message"], res.json()


def test_r_app_7_exactly_the_limit_is_accepted(make, settings):
    data = pdf_bytes()
    settings.ZHUNRU_MAX_UPLOAD_BYTES = len(data)
    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("ok.pdf", data)})
    assert res.status_code == 201, res.content


@pytest.mark.parametrize("name", ["../../../../etc/passwd.pdf", "..\\..\\windows\\system32\\x.pdf", "/abs/path.pdf",
                                  "名" * 300 + ".pdf", "a" * 1000 + ".pdf", "nul\x00byte.pdf", "\u202etxt.exe.pdf",
                                  ".htaccess", "CON.pdf", "x.pdf;.exe"])
def test_r_app_7_hostile_file_name_stored_safely(make, settings, name):
    from zhunru.intake.models import Attachment

    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile(name, pdf_bytes())})
    assert res.status_code in (201, 422), (res.status_code, res.content[:300])
    media = os.path.realpath(str(settings.MEDIA_ROOT))
    for f in _files(settings):
        assert os.path.realpath(f).startswith(media + os.sep)
        base = os.path.basename(f)
        assert ".." not in base and "passwd" not in base and "名" not in base and len(base) < 100, f
    if res.status_code == 201:
        att = Attachment.objects.get(pk=res.json()["id"])
        assert os.path.realpath(att.file.path).startswith(media + os.sep)
        assert len(att.original_name) <= 255
        # downloading gives a sane Content-Disposition
        r = page("clerk_D030").get(f"/applications/{pk}/attachments/{att.pk}")
        assert r.status_code == 200
        cd = r["Content-Disposition"]
        assert "\n" not in cd and "\r" not in cd
        assert "/" not in cd.split("filename", 1)[1].replace("UTF-8''", "") or "%2F" in cd


def test_r_app_7_genuine_files_accepted_and_typed_by_content(make, settings):
    pk = make.draft()
    api = Api("clerk_D030")
    res = api.post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("renamed.xlsx", docx_bytes())})
    assert res.status_code == 201, res.content
    assert res.json()["type"] == "docx"
    res = api.post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("scan.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)})
    assert res.json()["type"] == "png"


def test_r_app_7_stored_file_not_executable_extension_from_user(make, settings):
    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("evil.php", pdf_bytes())})
    assert res.status_code == 201
    for f in _files(settings):
        assert not f.endswith(".php")


def test_r_app_7_bad_kind_refused_nothing_stored(make, settings):
    from zhunru.intake.models import Attachment

    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("a.pdf", pdf_bytes()), "kind": "<x>"})
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "kind"
    assert not Attachment.objects.exists() and not _files(settings)


def test_r_app_7_upload_missing_file_field(make):
    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"kind": "policy"})
    assert res.status_code == 422
    assert res.json()["errors"][0]["field"] == "file"
    assert "缺少" in res.json()["errors"][0]["message"]


def test_r_app_7_upload_json_body_instead_of_multipart(make):
    pk = make.draft()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", {"file": "JVBERi0xLjQ="})
    assert 400 <= res.status_code < 500, res.status_code


def test_r_app_7_upload_on_signed_application_refused_nothing_stored(make, settings):
    from zhunru.intake.models import Attachment

    pk = make.signed()
    res = Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert res.status_code == 409
    assert not Attachment.objects.exists() and not _files(settings)


def test_r_app_7_db_failure_leaves_no_orphan_file(make, settings, monkeypatch):
    """If the row cannot be written (or the audit fails), the file must not stay on disk."""
    from zhunru.intake import services

    pk = make.draft()

    def boom(**kw):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", boom)
    with pytest.raises(RuntimeError):
        Api("clerk_D030").post(f"/applications/{pk}/attachments", data={"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    assert not _files(settings), _files(settings)


def test_r_app_7_remove_attachment_removes_file(make, settings, django_capture_on_commit_callbacks):
    from .conftest import add_pdf

    pk = make.draft()
    att = add_pdf(pk)
    assert _files(settings)
    # The file is deleted when the transaction commits (a rolled-back delete keeps it).
    with django_capture_on_commit_callbacks(execute=True):
        r = page("clerk_D030").post(f"/applications/{pk}/attachments/{att}/delete")
    assert r.status_code == 302
    assert not _files(settings), "the file stays on disk after its attachment was deleted"
