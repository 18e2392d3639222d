from django.core.management.base import BaseCommand, CommandError

from zhunru.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志的哈希链，指出第一条被破坏的记录（R-AUD-1）"

    def handle(self, *args, **options):
        breaks = verify_chain()
        if breaks:
            for b in breaks:
                self.stderr.write(f"区 {b.district_id}：第 {b.seq} 条记录（id={b.event_id}）被破坏：{b.reason}")
            raise CommandError("审计日志校验失败")
        self.stdout.write("审计日志完整：哈希链校验通过")
