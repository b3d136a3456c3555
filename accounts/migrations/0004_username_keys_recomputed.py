"""Recompute every username key: small capitals and marked look-alikes now read as Latin letters.

Login looks an account up by the key of what is typed, so stored keys must follow the function
that makes them (``accounts.identifiers.username_key``). Data only; no schema change.
"""

from django.db import migrations

BATCH = 1000


def recompute_username_keys(apps, schema_editor):
    from accounts.identifiers import username_key

    User = apps.get_model("accounts", "User")
    changed = []
    for user in User.objects.only("id", "username", "username_key").iterator(chunk_size=BATCH):
        key = username_key(user.username)
        if key != user.username_key:
            user.username_key = key
            changed.append(user)
    User.objects.bulk_update(changed, ["username_key"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_revoked_token_family")]

    operations = [migrations.RunPython(recompute_username_keys, migrations.RunPython.noop, elidable=True)]
