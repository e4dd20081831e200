"""Counts of failed logins and reset mails (drafting.throttling), why a token ended, and stored text
without the characters now refused at every door: DEL, the C1 controls and the bidirectional controls
(a right-to-left override makes the text shown differ from the text stored), left out as the Word
writer leaves them out."""

import re

from django.db import migrations, models

_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")


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
        ("drafting", "0023_amendable_title"),
    ]

    operations = [
        migrations.CreateModel(
            name="Throttle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.CharField(max_length=200, unique=True)),
                ("count", models.PositiveIntegerField(default=0)),
                ("first_at", models.DateTimeField()),
                ("last_at", models.DateTimeField()),
            ],
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("owner", "revoked by you"),
                    ("password", "ended when your password changed"),
                    ("secretariat", "ended by the secretariat"),
                    ("deactivated", "ended when the account was deactivated"),
                ],
                max_length=12,
            ),
        ),
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop),
    ]
