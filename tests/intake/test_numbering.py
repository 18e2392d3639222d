"""R-APP-1: numbers are unique, gapless and assigned at sign-off, also when many heads sign at once."""

import datetime
import threading

import pytest
from django.db import connection

from tests.conftest import body_of, user
from zhunru.intake import services
from zhunru.intake.models import Application, NumberCounter, Status


def _ready_applications(sample, n):
    clerk = user("clerk_D030")
    apps = []
    for _ in range(n):
        app = services.create_application(clerk, body_of(sample))
        apps.append(services.submit_application(clerk, app))
    return apps


@pytest.mark.django_db(transaction=True)
def test_r_app_1_twenty_concurrent_signoffs_get_twenty_gapless_numbers(putuo, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)
    apps = _ready_applications(samples["health-elderly"], 20)
    head = user("head_D030")
    barrier = threading.Barrier(len(apps))
    failures = []

    def sign(app):
        try:
            barrier.wait()
            services.sign_application(head, app)
        except Exception as exc:  # noqa: BLE001 - the test reports any failure, "database is locked" included
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert failures == []
    numbers = list(Application.objects.filter(pk__in=[a.pk for a in apps]).values_list("number_seq", "number", "status"))
    assert sorted(seq for seq, _, _ in numbers) == list(range(1, 21))
    assert len({n for _, n, _ in numbers}) == 20
    assert {s for _, _, s in numbers} == {Status.SUBMITTED}
    assert NumberCounter.objects.get(district=putuo, year=2025).last == 20
    assert "普准申〔2025〕20号" in {n for _, n, _ in numbers}


@pytest.mark.django_db
def test_r_app_1_number_kept_after_withdrawal_and_never_reused(putuo, samples, settings):
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)
    first, second = _ready_applications(samples["health-elderly"], 2)
    head, clerk = user("head_D030"), user("clerk_D030")
    first = services.sign_application(head, first)
    assert first.number == "普准申〔2025〕1号"
    services.withdraw_application(clerk, first)
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN and first.number == "普准申〔2025〕1号"
    second = services.sign_application(head, second)
    assert second.number == "普准申〔2025〕2号"


@pytest.mark.django_db
def test_r_app_1_pattern_is_configurable(putuo, samples, settings):
    from zhunru.intake.context import district_settings

    conf = district_settings(putuo)
    conf.number_pattern = "普民准〔{year}〕第{seq}号"
    conf.save()
    settings.ZHUNRU_TODAY = datetime.date(2025, 10, 20)
    (app,) = _ready_applications(samples["health-elderly"], 1)
    assert services.sign_application(user("head_D030"), app).number == "普民准〔2025〕第1号"
