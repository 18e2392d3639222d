"""Demo data from real structure: Putuo's organisations, the municipal list, accounts, the samples.

Idempotent: each piece loads only what is missing, so `make run` can call it every time.
Samples go through the same services a person uses, each on the day it was submitted.
"""

import csv
import datetime
import io
import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from zhunru import clock
from zhunru.documents.imports import import_municipal_file
from zhunru.intake import services as intake
from zhunru.intake.models import Application
from zhunru.orgs.models import Organisation, OrgKind, Role, User

DATA = settings.BASE_DIR / "data"
CITY, DISTRICT = ("SH", "上海市"), ("PT", "普陀区")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def demo_password() -> tuple[str, bool]:
    """From ZHUNRU_DEMO_PASSWORD, or generated once and kept under var/. Returns (password, generated)."""
    if os.environ.get("ZHUNRU_DEMO_PASSWORD"):
        return os.environ["ZHUNRU_DEMO_PASSWORD"], False
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip(), True


@transaction.atomic
def load_organisations() -> Organisation:
    city, _ = Organisation.objects.get_or_create(code=CITY[0], defaults={"name": CITY[1], "kind": OrgKind.CITY})
    district, _ = Organisation.objects.get_or_create(code=DISTRICT[0], defaults={"name": DISTRICT[1], "kind": OrgKind.DISTRICT, "parent": city})
    if district.district_id != district.pk:
        district.district = district
        district.save(update_fields=["district"])
    existing = set(Organisation.objects.values_list("code", flat=True))
    new = []
    for row in _rows(DATA / "putuo" / "departments.csv"):
        if row["code"] not in existing:
            new.append(Organisation(code=row["code"], name=row["name"], kind=OrgKind.DEPARTMENT, subtype=row["type"],
                                    parent=district, district=district, is_review_unit=row["review_unit"] == "yes",
                                    is_lead=row["review_unit"] == "lead"))
    for row in _rows(DATA / "putuo" / "streets.csv"):
        if row["code"] not in existing:
            new.append(Organisation(code=row["code"], name=row["name"], kind=OrgKind.STREET, subtype=row["type"], parent=district, district=district))
    Organisation.objects.bulk_create(new)
    streets = dict(Organisation.objects.filter(district=district, kind=OrgKind.STREET).values_list("code", "pk"))
    Organisation.objects.bulk_create([
        Organisation(code=row["code"], name=row["name"], kind=OrgKind.COMMITTEE, subtype=row["type"],
                     parent_id=streets[row["street_code"]], district=district)
        for row in _rows(DATA / "putuo" / "committees.csv") if row["code"] not in existing
    ])
    return district


def load_municipal_list():
    from zhunru.catalog.models import MunicipalList

    if MunicipalList.objects.filter(year=2025).exists():
        return
    path = DATA / "shanghai" / "municipal_list_2025.csv"
    import_municipal_file(None, path.read_bytes(), path.name, 2025, title="2025年上海市下派居村组织工作任务计划清单（示例）")


def demo_accounts(district: Organisation) -> list[tuple[str, str, str, str]]:
    """(username, display name, organisation code, role) for every demo account."""
    orgs = list(Organisation.objects.filter(district=district).exclude(kind=OrgKind.DISTRICT).order_by("code"))
    accounts = []
    for org in orgs:
        if org.kind == OrgKind.DEPARTMENT:
            accounts.append((f"clerk_{org.code}", f"{org.name}经办人", org.code, Role.APPLICANT))
            accounts.append((f"head_{org.code}", f"{org.name}主要负责人", org.code, Role.APPLICANT_HEAD))
            if org.is_review_unit:
                accounts.append((f"unit_{org.code}", f"{org.name}审核人员", org.code, Role.REVIEW_UNIT))
        elif org.kind == OrgKind.STREET:
            accounts.append((f"street_{org.code}", f"{org.name}统筹人员", org.code, Role.STREET))
        elif org.kind == OrgKind.COMMITTEE:
            accounts.append((f"committee_{org.code}", f"{org.name}工作人员", org.code, Role.COMMITTEE))
    accounts += [
        ("reviewer_D020", "区民政局审核人", "D020", Role.REVIEWER),
        ("supervisor_D001", "区委办督查人员", "D001", Role.SUPERVISOR),
        ("discipline_D012", "区纪委监委工作人员", "D012", Role.DISCIPLINE),
        ("admin", "系统管理员", DISTRICT[0], Role.ADMIN),
    ]
    return accounts


@transaction.atomic
def load_users(district: Organisation, password: str) -> int:
    Role.ensure_all()
    accounts = demo_accounts(district)
    existing = set(User.objects.values_list("username", flat=True))
    missing = [a for a in accounts if a[0] not in existing]
    if not missing:
        return 0
    # One hash for all: hashing hundreds of passwords one by one would take minutes.
    hashed = make_password(password)
    orgs = dict(Organisation.objects.values_list("code", "pk"))
    users = User.objects.bulk_create([
        User(username=u, display_name=name, organisation_id=orgs[code], password=hashed,
             is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        for u, name, code, role in missing
    ])
    through = User.roles.through
    pks = dict(User.objects.filter(username__in=[m[0] for m in missing]).values_list("username", "pk"))
    through.objects.bulk_create([through(user_id=pks[u], role_id=role) for u, _, _, role in missing])
    return len(users)


def _policy_document(title: str) -> SimpleUploadedFile:
    """A real .docx standing in for the policy document a simplified application must attach."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph("（演示用政策文件）")
    buf = io.BytesIO()
    doc.save(buf)
    return SimpleUploadedFile(f"{title}.docx", buf.getvalue())


def load_samples(district: Organisation) -> int:
    samples = json.loads((DATA / "samples" / "applications.json").read_text(encoding="utf-8"))["applications"]
    depts = {o.name: o for o in Organisation.objects.filter(district=district, kind=OrgKind.DEPARTMENT)}
    reviewer = User.objects.get(username="reviewer_D020")
    loaded = 0
    for sample in sorted(samples, key=lambda s: s["submitted_on"]):
        dept = depts[sample["department"]]
        if Application.objects.filter(department=dept, name=sample["name"]).exists():
            continue
        clerk = User.objects.get(username=f"clerk_{dept.code}")
        head = User.objects.get(username=f"head_{dept.code}")
        day = datetime.date.fromisoformat(sample["submitted_on"])
        body = {k: v for k, v in sample.items() if k not in ("key", "expect", "verbal_report")}
        with clock.pinned(day):
            if sample["procedure"] == "emergency":
                vr = sample["verbal_report"]
                report = intake.record_verbal_report(
                    reviewer, department=dept, reported_on=datetime.date.fromisoformat(vr["on"]),
                    reported_by=vr["by"], channel=vr["channel"], content=vr["content"])
                body["verbal_report_id"] = report.pk
            app = intake.create_application(clerk, body)
            if sample["procedure"] == "simplified":
                for title in sample["basis"]["documents"][-1:]:
                    intake.add_attachment(clerk, app, _policy_document(title.strip("《》")))
            if sample["expect"]["valid"]:
                intake.submit_application(clerk, app)
                intake.sign_application(head, app)
        loaded += 1
    return loaded


# The demo reviewer's year: each round opened in October, the samples decided on these days, and the
# lists published and filed in time. The food-safety sample waits on the reviewer's desk.
ROUNDS = {2025: "2024-10-08", 2026: "2025-10-09"}
DECIDED = {
    "旧住房更新改造居民意见征询": ("2024-11-05", "approve"),
    "台风防御期间居民转移安置协助": ("2025-08-04", "approve"),
    "全国1%人口抽样调查入户登记协助": ("2025-09-19", "approve"),
    "老年人健康管理服务宣传动员": ("2025-11-10", "approve"),
}
PUBLISHED = {2025: "2025-09-22", 2026: "2025-12-15"}


def load_decisions(district: Organisation) -> int:
    """Run the reviewer's part for some samples, so the demo has published and filed plan lists."""
    from zhunru.catalog import services as catalog
    from zhunru.catalog.models import PlanList
    from zhunru.review import services as review

    reviewer = User.objects.get(username="reviewer_D020")
    for year, day in ROUNDS.items():
        if not PlanList.objects.filter(district=district, year=year, round_opened_on__isnull=False).exists():
            with clock.pinned(datetime.date.fromisoformat(day)):
                catalog.open_round(reviewer, district.pk, year)
    done = 0
    for name, (day, decision) in DECIDED.items():
        app = Application.objects.filter(district=district, name=name, status="submitted").first()
        if app is None:
            continue
        with clock.pinned(datetime.date.fromisoformat(day)):
            review.decide(reviewer, app, decision=decision)
        done += 1
    for year, day in PUBLISHED.items():
        plan = PlanList.objects.filter(district=district, year=year).first()
        if plan is not None and not plan.versions.exists():
            with clock.pinned(datetime.date.fromisoformat(day)):
                catalog.publish_list(reviewer, district.pk, year)
                catalog.file_list(reviewer, district.pk, year)
    return done


def load_all() -> dict:
    district = load_organisations()
    load_municipal_list()
    password, generated = demo_password()
    users = load_users(district, password)
    samples = load_samples(district)
    load_decisions(district)
    return {"district": district, "password": password, "generated": generated, "users": users, "samples": samples}
