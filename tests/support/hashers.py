"""A hasher that counts its work, so tests can see that unknown accounts still cost a hash."""

from accounts.hashers import TunedArgon2PasswordHasher


class CountingArgon2PasswordHasher(TunedArgon2PasswordHasher):
    """The production hasher, counting every hash it computes (``encode`` and ``verify``)."""

    computed = 0

    def encode(self, password, salt):
        type(self).computed += 1
        return super().encode(password, salt)

    def verify(self, password, encoded):
        type(self).computed += 1
        return super().verify(password, encoded)
