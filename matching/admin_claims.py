"""The claim's admin page shows its likely matches, so an editor sees a repeat before
publishing: the claims admin, extended from here (claims imports none of the apps built on it).
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.admin import ClaimAdmin
from claims.models import Claim

from .services import LIKELY_SCORE, claim_match


class MatchingClaimAdmin(ClaimAdmin):
    readonly_fields = [*ClaimAdmin.readonly_fields, "likely_matches"]
    fieldsets = [
        *ClaimAdmin.fieldsets[:3],
        ("Matching", {"fields": ["likely_matches"]}),
        *ClaimAdmin.fieldsets[3:],
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj else [fs for fs in fieldsets if fs[0] != "Matching"]

    def get_object(self, request, object_id, from_field=None):
        claim = super().get_object(request, object_id, from_field)
        if claim is not None:
            # Of the claims this editor may see: exact repeats and likely paraphrases.
            result = claim_match(
                text=claim.text,
                claims=Claim.objects.visible_to(request.user),
                speaker_id=claim.speaker_id,
                exclude_id=claim.pk,
            )
            likely = [m for m in result.matches if m.score >= LIKELY_SCORE]
            by_id = Claim.objects.select_related("speaker").in_bulk([m.claim_id for m in likely])
            claim.likely = [(m, by_id[m.claim_id]) for m in likely if m.claim_id in by_id]
            claim.matched_by = result.backend
        return claim

    @admin.display(description="likely matches")
    def likely_matches(self, claim):
        rows = [
            (
                m.match,
                f"{m.score:.2f}",
                reverse("admin:claims_claim_change", args=[other.pk]),
                other,
                other.speaker,
                other.get_status_display(),
            )
            for m, other in getattr(claim, "likely", [])
        ]
        backend = getattr(claim, "matched_by", "")
        if not rows:
            return f"No stored claim is a likely match ({backend})."
        items = format_html_join("", '<li>{} {}: <a href="{}">{}</a>, by {} ({})</li>', rows)
        return format_html("<ul>{}</ul><p>Scored by {}.</p>", items, backend)


admin.site.unregister(Claim)
admin.site.register(Claim, MatchingClaimAdmin)
