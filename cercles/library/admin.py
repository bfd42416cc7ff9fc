from django.contrib import admin

from .models import Item, NoteRevision, Production, Tag


class NoteRevisionInline(admin.TabularInline):
    model = NoteRevision
    fields = ["number", "title", "author", "comment", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "community", "author", "keep_in_legacy", "updated_at"]
    list_filter = ["kind", "keep_in_legacy"]
    search_fields = ["title", "community__title"]
    raw_id_fields = ["community", "author"]
    filter_horizontal = ["tags"]
    inlines = [NoteRevisionInline]


@admin.register(Production)
class ProductionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "community", "due_date", "delivered_at"]
    list_filter = ["status", "kind", "audience"]
    search_fields = ["title", "community__title"]
    raw_id_fields = ["community", "author"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "community"]
    search_fields = ["name", "community__title"]
    raw_id_fields = ["community"]
