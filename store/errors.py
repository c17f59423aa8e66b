"""Store failures with messages a user can act on."""


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do."""


class StoreLockedError(StoreError):
    """Another process holds the store file."""


class StoreDamagedError(StoreError):
    """The file is not a DuckDB database we can read; it is never overwritten."""


class StoreTooNewError(StoreError):
    """The file was written by a newer version of the cockpit."""


class StoreConflictError(StoreError):
    """The store changed since an upload was checked, so that it no longer fits."""


class StoreBusyError(StoreError):
    """Other writers kept committing while this write retried; nothing was written."""


class StoreUnavailableError(StoreError):
    """The catalog cannot be reached, refused the credentials, or stopped answering."""
