"""A cache that can never show a stale figure: results are keyed by the version of the data they were computed
from, and the database itself moves that version on every write.

Each watched app (settings.DATA_VERSION_APPS) is one "domain" with one counter row (provinces.DataVersion).
A trigger on every table of the app bumps the counter in the same transaction as the write, so:

- no write path can forget it: the services' saves, queryset ``update()``/``delete()``, ``bulk_create``, imports,
  the admin, the national data generator and raw SQL alike;
- the new version becomes visible exactly when the data does (it commits with it), and a reader that read the
  old version computed from data at least that old;
- a bump draws a new random 63-bit number rather than counting up, so neither a rolled-back write nor a
  reset table can ever bring back the number of an old cache entry.

``cached(name, domains=..., parts=..., compute=...)`` reads the versions (one query), and computes and stores
the result only when that key is new. Cached results are viewer-independent; callers apply the viewer's scope
after. The cache timeout only frees memory: correctness never depends on it.
"""

import functools
import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import get_language

TABLE = "provinces_dataversion"
TRIGGER = "data_version"
CACHE_SECONDS = 24 * 3600
_MISSING = object()


def watched_apps() -> list[str]:
    return list(settings.DATA_VERSION_APPS)


def watched_tables() -> dict[str, str]:
    """table → domain, for every table of the watched apps (history and many-to-many tables included)."""
    tables = {}
    for label in watched_apps():
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and meta.db_table != TABLE:
                tables[meta.db_table] = label
    return tables


_PG_RANDOM = "floor(random() * 9.2e18)::bigint"

# Table and app names come from the models and settings, never from input (hence the noqa: S608 below).
_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {TABLE} (domain, version) VALUES (TG_ARGV[0], {_PG_RANDOM})
    ON CONFLICT (domain) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
"""  # noqa: S608

_SQLITE_RANDOM = "(random() & 9223372036854775807)"


def _sqlite_trigger(table: str, domain: str, event: str) -> str:
    return (
        f'CREATE TRIGGER "{TRIGGER}_{table}_{event.lower()}" AFTER {event} ON "{table}" BEGIN '  # noqa: S608
        f"INSERT INTO {TABLE} (domain, version) VALUES ('{domain}', {_SQLITE_RANDOM}) "
        "ON CONFLICT (domain) DO UPDATE SET version = excluded.version; END"
    )


def install_triggers(using: str = DEFAULT_DB_ALIAS, **_kwargs: Any) -> None:
    """Create (or replace) the triggers on every watched table, then bump every domain once: data written
    before the triggers existed (migrations, a restore) counts as a change. Idempotent; run after migrate."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = {t: d for t, d in watched_tables().items() if t in existing}
    if TABLE not in existing:
        return  # provinces not migrated yet on this database
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
            for table, domain in tables.items():
                cursor.execute(
                    f'CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}_bump('{domain}')"
                )
        elif connection.vendor == "sqlite":
            for table, domain in tables.items():
                for event in ("INSERT", "UPDATE", "DELETE"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{TRIGGER}_{table}_{event.lower()}"')
                    cursor.execute(_sqlite_trigger(table, domain, event))
        else:  # pragma: no cover - the product runs on PostgreSQL and SQLite only
            raise NotImplementedError(connection.vendor)
    bump(*watched_apps(), using=using)


_BUMP = {
    vendor: f"INSERT INTO {TABLE} (domain, version) VALUES (%s, {random}) "  # noqa: S608
    "ON CONFLICT (domain) DO UPDATE SET version = excluded.version"
    for vendor, random in (("postgresql", _PG_RANDOM), ("sqlite", _SQLITE_RANDOM))
}


def bump(*names: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Move these domains' versions by hand, as the triggers do on every write to their tables."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(_BUMP[connection.vendor], [name])


def versions(names: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> tuple[int, ...]:
    """The current version of each domain, in the order given (0 for one never written). One query."""
    from .models import DataVersion

    wanted = list(names)
    found = dict(DataVersion.objects.using(using).filter(domain__in=wanted).values_list("domain", "version"))
    return tuple(found.get(name, 0) for name in wanted)


@functools.cache
def code_version() -> str:
    """A fingerprint of the code and translations that cached results are drawn with: a new release (or an
    edited chart in development) must not be served an SVG or a summary the old code computed, even before
    anything bumps the data. Read once per process."""
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for folder in sorted(root.iterdir()):
        if (
            not folder.is_dir()
            or folder.name.startswith(".")
            or folder.name in ("node_modules", "var", "tests")
        ):
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".po"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(name: str, stamp: tuple[int, ...], parts: Sequence[Any]) -> str:
    # The language too: cached results carry localised names and labels.
    digest = hashlib.sha256(repr((code_version(), stamp, get_language(), tuple(parts))).encode()).hexdigest()[
        :32
    ]
    return f"dv:{name}:{digest}"


def cached[T](name: str, *, domains: Sequence[str], compute: Callable[[], T], parts: Sequence[Any] = ()) -> T:
    """``compute()``'s result for the current versions of ``domains`` (and these ``parts``: the arguments it
    depends on), from the cache when an earlier call computed it from the same data."""
    key = cache_key(name, versions(domains), parts)
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
