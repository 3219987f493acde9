"""A finalised decision keeps the registry entry it published (and so its certificate). Decisions
published before this field: the entry of the same institution, program and validity, latest first,
not yet claimed by another decision."""

import django.db.models.deletion
from django.db import migrations, models


def link_published(apps, schema_editor):
    Decision = apps.get_model("decisions", "Decision")
    RegistryEntry = apps.get_model("registry", "RegistryEntry")
    taken = set()
    decisions = Decision.objects.filter(published=True, registry_entry__isnull=True).select_related(
        "application__institution", "application__program_version"
    )
    for decision in decisions.order_by("pk"):
        application = decision.application
        candidates = RegistryEntry.objects.filter(
            institution_id=application.institution_id,
            program_id=application.program_version.program_id,
            published_at__isnull=False,
        )
        if decision.valid_from is not None and decision.valid_until is not None:  # a pass
            candidates = candidates.filter(valid_from=decision.valid_from, valid_until=decision.valid_until)
        else:  # a published fail: no end
            candidates = candidates.filter(valid_until__isnull=True)
        entry = candidates.exclude(pk__in=taken).order_by("-pk").first()
        if entry is not None:
            taken.add(entry.pk)
            decision.registry_entry_id = entry.pk
            decision.save(update_fields=["registry_entry"])


class Migration(migrations.Migration):
    dependencies = [
        ("decisions", "0002_item_and_decision_version"),
        ("registry", "0003_bounded_free_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="decision",
            name="registry_entry",
            field=models.OneToOneField(
                blank=True,
                help_text="the registry entry the finalisation published (its certificate, for a pass)",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.registryentry",
                verbose_name="評鑑結果公告",
            ),
        ),
        migrations.RunPython(link_published, migrations.RunPython.noop),
    ]
