"""OpenAPI shapes of the interop endpoints, as JSON Schema (the documents' keys, such as
`@context`, are no Python names)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

_TEXT = {"type": "string"}
_INT = {"type": "integer"}
_NUMBER_OR_NULL = {"type": "integer", "nullable": True}
_OBJECT = {"type": "object", "additionalProperties": True}

CLAIMREVIEW = {
    "type": "object",
    "description": (
        "A schema.org ClaimReview (JSON-LD). Properties without a value are left out. "
        "`claimReviewed` is the claim shortened to 75 characters on a word boundary; "
        "`itemReviewed.text` is its whole text. Rebuttals go under `factcheck:rebuttals` (the "
        "prefix declared in `@context`): Claims by other speakers with `text`, `author`, "
        "`datePublished`, `appearance` and `relation` (refutes, disputes, corrects, "
        "contextualizes)."
    ),
    "properties": {
        "@context": {},
        "@type": _TEXT,
        "url": _TEXT,
        "name": _TEXT,
        "claimReviewed": _TEXT,
        "reviewBody": _TEXT,
        "datePublished": {"type": "string", "format": "date"},
        "dateModified": {"type": "string", "format": "date"},
        "author": _OBJECT,
        "reviewRating": {
            "type": "object",
            "properties": {
                "@type": _TEXT,
                "alternateName": _TEXT,
                "ratingValue": _INT,
                "bestRating": _INT,
                "worstRating": _INT,
            },
            "required": ["@type", "alternateName"],
        },
        "itemReviewed": _OBJECT,
        "factcheck:rebuttals": {"type": "array", "items": _OBJECT},
    },
    "required": ["@context", "@type", "claimReviewed", "reviewRating", "author", "itemReviewed"],
}

DATA_FEED = {
    "type": "object",
    "description": "A page of published ClaimReviews as a schema.org DataFeed.",
    "properties": {
        "@context": _TEXT,
        "@type": _TEXT,
        "count": {"type": "integer", "description": "ClaimReviews on all pages."},
        "next": {"type": "string", "nullable": True, "description": "The next page's URL."},
        "previous": {"type": "string", "nullable": True},
        "dataFeedElement": {"type": "array", "items": CLAIMREVIEW},
    },
    "required": ["@context", "@type", "count", "next", "previous", "dataFeedElement"],
}

COMPAT_SEARCH = {
    "type": "object",
    "description": "The Fact Check Tools API's `claims:search` answer.",
    "properties": {
        "claims": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "text": _TEXT,
                    "claimant": _TEXT,
                    "claimDate": {"type": "string", "format": "date-time"},
                    "claimReview": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "publisher": {
                                    "type": "object",
                                    "properties": {"name": _TEXT, "site": _TEXT},
                                },
                                "url": _TEXT,
                                "title": _TEXT,
                                "reviewDate": {"type": "string", "format": "date-time"},
                                "textualRating": _TEXT,
                                "languageCode": _TEXT,
                            },
                        },
                    },
                },
                "required": ["text", "claimReview"],
            },
        },
        "nextPageToken": _TEXT,
    },
    "required": ["claims"],
}

COMPAT_PARAMETERS = [
    OpenApiParameter(
        "query",
        OpenApiTypes.STR,
        description="Words the claim must contain: the claims list's `q` (every word must "
        "match the claim's text, a quote or the speaker's name).",
    ),
    OpenApiParameter(
        "languageCode",
        OpenApiTypes.STR,
        description='BCP-47 code, e.g. "en-US": claims in that language (the region is not '
        "considered, as in the Fact Check Tools API).",
    ),
    OpenApiParameter(
        "reviewPublisherSiteFilter",
        OpenApiTypes.STR,
        description='The reviewer\'s site, e.g. "politifact.com": only its reviews.',
    ),
    OpenApiParameter(
        "maxAgeDays",
        OpenApiTypes.INT,
        description="Only reviews published at most this many days ago.",
    ),
    OpenApiParameter(
        "pageSize", OpenApiTypes.INT, description="Claims per page, 1 to 100 (default 10)."
    ),
    OpenApiParameter(
        "pageToken",
        OpenApiTypes.STR,
        description="The `nextPageToken` of the previous page.",
    ),
    OpenApiParameter(
        "offset",
        OpenApiTypes.INT,
        description="Claims to skip (ignored when pageToken is given).",
    ),
]

IMPORT_PARAMETERS = [
    OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=["draft", "in_review", "published"],
        description="Status of the imported claims and reviews (default published; reviews "
        "imported as in_review are drafts). Publishing needs the publish permissions.",
    ),
    OpenApiParameter(
        "skip_invalid",
        OpenApiTypes.BOOL,
        description="true: import the valid entries and report the others; false (default): "
        "one invalid entry and nothing is imported.",
    ),
    OpenApiParameter(
        "base_url",
        OpenApiTypes.STR,
        description="The page the document comes from, against which relative URLs resolve.",
    ),
]
