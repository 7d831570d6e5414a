"""Command-line client for people: send an event, ask for recommendations, check health.

    ./pants run tools/cli -- track --entity-id post-001 --user-id alice
    ./pants run tools/cli -- recommend --tags python,grpc --user-id alice
    ./pants run tools/cli -- health --address 127.0.0.1:50052
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import uuid
from collections.abc import Sequence
from typing import Any

import grpc

from onetake_grpc.healthcheck import SERVING, health_status
from onetake_proto.analytics.v1 import analytics_pb2, analytics_pb2_grpc
from onetake_proto.reco.v1 import reco_pb2, reco_pb2_grpc

INGEST_ADDRESS = "127.0.0.1:50051"
RECO_ADDRESS = "127.0.0.1:50052"


def format_items(items: Sequence[reco_pb2.RecommendationItem]) -> str:
    if not items:
        return "  (no recommendations)"
    lines = [f"  {'#':>3}  {'post_id':<20} {'score':>8}  reason"]
    for rank, item in enumerate(items, 1):
        lines.append(f"  {rank:>3}  {item.post_id:<20} {item.score:>8.3f}  {item.reason}")
    return "\n".join(lines)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def track(args: argparse.Namespace) -> int:
    request = analytics_pb2.TrackEventRequest(
        event_id=args.event_id or str(uuid.uuid4()),
        ts=int(time.time() * 1000),
        user_id=args.user_id,
        session_id=args.session_id,
        event_name=args.event_name,
        route=args.route,
        entity_type=args.entity_type,
        entity_id=args.entity_id,
        props_json=args.props,
        trace_id=args.trace_id,
    )
    with grpc.insecure_channel(args.address) as channel:
        stub: Any = analytics_pb2_grpc.AnalyticsIngestStub(channel)
        stub.TrackEvent(request, timeout=args.timeout)
    print(f"accepted {request.event_name} {request.event_id} ({request.entity_id or '-'})")
    return 0


def recommend(args: argparse.Namespace) -> int:
    request = reco_pb2.GetRecommendationsRequest(
        user_id=args.user_id,
        limit=args.limit,
        feed_type=args.feed_type,
        context_post_id=args.context_post_id,
        context_tags=split_list(args.tags),
        exclude_post_ids=split_list(args.exclude),
        trace_id=args.trace_id,
    )
    with grpc.insecure_channel(args.address) as channel:
        stub: Any = reco_pb2_grpc.RecommendationsStub(channel)
        response = stub.GetRecommendations(request, timeout=args.timeout)
    if args.json:
        items = [
            {"post_id": i.post_id, "score": i.score, "reason": i.reason} for i in response.items
        ]
        print(json.dumps(items, indent=2))
    else:
        print(format_items(response.items))
    return 0


def health(args: argparse.Namespace) -> int:
    status = health_status(args.address, args.service, timeout_sec=args.timeout)
    print(f"{args.address} {args.service or '(server)'}: {status}")
    return 0 if status == SERVING else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="onetake", description=__doc__.splitlines()[0])
    root.add_argument("--timeout", type=float, default=5.0, help="RPC deadline in seconds")
    commands = root.add_subparsers(dest="command", required=True)

    t = commands.add_parser("track", help="send one event to analytics_ingest")
    t.add_argument("--address", default=INGEST_ADDRESS)
    t.add_argument("--event-name", default="post_view")
    t.add_argument("--event-id", default="", help="default: a new UUID")
    t.add_argument("--entity-type", default="post")
    t.add_argument("--entity-id", default="")
    t.add_argument("--user-id", default="")
    t.add_argument("--session-id", default="")
    t.add_argument("--route", default="")
    t.add_argument("--props", default="", help="a JSON object")
    t.add_argument("--trace-id", default="")
    t.set_defaults(handler=track)

    r = commands.add_parser("recommend", help="ask reco_service for recommendations")
    r.add_argument("--address", default=RECO_ADDRESS)
    r.add_argument("--user-id", default="")
    r.add_argument("--limit", type=int, default=10)
    r.add_argument("--feed-type", default="cli")
    r.add_argument("--context-post-id", default="")
    r.add_argument("--tags", default="", help="comma-separated context tags")
    r.add_argument("--exclude", default="", help="comma-separated post ids")
    r.add_argument("--trace-id", default="")
    r.add_argument("--json", action="store_true", help="print JSON instead of a table")
    r.set_defaults(handler=recommend)

    h = commands.add_parser("health", help="gRPC health check of a service")
    h.add_argument("--address", default=RECO_ADDRESS)
    h.add_argument("--service", default="", help='e.g. "dependency/core"; default: the server')
    h.set_defaults(handler=health)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except grpc.RpcError as error:
        print(f"error: {error.code().name}: {error.details()}", file=sys.stderr)
        return 1
    return code


if __name__ == "__main__":
    sys.exit(main())
