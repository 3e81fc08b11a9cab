"""`/metrics` (Prometheus text format, one registry per app) and `/healthz`.

Turn counters and latencies come from the Dispatcher's observer; outbox depth and the
database's health are read when scraped.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from sqlalchemy import func, select

from bot import keys
from handlers.dispatch import TurnStats
from knowledge.records.models import OutboxRow

log = logging.getLogger(__name__)

HEALTH_TIMEOUT = 3.0  # seconds the database gets to answer a health check
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Metrics:
    """The app's Prometheus collectors, in a registry of its own."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.turns = Counter("tanyakota_turns", "Conversation turns handled",
                             ["channel", "kind", "outcome"], registry=self.registry)
        self.turn_seconds = Histogram("tanyakota_turn_seconds", "Time to handle one conversation turn",
                                      ["channel"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.in_flight = Gauge("tanyakota_turns_in_flight", "Turns being handled now", registry=self.registry)
        self.outbox = Gauge("tanyakota_outbox_messages", "Outbox messages by channel and status",
                            ["channel", "status"], registry=self.registry)
        self.database_up = Gauge("tanyakota_database_up", "1 when the database answered the last check",
                                 registry=self.registry)

    def observe(self, stats: TurnStats) -> None:
        """Count a finished turn (the Dispatcher's observer)."""
        self.turns.labels(stats.channel, stats.kind, stats.outcome or "").inc()
        self.turn_seconds.labels(stats.channel).observe(stats.seconds)


async def _ping(request: web.Request) -> bool:
    try:
        return await asyncio.wait_for(request.app[keys.CORE].db.ping(), HEALTH_TIMEOUT)
    except (TimeoutError, Exception):  # noqa: BLE001 - any failure means "not healthy"
        return False


async def healthz(request: web.Request) -> web.Response:
    """Answer 200 when the database answers, 503 otherwise."""
    core = request.app[keys.CORE]
    ok = await _ping(request)
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "error",
            "database_kind": core.db.dialect, "turns_in_flight": core.dispatcher.in_flight}
    return web.json_response(body, status=200 if ok else 503)


async def metrics_view(request: web.Request) -> web.Response:
    """Return the Prometheus text exposition."""
    metrics = request.app[keys.METRICS]
    core = request.app[keys.CORE]
    metrics.in_flight.set(core.dispatcher.in_flight)
    up = await _ping(request)
    metrics.database_up.set(1 if up else 0)
    if up:
        try:
            async with core.db.session() as session:
                rows = await session.execute(
                    select(OutboxRow.channel, OutboxRow.status, func.count()).group_by(OutboxRow.channel,
                                                                                       OutboxRow.status))
                metrics.outbox.clear()
                for channel, status, count in rows:
                    metrics.outbox.labels(channel, status).set(count)
        except Exception:  # a scrape must not fail because one figure is missing
            log.exception("could not count the outbox for /metrics")
    return web.Response(body=generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})


def setup(app: web.Application, metrics: Metrics) -> None:
    """Add /healthz and /metrics."""
    app[keys.METRICS] = metrics
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_view)
