from django.db import models


class Counter(models.Model):
    """A count of events in a fixed window that closes at `expires` (api.counters)."""

    key = models.CharField(max_length=250, primary_key=True)
    count = models.PositiveIntegerField()
    expires = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.key}: {self.count} until {self.expires:%Y-%m-%d %H:%M:%S}"
