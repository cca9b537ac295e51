"""Rebuttals get a status (draft → in review → published) and their publish permission
(`claims.publish_rebuttal`, given to the Editors group, as 0005 and 0010 give theirs);
publishing a claim that was never in review gets a permission of its own
(`claims.publish_unreviewed_claim`, given to no group).

Rebuttals on file were public whenever their claim was: they, and their history's versions,
become published, so that nothing public so far disappears. New rebuttals start as drafts.
The codenames and the group's name are frozen here."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP_NAME = "Editors"
CODENAME = "publish_rebuttal"


def publish_rebuttals_on_file(apps, schema_editor):
    db = schema_editor.connection.alias
    for name in ("Rebuttal", "HistoricalRebuttal"):
        apps.get_model("claims", name).objects.using(db).update(status="published")


def give_editors_the_permission(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are created in post_migrate, after every migration of a `migrate` run: on a
    # fresh database this one does not exist yet (see 0005).
    create_permissions(global_apps.get_app_config("claims"), verbosity=0, using=db, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.using(db).get(
        content_type__app_label="claims", content_type__model="rebuttal", codename=CODENAME
    )
    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.add(permission)


def take_it_back(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for group in Group.objects.using(db).filter(name=GROUP_NAME):
        group.permissions.remove(*Permission.objects.using(db).filter(codename=CODENAME))


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("claims", "0011_review_title_date_modified"),
        ("sources", "0005_published_on_not_in_future"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="claim",
            options={
                "ordering": [
                    models.OrderBy(models.F("stated_on"), descending=True, nulls_last=True),
                    "-id",
                ],
                "permissions": [
                    ("publish_claim", "Can publish and unpublish claims"),
                    ("publish_unreviewed_claim", "Can publish claims that were never in review"),
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="rebuttal",
            options={
                "ordering": [models.OrderBy(models.F("stated_on"), nulls_last=True), "id"],
                "permissions": [("publish_rebuttal", "Can publish and unpublish rebuttals")],
            },
        ),
        migrations.AddField(
            model_name="historicalrebuttal",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="rebuttal",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("in_review", "In review"),
                    ("published", "Published"),
                ],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="rebuttal",
            index=models.Index(fields=["status"], name="rebuttal_status_idx"),
        ),
        migrations.AddConstraint(
            model_name="rebuttal",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["draft", "in_review", "published"])),
                name="rebuttal_status_valid",
            ),
        ),
        migrations.RunPython(publish_rebuttals_on_file, migrations.RunPython.noop),
        migrations.RunPython(give_editors_the_permission, take_it_back),
    ]
