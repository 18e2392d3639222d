from django.core.management.base import BaseCommand, CommandError

from zhunru.workdays.calendar import ScheduleFileError, load_schedule_file


class Command(BaseCommand):
    help = "从简单文本文件载入工作日历（每行：日期 班/休 说明；year 2027 表示该年已完整发布）"

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            n = load_schedule_file(path)
        except (ScheduleFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已载入 {n} 个日期")
