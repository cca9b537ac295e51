from django.db import models

from claims.models import Claim


class ClaimVector(models.Model):
    """A claim's sentence vector under one model (name and version), and the fingerprint of
    the text it was computed from: a vector whose fingerprint is no longer its claim's is
    stale (the text changed) and is computed again (matching.services.vectors_update)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="vectors")
    model = models.CharField(max_length=100, help_text='The backend and its version: "use 0.2.1".')
    fingerprint = models.CharField(max_length=64, help_text="The claim's fingerprint then.")
    # float32, little-endian, L2-normalised: 2 KB a claim for 512 dimensions.
    vector = models.BinaryField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "claim"], name="claimvector_once_per_model")
        ]
        # Each process's matrix loads the rows of one model newer than the last id it read.
        indexes = [models.Index(fields=["model", "id"], name="claimvector_model_id_idx")]

    def __str__(self):
        return f"{self.model} vector of claim #{self.claim_id}"
