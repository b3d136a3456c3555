"""The embedded default's shared cache: Django's file cache with an ``add`` as atomic as Redis's.

Revocation state follows one rule (``accounts.revocation``): readers ``add`` what they loaded
from the database, writers ``set`` after their commit, so a slow reader can never put an old
token version back. Django's ``FileBasedCache.add`` checks, then writes: a reader could pass the
check, a console ``ban`` commit and write, and the reader's old version land last, keeping the
banned account's tokens alive for a whole entry lifetime. Here the entry is linked into place,
which fails if another process got there first, like Redis's ``SET NX``.
"""

import os
import tempfile

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()
        path = self._key_to_file(key, version)
        self._cull()
        descriptor, written = tempfile.mkstemp(dir=self._dir)
        try:
            with open(descriptor, "wb") as file:
                self._write_content(file, timeout, value)
            linked = self._link_unless_present(written, path, key, version)
        finally:
            os.remove(written)
        if linked is None:  # a file system without hard links: Django's own add, not atomic
            return super().add(key, value, timeout, version)
        return linked

    def _link_unless_present(self, written: str, path: str, key, version) -> bool | None:
        # Twice: an expired entry in the way is removed by ``has_key``, then the link is tried again.
        for _ in range(2):
            try:
                os.link(written, path)
                return True
            except FileExistsError:
                if self.has_key(key, version):
                    return False
            except OSError:
                return None
        return False
