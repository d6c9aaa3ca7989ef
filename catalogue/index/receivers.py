"""The receivers that mark practices stale after any write to what their rows are made from.

Saves (`pre_save` reads the declared fields as stored, `post_save` compares),
deletes (`pre_delete`, before the rows that lead to the practices go),
many-to-many changes of a practice's topics and funding sources, and
`QuerySet.update()` / `bulk_create()` through `core.signals`.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from catalogue.index.refresh import mark_stale
from catalogue.index.sources import SOURCES, SOURCES_BY_MODEL, Source
from core.signals import post_bulk_create, post_update, pre_update


def _affected(model, source: Source, pks: list, *, using: str) -> set[int]:
    """Practice ids the rows `pks` of `model` reach, as the database has them now."""
    if not pks:
        return set()
    found: set[int] = set()
    for path in source.to_practices:
        if path == "pk":
            found.update(pks)
            continue
        rows = model._base_manager.using(using).filter(pk__in=pks).values_list(path, flat=True)
        found.update(pk for pk in rows if pk is not None)
    return found


def _declared_values(instance, source: Source) -> dict:
    meta = instance._meta
    return {name: getattr(instance, meta.get_field(name).attname) for name in source.fields}


def _on_pre_save(sender, instance, raw=False, update_fields=None, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    instance._catalogue_before = None
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(source.fields):
        return
    columns = [sender._meta.get_field(name).attname for name in source.fields]
    stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*columns).first()
    if stored is None:
        return
    before = {name: stored[sender._meta.get_field(name).attname] for name in source.fields}
    if before != _declared_values(instance, source):
        # What the row reached before the write (a partner moved to another practice
        # leaves the first one stale too).
        instance._catalogue_before = _affected(sender, source, [instance.pk], using=using)


def _on_post_save(sender, instance, created, raw=False, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    before = getattr(instance, "_catalogue_before", None)
    instance._catalogue_before = None
    if raw or not (created or before is not None):
        return
    mark_stale(
        (before or set()) | _affected(sender, source, [instance.pk], using=using), using=using
    )


def _on_pre_delete(sender, instance, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    mark_stale(_affected(sender, source, [instance.pk], using=using), using=using)


def _on_pre_update(sender, pks, fields, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    if set(fields) & {*source.fields, *_attnames(sender, source)}:
        mark_stale(_affected(sender, source, pks, using=using), using=using)


def _on_post_update(sender, pks, fields, using="default", **kwargs):
    _on_pre_update(sender, pks, fields, using=using)


def _on_post_bulk_create(sender, pks, using="default", **kwargs):
    source = SOURCES_BY_MODEL[sender._meta.label]
    mark_stale(_affected(sender, source, pks, using=using), using=using)


def _attnames(model, source: Source) -> list[str]:
    return [model._meta.get_field(name).attname for name in source.fields]


def _on_m2m_changed(sender, instance, action, reverse, model, pk_set, using="default", **kwargs):
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    if not reverse:
        if action != "pre_clear":
            mark_stale([instance.pk], using=using)
        return
    # From the other side (topic.practices.add(…)): the practices are the pks.
    if action == "pre_clear":
        link = sender._meta
        to_practice = next(
            f.attname for f in link.fields if f.related_model is model and f.is_relation
        )
        from_other = next(
            f.attname
            for f in link.fields
            if f.is_relation and f.related_model is type(instance) and f.attname != to_practice
        )
        mark_stale(
            sender._base_manager.using(using)
            .filter(**{from_other: instance.pk})
            .values_list(to_practice, flat=True),
            using=using,
        )
    elif action != "post_clear":
        mark_stale(pk_set or (), using=using)


def connect_receivers() -> None:
    """Watch every write to what the rows are made from (called once, by the app's ready())."""
    for source in SOURCES:
        model = apps.get_model(source.model)
        uid = f"catalogue.index:{source.model}"
        pre_save.connect(_on_pre_save, sender=model, dispatch_uid=uid)
        post_save.connect(_on_post_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_on_pre_delete, sender=model, dispatch_uid=uid)
        pre_update.connect(_on_pre_update, sender=model, dispatch_uid=uid)
        post_update.connect(_on_post_update, sender=model, dispatch_uid=uid)
        post_bulk_create.connect(_on_post_bulk_create, sender=model, dispatch_uid=uid)
        for name in source.m2m:
            through = model._meta.get_field(name).remote_field.through
            m2m_changed.connect(_on_m2m_changed, sender=through, dispatch_uid=f"{uid}.{name}")
