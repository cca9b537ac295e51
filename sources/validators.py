"""Validators and slug helpers shared by both apps (`claims` imports these; never the reverse)."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

# The patterns are also used by check constraints, so the database enforces the same rule.
COUNTRY_CODE_PATTERN = r"^[A-Z]{2}$"
LANGUAGE_TAG_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"
WIKIDATA_ID_PATTERN = r"^Q[1-9][0-9]*$"

validate_country_code = RegexValidator(
    COUNTRY_CODE_PATTERN,
    "Enter an ISO 3166-1 alpha-2 country code in capitals, e.g. GB.",
    code="invalid_country",
)
validate_language_tag = RegexValidator(
    LANGUAGE_TAG_PATTERN,
    "Enter a BCP-47 language tag, e.g. en, pt-BR or zh-Hant.",
    code="invalid_language",
)
validate_wikidata_id = RegexValidator(
    WIKIDATA_ID_PATTERN,
    "Enter a Wikidata item id: Q followed by digits, e.g. Q7747.",
    code="invalid_wikidata_id",
)
_http_url = URLValidator(schemes=["http", "https"], message="Enter an http(s) URL.")


def validate_http_url(value: str) -> None:
    """Only http(s) links. A function, not a URLValidator: DRF drops URLValidator instances
    from model fields in favour of its own, which accepts ftp."""
    _http_url(value)


# api.serializers drops DRF's own URL check from a field this validates: it would repeat the
# message in other words.
validate_http_url.checks_url = True


def validate_not_in_future(value: datetime.date) -> None:
    """The day something was said or published has happened: no later than tomorrow (UTC),
    a day's slack for places whose date is already ahead."""
    latest = timezone.now().date() + datetime.timedelta(days=1)
    if value > latest:
        raise ValidationError(
            "Enter a date that is not in the future (at the latest %(latest)s).",
            code="future_date",
            params={"latest": latest.isoformat()},
        )


def unique_slug(model: type[models.Model], name: str, *, field: str = "slug") -> str:
    """A slug for `name` that no row of `model` holds yet: `nato`, then `nato-2`, `nato-3`…

    Non-Latin names keep their letters (`владимир-путин`) instead of collapsing to nothing.
    """
    max_length = model._meta.get_field(field).max_length
    base = slugify(name, allow_unicode=True)[: max_length - 6].strip("-") or "item"
    candidate, n = base, 1
    while model._default_manager.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


MAX_ALIASES = 20


def validate_aliases(value) -> None:
    """Other names of a speaker: a list of at most MAX_ALIASES different non-empty strings of
    at most 200 characters."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError("Give a list of names.", code="invalid_aliases")
    if len(value) > MAX_ALIASES:
        raise ValidationError(f"Give at most {MAX_ALIASES} aliases.", code="too_many_aliases")
    for item in value:
        if not item.strip() or len(item) > 200 or "\x00" in item:
            raise ValidationError(
                "Each alias is a name of 1 to 200 characters.", code="invalid_alias"
            )
    if len({item.strip().casefold() for item in value}) != len(value):
        raise ValidationError("Each alias is given once.", code="duplicate_alias")
