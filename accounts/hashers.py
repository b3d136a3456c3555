from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's first recommended setting: 19 MiB of memory, 2 passes, 1 lane.

    One lane keeps a login on one core, so a 2-core server verifies two logins at once, and the
    memory bound keeps a burst of logins inside a small worker. Hashes made with other
    parameters (Django's defaults, or PBKDF2) are rehashed on the next successful login.
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
