"""Getting an application approved onto the plan list, until the review's decision exists.

``approve_directly`` runs the application through intake as a person would (create, submit, the
head's sign-off on its submission day), then calls ``catalog.services.admit_application`` with the
approved content — the hand-over the review's decision (issue 3) makes inside its approval
transaction. The tests name it so: the review itself is not exercised here.
"""

import copy
import datetime

from zhunru import clock
from zhunru.catalog.services import admit_application
from zhunru.intake import services as intake
from zhunru.orgs.models import Organisation, OrgKind, User

from ..conftest import body_of


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def department(name_or_code: str) -> Organisation:
    qs = Organisation.objects.filter(kind=OrgKind.DEPARTMENT)
    return qs.filter(code=name_or_code).first() or qs.get(name=name_or_code)


def approve_directly(sample: dict, *, submitted_on: str, decided_on: str, **changes):
    """Submit ``sample`` (with ``changes`` applied) on ``submitted_on`` and admit it as approved on ``decided_on``."""
    body = copy.deepcopy(body_of(sample))
    body.pop("verbal_report", None)
    body.update(changes)
    dept = department(body["department"])
    clerk = User.objects.get(username=f"clerk_{dept.code}")
    head = User.objects.get(username=f"head_{dept.code}")
    reviewer = User.objects.get(username="reviewer_D020")
    with clock.pinned(d(submitted_on)):
        app = intake.create_application(clerk, body)
        if body.get("procedure") == "simplified":
            intake.add_attachment(clerk, app, policy_document())  # R-PROC-4: checked at sign-off
        intake.submit_application(clerk, app)
        intake.sign_application(head, app)
    app.refresh_from_db()
    with clock.pinned(d(decided_on)):
        from django.db import transaction

        with transaction.atomic():
            item = admit_application(actor=reviewer, application_id=app.pk, district_id=app.district_id,
                                     department_id=app.department_id, procedure=app.procedure, kind=app.kind,
                                     content=app.content, decided_on=d(decided_on), number=app.number or "")
    return item, app


def policy_document():
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    document.add_paragraph("（测试用政策文件）")
    buf = io.BytesIO()
    document.save(buf)
    return SimpleUploadedFile("政策文件.docx", buf.getvalue())


def corrected_garbage(sample: dict) -> dict:
    """garbage-assessment with its support list corrected (R-APP-4: two types) and its duty given a mode."""
    support = {**sample["support"], "manpower": {"source": "街镇绿化市容所垃圾分类指导员"}}
    duties = [sample["duties"][0], {"text": "协助收集分类实效检查情况并发现报告问题", "mode": "非专业性工作任务的发现报告"}]
    return {"support": support, "duties": duties}
