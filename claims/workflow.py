"""The workflow: which status moves exist, and what each needs. The one table.

Claims and rebuttals go draft → in review → published; reviews draft → published. Every move
needs the model's change permission (a record being created: its add permission), and the
permissions the table names beside it: any move into or out of "published" (what anonymous
clients see) needs the model's publish permission, and publishing a claim straight from draft,
without review, needs `claims.publish_unreviewed_claim` besides. A move the table lacks is
refused as bad input (400); a move the user may not make, as forbidden (403).

The status services (claims.services) ask `check_move` for every change of status and every
record created in a state other than draft — for the API, the admin and the imports alike.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

DRAFT, IN_REVIEW, PUBLISHED = "draft", "in_review", "published"

# The moves of a record that goes through review, and what each needs beyond the change
# permission ("{model}": the model's name). Rebuttals follow the claims' rule except that a
# rebuttal, published as the answer to a claim that was reviewed, needs no separate trust.
_REVIEWED = {
    (DRAFT, IN_REVIEW): (),
    (IN_REVIEW, DRAFT): (),
    (IN_REVIEW, PUBLISHED): ("claims.publish_{model}",),
    (PUBLISHED, IN_REVIEW): ("claims.publish_{model}",),
    (PUBLISHED, DRAFT): ("claims.publish_{model}",),
}

TRANSITIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "claim": {
        **_REVIEWED,
        (DRAFT, PUBLISHED): ("claims.publish_{model}", "claims.publish_unreviewed_claim"),
    },
    "rebuttal": {**_REVIEWED, (DRAFT, PUBLISHED): ("claims.publish_{model}",)},
    "review": {
        (DRAFT, PUBLISHED): ("claims.publish_{model}",),
        (PUBLISHED, DRAFT): ("claims.publish_{model}",),
    },
}


def required_permissions(model, current: str, status: str, *, creating: bool = False) -> list:
    """The permissions a move of a `model` row from `current` to `status` needs, the change
    (or, `creating`, the add) permission first; ValidationError when there is no such move."""
    name = model._meta.model_name
    moves = TRANSITIONS[name]
    if (current, status) not in moves:
        labels = dict(model._meta.get_field("status").choices)
        raise ValidationError(
            {
                "status": f"A {model._meta.verbose_name} cannot move from "
                f"“{labels.get(current, current)}” to “{labels.get(status, status)}”."
            }
        )
    base = f"claims.{'add' if creating else 'change'}_{name}"
    return [base, *(permission.format(model=name) for permission in moves[(current, status)])]


def check_move(*, model, current: str, status: str, by, creating: bool = False) -> None:
    """Raise unless `by` may take a `model` row from `current` to `status` (a record created
    in `status` moves from draft): ValidationError for a move the workflow lacks,
    PermissionDenied naming the first permission `by` lacks. Staying put needs nothing."""
    if status == current:
        return
    for permission in required_permissions(model, current, status, creating=creating):
        if not by.has_perm(permission):
            raise PermissionDenied(refusal(model, current, status, permission))


def refusal(model, current: str, status: str, permission: str) -> str:
    name = model._meta.verbose_name
    if permission == "claims.publish_unreviewed_claim":
        return (
            f"Publishing a {name} that was never in review needs the permission {permission}: "
            "send it to review first."
        )
    if permission.startswith("claims.publish_"):
        return f"Publishing or unpublishing a {name} needs the publish permission."
    verb = "Creating" if permission.startswith("claims.add_") else "Changing the status of"
    return f"{verb} a {name} needs the permission {permission}."
