"""Periodic work, for cron or a systemd timer: idempotent, safe to run many times a day.

    python manage.py zhunru_tick [--date YYYY-MM-DD]

R-PROC-6: one-time items leave the list by themselves the day after their end date.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from zhunru import clock
from zhunru.catalog.services import natural_exits


class Command(BaseCommand):
    help = "定时任务：一次性事项到期后自然退出清单（R-PROC-6）。可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{date}") from exc
        exited = natural_exits(day)
        for item in exited:
            self.stdout.write(f"自然退出：{item.plan_list.year}年 {item.name}（{item.department.name}），退出日期 {item.exited_on}")
        self.stdout.write(f"{day}：{len(exited)} 个事项自然退出")
