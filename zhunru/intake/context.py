"""Builds the rules' CheckContext from the database: a fixed handful of queries."""

import datetime

from zhunru.catalog.queries import district_item_names, municipal_items_by_key
from zhunru.orgs.models import Organisation, OrgKind
from zhunru.workdays.calendar import current_schedule

from .models import DistrictSettings
from .rules import CheckContext


def district_settings(district: Organisation) -> DistrictSettings:
    obj, _ = DistrictSettings.objects.get_or_create(district=district)
    return obj


def _keys(district, kind) -> frozenset[str]:
    rows = Organisation.objects.filter(district=district, kind=kind).values_list("code", "name")
    return frozenset(k for row in rows for k in row)


def build_context(district: Organisation, as_of: datetime.date, verbal_report=None, application_id: int | None = None) -> CheckContext:
    conf = district_settings(district)
    cache: dict[int, dict] = {}

    def municipal_item(year: int, key: str):
        if year not in cache:
            cache[year] = municipal_items_by_key(year)
        item = cache[year].get(key)
        return item.name if item else None

    report = None
    if verbal_report is not None:
        report = {"on": verbal_report.reported_on, "by": verbal_report.reported_by,
                  "channel": verbal_report.channel, "content": verbal_report.content}
    return CheckContext(
        as_of=as_of,
        schedule=current_schedule(),
        window_start=(conf.window_start_month, conf.window_start_day),
        window_end=(conf.window_end_month, conf.window_end_day),
        simplified_notice_days=conf.simplified_notice_days,
        backfill_days=conf.backfill_days,
        municipal_item=municipal_item,
        departments=_keys(district, OrgKind.DEPARTMENT),
        committees=_keys(district, OrgKind.COMMITTEE),
        # R-APP-2 duplicate flag and the adjusts_item lookup: live items of this year's and next year's list.
        district_items=district_item_names(district.pk, (as_of.year, as_of.year + 1), exclude_application=application_id),
        verbal_report=report,
    )
