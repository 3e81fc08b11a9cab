"""Typed keys under which `create_app` keeps what it builds (no module-level state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.core import Core
    from bot.delivery import Sender
    from bot.metrics import Metrics
    from bot.settings import Settings

SETTINGS: web.AppKey[Settings] = web.AppKey("settings")
CORE: web.AppKey[Core] = web.AppKey("core")  # database, knowledge, services, dispatcher
METRICS: web.AppKey[Metrics] = web.AppKey("metrics")
# Channels append their outbox Sender here in setup(); create_app starts a DeliveryWorker for each.
SENDERS: web.AppKey[list[Sender]] = web.AppKey("senders")
