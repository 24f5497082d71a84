"""Reads of the exports."""

from __future__ import annotations

from django.db.models import QuerySet

from foundation.models import User

from .models import ExportJob


def exports_of(*, user: User) -> QuerySet[ExportJob]:
    return (
        ExportJob.objects.filter(requested_by=user)
        .select_related("consultation")
        .order_by("-created_at", "-pk")
    )
