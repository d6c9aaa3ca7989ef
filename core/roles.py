"""The staff roles as Django groups: Editors, Jury, Administrators.

`roles_sync()` creates the groups and sets their permissions to exactly these
lists; it runs after every `migrate` (post_migrate) and from the `setup_roles`
command, so a fresh database always has the roles. A person gets a role by
being put in the group (and, to use the admin, by having "staff status").

What each role may do is also enforced object by object where it matters: a
jury member sees only the editions they sit on (competitions app).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS = "Redaktorzy"
JURY = "Jury"
ADMINISTRATORS = "Administratorzy"

# app label → model → actions ("view", "add", "change", "delete" or a custom codename)
EDITOR_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "practices": {
        "practice": ["view", "add", "change", "publish_practice", "import_practice"],
        "submission": ["view", "change"],
        "partnership": ["view", "add", "change", "delete"],
        "practicelink": ["view", "add", "change", "delete"],
        "practiceattachment": ["view", "add", "change", "delete"],
        "practicestatuschange": ["view"],
        "topic": ["view", "add", "change"],
        "fundingsource": ["view", "add", "change"],
        "practicetype": ["view", "change"],
    },
    "organisations": {
        "organisation": ["view", "add", "change", "publish_organisation"],
        "membership": ["view", "add", "change", "delete"],
    },
}

JURY_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "competitions": {
        "edition": ["view"],
        "category": ["view"],
        "entry": ["view"],
        "criterion": ["view"],
    },
}


def _permissions(spec: dict[str, dict[str, list[str]]]) -> list[Permission]:
    condition = Q(pk__in=[])
    for app_label, models in spec.items():
        for model, actions in models.items():
            codenames = [a if "_" in a else f"{a}_{model}" for a in actions]
            condition |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=codenames,
            )
    return list(Permission.objects.filter(condition))


def role_emails(group: str) -> set[str]:
    """The e-mail addresses of the active people in a role: whom a new submission or
    entry is announced to."""
    from django.contrib.auth import get_user_model

    return set(
        get_user_model()
        .objects.filter(groups__name=group, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def roles_sync() -> dict[str, int]:
    """Create the three groups and give each exactly its permissions; returns the counts."""
    counts = {}
    for name, permissions in (
        (EDITORS, _permissions(EDITOR_PERMISSIONS)),
        (JURY, _permissions(JURY_PERMISSIONS)),
        (ADMINISTRATORS, list(Permission.objects.all())),
    ):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts
