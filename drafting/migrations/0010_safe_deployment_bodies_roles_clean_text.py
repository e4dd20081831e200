"""The five ITU bodies and the four roles exist after ``migrate``; stored text holds nothing Word refuses.

A real installation (no demo) could not import its first resolution: no body
existed. Text stored before every save was checked may hold control characters
that made every Word export of it fail: they are made line breaks (vertical tab,
form feed, carriage return) or left out, as the check now does on the way in.
"""

import re

from django.db import migrations, models

BODIES = [
    ("WTSA", "World Telecommunication Standardization Assembly"),
    ("WTDC", "World Telecommunication Development Conference"),
    ("PP", "Plenipotentiary Conference"),
    ("RA", "Radiocommunication Assembly"),
    ("Council", "ITU Council"),
]
ROLES = ["Delegates", "Coordinators", "Secretariat", "Observers"]

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def create_bodies_and_roles(apps, schema_editor):
    Body = apps.get_model("drafting", "Body")
    Group = apps.get_model("auth", "Group")
    for order, (code, name) in enumerate(BODIES):
        if not Body.objects.filter(code__iexact=code).exists():
            Body.objects.create(code=code, name=name, sort_order=order)
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def clean_stored_text(apps, schema_editor):
    for model in apps.get_app_config("drafting").get_models():
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.CharField | models.TextField)
        ]
        if not fields:
            continue
        for row in model.objects.values_list("pk", *fields).iterator():
            pk, values = row[0], dict(zip(fields, row[1:], strict=True))
            changed = {
                name: _FORBIDDEN.sub("", _LINE_BREAKS.sub("\n", value))
                for name, value in values.items()
                if isinstance(value, str) and (_LINE_BREAKS.search(value) or _FORBIDDEN.search(value))
            }
            if changed:
                model.objects.filter(pk=pk).update(**changed)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("drafting", "0009_word_footnotes_everywhere"),
    ]

    operations = [
        migrations.RunPython(create_bodies_and_roles, migrations.RunPython.noop),
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop),
    ]
