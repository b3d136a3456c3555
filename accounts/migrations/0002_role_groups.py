"""Create the groups that mirror the access matrix (see accounts.groups)."""

from django.db import migrations

from accounts.groups import role_groups_sync


def create_role_groups(apps, schema_editor):
    role_groups_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("moderation", "0001_initial"),
        ("adminlogs", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
