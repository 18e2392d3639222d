"""Issue 2 "Bad input": HTML and script in any text field is shown as text, on every page and in the .docx."""

import io
import zipfile

from tests.conftest import Api

from .conftest import page

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'</textarea></script>'


def _hostile_body(make):
    b = make.body()
    b["name"] = "健康" + XSS
    b["summary"] = "概述" + XSS
    b["involves"] = {**b["involves"], "system_name": XSS, "assessment": True, "assessment_name": XSS, "plaque": True, "plaque_name": XSS}
    b["basis"] = {"types": ["laws"], "documents": [XSS]}
    b["duties"] = [{"text": "宣传" + XSS, "mode": "宣传教育"}, {"text": XSS, "mode": XSS}]
    b["support"] = {"funding": {"amount": XSS, "way": XSS}, "project": {"name": XSS, "description": XSS},
                    "manpower": {"source": XSS}, "resource": {"description": XSS}, "policy": {"handbook": XSS},
                    "exception_reason": XSS}
    b["courses"] = [{"name": XSS, "audience": XSS, "frequency": XSS, "department": XSS}]
    b["time_limit"] = {"type": "other", "description": XSS}
    b["scope"] = "some"
    b["scope_committees"] = [XSS, "S01C001"]
    b["municipal_comparison"] = "reworded"
    b["municipal_item"] = XSS
    b["exit_reason"] = XSS
    b["adjusts_item"] = XSS
    return b


def _no_raw_markup(html: str):
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "</textarea></script>" not in html


def test_html_script_is_text_on_detail_edit_list(make):
    res = Api("clerk_D030").post("/applications", _hostile_body(make))
    assert res.status_code == 201, res.content
    pk = res.json()["id"]
    c = page("clerk_D030")
    for url in (f"/applications/{pk}/", f"/applications/{pk}/edit", "/applications/", "/applications/?status=draft"):
        r = c.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        _no_raw_markup(html)
        if url.endswith("/"):
            assert "&lt;script&gt;" in html or "\\u003Cscript" in html, url  # shown, as text


def test_html_script_is_text_for_the_head_and_reviewer(make):
    b = make.body(name="健康<script>alert(1)</script>")
    b["duties"] = [{"text": "宣传<script>alert(2)</script>", "mode": "宣传教育"}]
    res = Api("clerk_D030").post("/applications", b)
    pk = res.json()["id"]
    assert Api("clerk_D030").post(f"/applications/{pk}/submit").status_code == 200
    html = page("head_D030").get(f"/applications/{pk}/").content.decode()
    assert "<script>alert" not in html
    assert Api("head_D030").post(f"/applications/{pk}/sign").status_code == 200
    for u in ("reviewer_D020", "head_D030"):
        c = page(u)
        for url in (f"/applications/{pk}/", "/applications/"):
            html = c.get(url).content.decode()
            assert "<script>alert" not in html, (u, url)


def test_html_messages_with_file_name_are_escaped(make):
    """An upload's name is echoed in a flash message: it must be text too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pk = make.draft()
    c = page("clerk_D030")
    name = '<script>alert("f")</script>.pdf'
    r = c.post(f"/applications/{pk}/attachments", {"file": SimpleUploadedFile(name, b"MZ\x90\x00evil")}, follow=True)
    html = r.content.decode()
    assert '<script>alert("f")' not in html
    r = c.post(f"/applications/{pk}/attachments", {"file": SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF")}, follow=True)
    html = r.content.decode()
    assert '<script>alert("f")' not in html
    html = c.get(f"/applications/{pk}/edit").content.decode()
    assert '<script>alert("f")' not in html


def test_html_sent_back_comment_is_text(make):
    pk = make.awaiting()
    assert Api("head_D030").post(f"/applications/{pk}/send-back", {"comment": "<script>alert('c')</script>"}).status_code == 200
    for url in (f"/applications/{pk}/", f"/applications/{pk}/edit", "/applications/"):
        assert "<script>alert('c')" not in page("clerk_D030").get(url).content.decode(), url


def test_html_docx_is_plain_text(make):
    pk = Api("clerk_D030").post("/applications", _hostile_body(make)).json()["id"]
    res = Api("clerk_D030").get(f"/applications/{pk}/form.docx")
    assert res.status_code == 200
    with zipfile.ZipFile(io.BytesIO(res.content)) as zf:
        xml = zf.read("word/document.xml").decode()
    # the markup is text inside w:t runs, escaped by the XML writer, never raw elements
    assert "<script>" not in xml and "<img" not in xml
    assert "&lt;script&gt;" in xml
    import docx

    d = docx.Document(io.BytesIO(res.content))
    text = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert '<script>alert("x")</script>' in text


def test_html_docx_control_chars_do_not_break_it(make):
    b = make.body(name="名\x00称\x0b\x1f", summary="概\x08述\ufffe\uffff")
    b["duties"] = [{"text": "职\x00责", "mode": "宣传教育"}]
    res = Api("clerk_D030").post("/applications", b)
    assert res.status_code in (201, 422), res.content[:300]
    if res.status_code == 201:
        r = Api("clerk_D030").get(f"/applications/{res.json()['id']}/form.docx")
        assert r.status_code == 200
        import docx

        docx.Document(io.BytesIO(r.content))


def test_html_docx_filename_header_injection(make):
    pk = make.draft(name='a"\r\nSet-Cookie: x=1\r\n;b')
    res = Api("clerk_D030").get(f"/applications/{pk}/form.docx")
    assert res.status_code == 200
    assert "Set-Cookie" not in res.headers
    assert "\n" not in res["Content-Disposition"]
