"""``GET /health``: is the server up, and in which mode."""

from __future__ import annotations

from fastapi import APIRouter, Request

import gristmill
from gristmill.server._models import Health
from gristmill.server._security import settings_of

router = APIRouter(tags=["server"])


@router.get("/health")
def health(request: Request) -> Health:
    return Health(version=gristmill.__version__, read_only=settings_of(request).read_only)
