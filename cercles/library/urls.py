from django.urls import path

from .views import items, legacy, productions

app_name = "library"

LIBRARY = "communities/<slug:slug>/library/"
PRODUCTIONS = "communities/<slug:slug>/productions/"

urlpatterns = [
    path("library/", productions.network_library, name="network_library"),
    path("library/legacy/", legacy.legacy_list, name="legacy_list"),
    path("library/legacy/<slug:slug>/", legacy.legacy_detail, name="legacy"),
    path(
        "library/legacy/<slug:slug>/files/<int:item_id>/",
        legacy.legacy_download,
        name="legacy_download",
    ),
    path(
        "library/legacy/<slug:slug>/productions/<int:production_id>/",
        legacy.legacy_production_download,
        name="legacy_production_download",
    ),
    path(LIBRARY, items.item_list, name="item_list"),
    path(f"{LIBRARY}notes/new/", items.add_note, name="add_note"),
    path(f"{LIBRARY}files/new/", items.add_file, name="add_file"),
    path(f"{LIBRARY}links/new/", items.add_link, name="add_link"),
    path(f"{LIBRARY}<int:item_id>/", items.item_detail, name="item_detail"),
    path(f"{LIBRARY}<int:item_id>/edit/", items.edit_item, name="edit_item"),
    path(f"{LIBRARY}<int:item_id>/delete/", items.delete_item, name="delete_item"),
    path(f"{LIBRARY}<int:item_id>/legacy/", items.choose_legacy, name="choose_legacy"),
    path(f"{LIBRARY}<int:item_id>/share/", items.share_item, name="share_item"),
    path(f"{LIBRARY}files/<int:file_id>/download/", items.download_file, name="download_file"),
    path(f"{LIBRARY}notes/<int:note_id>/history/", items.note_history, name="note_history"),
    path(
        f"{LIBRARY}notes/<int:note_id>/history/<int:number>/",
        items.note_revision,
        name="note_revision",
    ),
    path(PRODUCTIONS, productions.production_list, name="production_list"),
    path(f"{PRODUCTIONS}new/", productions.add_production, name="add_production"),
    path(
        f"{PRODUCTIONS}<int:production_id>/",
        productions.production_detail,
        name="production_detail",
    ),
    path(
        f"{PRODUCTIONS}<int:production_id>/edit/",
        productions.edit_production,
        name="edit_production",
    ),
    path(
        f"{PRODUCTIONS}<int:production_id>/deliver/",
        productions.deliver_production,
        name="deliver_production",
    ),
    path(
        f"{PRODUCTIONS}<int:production_id>/share/",
        productions.share_production,
        name="share_production",
    ),
    path(
        f"{PRODUCTIONS}<int:production_id>/delete/",
        productions.delete_production,
        name="delete_production",
    ),
    path(
        f"{PRODUCTIONS}<int:production_id>/download/",
        productions.download_production,
        name="download_production",
    ),
]
