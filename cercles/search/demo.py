"""The demo's search index: every kind indexed, including what the other demos wrote in bulk
or changed with queryset updates (which no signal reports)."""

from . import kinds
from .indexing import reindex


def seed(stdout):
    total = sum(reindex(kind) for kind in kinds.all_kinds())
    stdout.write(f"  search: {total} things indexed")
