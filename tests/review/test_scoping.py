"""An invited organisation reads the application it is invited to, and nothing else of the applicant's (R-PROC-2, SPEC §2)."""

from django.test import Client

from tests.conftest import Api, user

from .conftest import sign_sample


def test_r_proc_2_invited_unit_reads_only_that_application(api, samples, on_day):
    a = sign_sample(samples["health-elderly"])
    b = sign_sample(samples["health-elderly"], name="老年人健康管理服务宣传动员（二）")
    on_day("2025-10-21")
    assert Api("reviewer_D020").post(f"/applications/{a.pk}/invitations", {"kind": "joint_review", "organisations": ["D021", "D023", "D001"]}).status_code == 201
    assert Api("reviewer_D020").post(f"/applications/{a.pk}/invitations", {"kind": "consultation", "organisations": ["S01C001"]}).status_code == 201
    for who in ("unit_D021", "committee_S01C001"):
        unit = Api(who)
        res = unit.get(f"/applications/{a.pk}")
        assert res.status_code == 200 and res.json()["number"] == a.number
        assert unit.get(f"/applications/{b.pk}").status_code == 404
        listed = unit.get("/applications").json()
        assert [r["id"] for r in listed["results"]] == [a.pk] and listed["count"] == 1
        assert unit.get(f"/applications/{a.pk}/form.docx").status_code == 200
        assert unit.get(f"/applications/{b.pk}/form.docx").status_code == 404
    # The invited organisation cannot act as the applicant on it.
    assert Api("unit_D021").patch(f"/applications/{a.pk}", {"name": "改"}).status_code in (403, 404)
    assert Api("unit_D021").post(f"/applications/{a.pk}/withdraw").status_code in (403, 404)
    # Uninvited: 404 everywhere.
    for who in ("unit_D040", "committee_S01C002", "street_S01", "clerk_D035"):
        assert Api(who).get(f"/applications/{a.pk}").status_code == 404, who
        assert Api(who).post(f"/applications/{a.pk}/opinions", {"opinion": "agree"}).status_code == 404, who
    # Pages: the invitation page is the invitee's; another organisation gets 404.
    from zhunru.review.models import Invitation

    inv = Invitation.objects.get(application=a, organisation__code="D021")
    page = Client()
    page.force_login(user("unit_D021"))
    assert page.get(f"/review/invitations/{inv.pk}/").status_code == 200
    assert page.get(f"/applications/{a.pk}/").status_code == 200
    assert page.get(f"/applications/{b.pk}/").status_code == 404
    other = Client()
    other.force_login(user("unit_D040"))
    assert other.get(f"/review/invitations/{inv.pk}/").status_code == 404
    assert other.get(f"/review/{a.pk}/").status_code == 404


def test_r_proc_2_reviewer_counts_not_inflated_by_invitations(api, samples, on_day):
    """Scoping through invitations uses a subquery: lists and counts do not repeat an application per invitation."""
    from zhunru.intake.queries import applications_for, status_counts

    a = sign_sample(samples["health-elderly"])
    on_day("2025-10-21")
    Api("reviewer_D020").post(f"/applications/{a.pk}/invitations", {"kind": "joint_review", "organisations": ["D001", "D003", "D015", "D021"]})
    reviewer = user("reviewer_D020")
    assert status_counts(reviewer)["in_review"] == 1
    assert applications_for(reviewer).count() == 1
