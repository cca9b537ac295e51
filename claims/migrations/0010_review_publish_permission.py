"""Publishing a review needs a permission of its own (`claims.publish_review`), as publishing a
claim does; the Editors group (migration 0005) gets it. The codename and the group's name are
frozen here."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUP_NAME = "Editors"
CODENAME = "publish_review"


def give_editors_the_permission(apps, schema_editor):
    db = schema_editor.connection.alias
    # Permissions are created in post_migrate, after every migration of a `migrate` run: on a
    # fresh database this one does not exist yet (see 0005).
    create_permissions(global_apps.get_app_config("claims"), verbosity=0, using=db, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.using(db).get(
        content_type__app_label="claims", content_type__model="review", codename=CODENAME
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
        ("claims", "0009_dates_not_in_future"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="review",
            options={
                "ordering": [
                    models.OrderBy(models.F("published_on"), descending=True, nulls_last=True),
                    "-id",
                ],
                "permissions": [("publish_review", "Can publish and unpublish reviews")],
            },
        ),
        migrations.RunPython(give_editors_the_permission, take_it_back),
    ]
