"""Shared ``Annotated`` dependency aliases, so routes stay thin: ``settings: SettingsDep``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from watchlink.settings import Settings

__all__ = ["SettingsDep", "get_app_settings"]


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with (not re-read from the environment)."""
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
