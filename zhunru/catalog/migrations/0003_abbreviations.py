from django.db import migrations

# R-LOOK-1: common short forms (a copy of catalog.rules.BUILTIN_ABBREVIATIONS at the time), so the
# admin shows them to edit; the rows override the built-in table.
DEFAULTS = [
    ("加梯", "加装电梯"),
    ("反诈", "反电信网络诈骗"),
    ("垃分", "垃圾分类"),
    ("征兵", "兵役"),
    ("低保", "最低生活保障"),
    ("医保", "医疗保险"),
    ("社保", "社会保险"),
    ("创城", "文明城区创建"),
    ("双拥", "拥军优属"),
    ("人普", "人口普查"),
    ("防汛", "防汛防台"),
    ("禁毒", "禁毒宣传"),
    ("老旧小区", "旧住房更新改造"),
]


def seed(apps, schema_editor):
    Abbreviation = apps.get_model("catalog", "Abbreviation")
    for short, full in DEFAULTS:
        Abbreviation.objects.get_or_create(short=short, defaults={"full": full})


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_plan_list")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
