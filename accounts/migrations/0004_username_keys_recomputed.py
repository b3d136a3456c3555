"""Recompute every username key (``accounts.identifiers.username_key``): the key now depends on
the case-folded name only, and small capitals, marked and Cherokee look-alikes read as Latin.

Login looks an account up by the key of what is typed, so stored keys must follow the function.
Names that the old keys let live side by side can now share a key: the oldest account keeps it,
and each younger one gets a key no name can produce (``#`` is not allowed in usernames), so it
still logs in by email address until an operator renames it; migrate prints which ones.

Two passes, so no row ever holds a key another row is about to give up: unique indexes are
checked row by row, which a swap of two keys in one UPDATE would trip.
"""

from collections import defaultdict

from django.db import migrations

BATCH = 1000
KEY_MAX_LENGTH = 150


def _placeholder(key: str, user_id: int) -> str:
    suffix = f"#{user_id}"
    return key[: KEY_MAX_LENGTH - len(suffix)] + suffix


def recompute_username_keys(apps, schema_editor):
    from accounts.identifiers import username_key

    User = apps.get_model("accounts", "User")
    users = list(User.objects.only("id", "username", "username_key").order_by("id").iterator(chunk_size=BATCH))
    holders = defaultdict(list)
    for user in users:
        holders[username_key(user.username)].append(user)
    final, younger = {}, []
    for key, sharing in holders.items():
        final[sharing[0].pk] = key
        for user in sharing[1:]:
            final[user.pk] = _placeholder(key, user.pk)
            younger.append(user.username)
    changed = [user for user in users if final[user.pk] != user.username_key]
    for user in changed:
        user.username_key = _placeholder("", user.pk)
    User.objects.bulk_update(changed, ["username_key"], batch_size=BATCH)
    for user in changed:
        user.username_key = final[user.pk]
    User.objects.bulk_update(changed, ["username_key"], batch_size=BATCH)
    if younger:
        print(f"\n  accounts.0004: these accounts now look like an older one and log in by email only "
              f"until renamed: {', '.join(sorted(younger))}")  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_revoked_token_family")]

    operations = [migrations.RunPython(recompute_username_keys, migrations.RunPython.noop, elidable=True)]
