"""Create the "Editors" group: everything an editor of the fact-checking desk needs, nothing more.

Editors add, change, delete and view speakers, topics, claims, appearances, rebuttals, reviews,
outlets and sources, and publish or unpublish claims. They get no permission on users, groups or
anything else, so they cannot administer accounts.

The permission list is frozen here on purpose: a later change to what editors may do is a new
migration, not an edit of this one.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP_NAME = "Editors"
EDITED_MODELS = {
    "claims": ["speaker", "topic", "claim", "appearance", "rebuttal", "review"],
    "sources": ["outlet", "source"],
}
ACTIONS = ["add", "change", "delete", "view"]
EXTRA_PERMISSIONS = [("claims", "claim", "publish_claim")]


def editor_permissions():
    """(app_label, model, codename) of every permission the group holds."""
    for app_label, models in EDITED_MODELS.items():
        for model in models:
            for action in ACTIONS:
                yield app_label, model, f"{action}_{model}"
    yield from EXTRA_PERMISSIONS


def create_editors_group(apps, schema_editor):
    db = schema_editor.connection.alias
    # Django creates content types and permissions in post_migrate, i.e. after *all* migrations
    # of a `migrate` run: on a fresh database they do not exist yet. Create them now (idempotent;
    # post_migrate later finds them). create_permissions() reads the models from this migration's
    # state through `apps`; the global app config only tells it that the app has models.
    for app_label in EDITED_MODELS:
        create_permissions(
            global_apps.get_app_config(app_label), verbosity=0, using=db, apps=apps
        )

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = list(editor_permissions())
    match = Q(pk__in=[])
    for app_label, model, codename in wanted:
        match |= Q(content_type__app_label=app_label, content_type__model=model, codename=codename)
    permissions = list(Permission.objects.using(db).filter(match))
    if len(permissions) != len(wanted):
        found = {(p.content_type.app_label, p.content_type.model, p.codename) for p in permissions}
        raise RuntimeError(f"Permissions missing for the Editors group: {set(wanted) - found}")

    group, _ = Group.objects.using(db).get_or_create(name=GROUP_NAME)
    group.permissions.set(permissions)


def delete_editors_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0003_edit_history_and_versions"),
        ("claims", "0004_claim_publish_permission"),
    ]

    operations = [migrations.RunPython(create_editors_group, delete_editors_group)]
