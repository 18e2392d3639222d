from django.db import migrations

ROLES = {
    "applicant": "申请部门经办人",
    "applicant_head": "申请部门主要负责人",
    "reviewer": "准入审核人（区民政局）",
    "review_unit": "审核单位",
    "street": "街镇统筹人员",
    "committee": "居村委会工作人员",
    "supervisor": "监督检查人员",
    "discipline": "区纪委监委",
    "admin": "系统管理员",
}


def add_roles(apps, schema_editor):
    Role = apps.get_model("orgs", "Role")
    for code, name in ROLES.items():
        Role.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
