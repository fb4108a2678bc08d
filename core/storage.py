"""Where files of personal data wait: ``storages["private"]`` (settings.STORAGES).

On one host, a folder only the server's user can read; on several, any storage they share, named
in the settings. Code reaches these files through Django's storage API only, never through a path.
"""

import os

from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used (and again after the settings change, as
    ``default_storage`` is): a FileField keeps the storage it was given when its model was defined."""

    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    """The storage of files of personal data (a callable, as a FileField's migration needs)."""
    return _private


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder readable by the server's user only: files 0600, folders 0700, the top folder too
    (made private again before each file, in case an older version or a person made it 0755)."""

    def __init__(self, **options):
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)

    def _save(self, name, content):
        os.makedirs(self.location, mode=0o700, exist_ok=True)
        os.chmod(self.location, 0o700)
        return super()._save(name, content)
