from django.db import migrations, models


class Migration(migrations.Migration):
    """An addition can be numbered the ITU way without renumbering what follows (3bis after 3)."""

    dependencies = [
        ("drafting", "0007_citations"),
    ]

    operations = [
        migrations.AddField(
            model_name="amendment",
            name="numbering",
            field=models.CharField(
                blank=True,
                choices=[("", "renumber what follows"), ("bis", "insert as bis, no renumbering")],
                default="",
                help_text="For additions: renumber the items after it, or label it after its predecessor (3bis).",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalamendment",
            name="numbering",
            field=models.CharField(
                blank=True,
                choices=[("", "renumber what follows"), ("bis", "insert as bis, no renumbering")],
                default="",
                help_text="For additions: renumber the items after it, or label it after its predecessor (3bis).",
                max_length=10,
            ),
        ),
    ]
