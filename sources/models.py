from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from api.concurrency import Versioned

from .enums import Medium, OutletKind
from .validators import (
    COUNTRY_CODE_PATTERN,
    LANGUAGE_TAG_PATTERN,
    unique_slug,
    validate_country_code,
    validate_http_url,
    validate_language_tag,
    validate_not_in_future,
)


class Outlet(Versioned):
    """A publisher of sources, or a fact-checking organisation that writes reviews."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, allow_unicode=True, blank=True)
    homepage = models.URLField(max_length=500, blank=True, validators=[validate_http_url])
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country_code],
        help_text="ISO 3166-1 alpha-2 code, e.g. GB.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["kind"], name="outlet_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(country="") | Q(country__regex=COUNTRY_CODE_PATTERN),
                name="outlet_country_iso_alpha2",
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="outlet_slug_not_empty"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if not self.slug and self.name:
            self.slug = unique_slug(Outlet, self.name)


class Source(Versioned):
    """A document in which statements appear: an article, a transcript, a video…"""

    title = models.CharField(max_length=500)
    url = models.URLField(
        max_length=1000,
        blank=True,
        validators=[validate_http_url],
        help_text="Where the source is published; unique when given.",
    )
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="sources"
    )
    authors = models.CharField(max_length=500, blank=True, help_text='e.g. "Adrian Croft"')
    published_on = models.DateField(null=True, blank=True, validators=[validate_not_in_future])
    dateline = models.CharField(max_length=200, blank=True, help_text='e.g. "BRUSSELS"')
    medium = models.CharField(max_length=20, choices=Medium.choices, default=Medium.ARTICLE)
    language = models.CharField(
        max_length=35, default="en", validators=[validate_language_tag], help_text="BCP-47 tag"
    )
    archived_url = models.URLField(max_length=1000, blank=True, validators=[validate_http_url])
    excerpt = models.TextField(max_length=20_000, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["-published_on", "-id"], name="source_published_idx"),
            models.Index(fields=["medium"], name="source_medium_idx"),
            models.Index(fields=["language"], name="source_language_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="source_url_unique_when_present"
            ),
            models.CheckConstraint(
                condition=Q(language__regex=LANGUAGE_TAG_PATTERN), name="source_language_bcp47"
            ),
        ]

    def __str__(self):
        # No outlet here: __str__ must not cost a query per row in admin lists and widgets.
        return f"{self.title} ({self.published_on:%Y-%m-%d})" if self.published_on else self.title
