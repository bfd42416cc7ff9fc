"""The registry of searchable kinds.

Each kind says which model it reads, how one object becomes a document (title, text, date,
address, community and who may read it beyond the community's readers), and which rows of the
index a person may read, as a filter on `SearchEntry` (`visible(user) -> Q`). Apps added later
(surveys, season reviews, stories, reports…) register their own kinds with `register()`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Q


@dataclass
class Document:
    title: str
    text: str
    url: str
    date: Any
    community_id: int | None = None
    public_when_published: bool = False
    legacy: bool = False
    shared_with: str = ""


@dataclass
class SearchKind:
    key: str
    label: Any  # plural, shown as the heading of a group of results
    model: str  # "app_label.ModelName"
    document: Callable[[Any], Document | None]  # None: this object is not searchable now
    visible: Callable[[Any], Q]  # which index rows of this kind the person may read
    queryset: Callable[[], Any] | None = None  # the objects to (re)index, with their relations
    # For a model that gives several kinds (threads and co-development sessions): whether this
    # object belongs to this kind.
    applies: Callable[[Any], bool] = lambda obj: True
    order: int = 100
    # Objects whose documents include this one's fields: {"app.Model": fn(obj) -> objects}.
    dependents: dict = field(default_factory=dict)

    def get_model(self):
        return apps.get_model(self.model)

    def objects(self):
        return self.queryset() if self.queryset else self.get_model()._default_manager.all()


_KINDS: dict[str, SearchKind] = {}


def register(kind):
    _KINDS[kind.key] = kind
    return kind


def unregister(key):
    _KINDS.pop(key, None)


def all_kinds():
    return sorted(_KINDS.values(), key=lambda k: (k.order, k.key))


def get(key):
    return _KINDS.get(key)


def kinds_for_model(model):
    label = model._meta.label
    return [k for k in all_kinds() if k.model == label]
