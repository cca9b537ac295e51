from django.db import models


class OutletKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", "News agency"
    NEWSPAPER = "newspaper", "Newspaper"
    BROADCASTER = "broadcaster", "Broadcaster"
    MAGAZINE = "magazine", "Magazine"
    FACT_CHECKER = "fact_checker", "Fact-checker"
    GOVERNMENT = "government", "Government"
    NGO = "ngo", "NGO"
    OTHER = "other", "Other"


class Medium(models.TextChoices):
    ARTICLE = "article", "Article"
    TRANSCRIPT = "transcript", "Transcript"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    SOCIAL_POST = "social_post", "Social media post"
    PRESS_RELEASE = "press_release", "Press release"
    OTHER = "other", "Other"
