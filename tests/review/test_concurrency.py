"""Two reviewers deciding, or a decision racing a withdrawal: exactly one wins, the other gets a clear 409,
nothing is half-written (R-PROC-2). Real threads on the real database: PostgreSQL when DATABASE_URL is set,
otherwise the file-backed SQLite test database (IMMEDIATE transactions)."""

import threading

import pytest
from django.db import connection, connections

from zhunru.audit.services import verify_chain
from zhunru.errors import ServiceError, WrongState
from zhunru.intake import services as intake
from zhunru.intake.models import Application, Status
from zhunru.orgs.models import Role, User
from zhunru.review import services
from zhunru.review.models import Decision

from .conftest import add_reviewer, sign_sample


@pytest.fixture
def live_putuo(transactional_db, settings, samples):
    from tests.conftest import PASSWORD
    from zhunru.demo.loader import load_municipal_list, load_organisations, load_users

    for code, name in Role.NAMES.items():  # a transactional test before this one flushed them
        Role.objects.update_or_create(code=code, defaults={"name": name})
    district = load_organisations()
    load_municipal_list()
    load_users(district, PASSWORD)
    settings.ZHUNRU_TODAY = __import__("datetime").date(2025, 10, 21)
    return district


def race(*actions):
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = ("ok", fn())
        except ServiceError as exc:
            results[i] = ("refused", exc)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            results[i] = ("crash", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_r_proc_2_two_reviewers_decide_at_once_one_wins(live_putuo, samples, repeat):
    app = sign_sample(samples["health-elderly"])
    first, second = User.objects.get(username="reviewer_D020"), add_reviewer()

    def decide(user, decision):
        return lambda: services.decide(User.objects.get(pk=user.pk), Application.objects.get(pk=app.pk), decision=decision,
                                       reason="理由" if decision == "reject" else "")

    results = race(decide(first, "approve"), decide(second, "reject"))
    kinds = sorted(r[0] for r in results)
    assert kinds == ["ok", "refused"], (connection.vendor, results)
    loser = next(r[1] for r in results if r[0] == "refused")
    assert isinstance(loser, WrongState) and loser.status == 409 and "已由" in loser.message and "最终决定" in loser.message
    winner = next(r[1] for r in results if r[0] == "ok")
    assert Decision.objects.filter(application_id=app.pk).count() == 1
    app.refresh_from_db()
    assert app.status == (Status.APPROVED if winner.decision == "approve" else Status.REJECTED)
    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("repeat", range(3))
def test_r_proc_2_decision_while_applicant_withdraws_one_wins(live_putuo, samples, repeat):
    app = sign_sample(samples["health-elderly"])
    reviewer, clerk = User.objects.get(username="reviewer_D020"), User.objects.get(username="clerk_D030")
    results = race(
        lambda: services.decide(User.objects.get(pk=reviewer.pk), Application.objects.get(pk=app.pk), decision="approve"),
        lambda: intake.withdraw_application(User.objects.get(pk=clerk.pk), Application.objects.get(pk=app.pk)),
    )
    assert sorted(r[0] for r in results) == ["ok", "refused"], (connection.vendor, results)
    app.refresh_from_db()
    decided = Decision.objects.filter(application_id=app.pk).exists()
    if results[0][0] == "ok":
        assert app.status == Status.APPROVED and decided
        assert "不能撤回" in results[1][1].message
    else:
        assert app.status == Status.WITHDRAWN and not decided
        assert "撤回" in results[0][1].message and results[0][1].status == 409
    assert verify_chain() == []
