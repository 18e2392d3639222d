from django.conf import settings
from django.core.management.base import BaseCommand

from zhunru.demo.loader import load_all


class Command(BaseCommand):
    help = "载入演示数据（普陀区组织、市级清单、演示账号、七个示例申请）；可重复运行"

    def handle(self, *args, **options):
        result = load_all()
        db = settings.DATABASES["default"]
        where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE'].rsplit('.', 1)[-1]} {db.get('HOST')}/{db['NAME']}"
        source = "已生成并保存在 var/demo_password" if result["generated"] else "来自环境变量 ZHUNRU_DEMO_PASSWORD"
        self.stdout.write(
            "\n".join([
                "",
                "==== 准入系统演示数据 / Zhunru demo ====",
                f"新建账号 {result['users']} 个，新载入示例申请 {result['samples']} 个",
                f"演示账号密码（所有账号相同，{source}）：{result['password']}",
                "演示账号：",
                "  clerk_D030 / head_D030      区卫生健康委员会 经办人 / 主要负责人（其他部门同理：clerk_<部门编码>）",
                "  reviewer_D020               区民政局 准入审核人",
                "  unit_D001 unit_D003 unit_D015 unit_D021 unit_D023 unit_D040   六家审核单位",
                "  street_S01 … street_S10     街镇统筹人员",
                "  committee_S01C001 …         居村委会工作人员",
                "  supervisor_D001             区委办 监督检查",
                "  discipline_D012             区纪委监委",
                "  admin                       系统管理员（/admin/）",
                f"数据库：{where}",
                f"上传文件：{settings.MEDIA_ROOT}",
                "",
            ])
        )
