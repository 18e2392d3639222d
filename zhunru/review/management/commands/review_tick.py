from django.core.management.base import BaseCommand

from zhunru.review.services import settle_silence


class Command(BaseCommand):
    help = "逾期未答复且约定“视为无意见”的邀请，由系统记录为无意见（R-PROC-2）。可重复运行。"

    def handle(self, *args, **options):
        n = settle_silence()
        self.stdout.write(f"已记录 {n} 条“无意见”")
