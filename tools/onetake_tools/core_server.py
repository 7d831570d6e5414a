"""Serve the Core stand-in (contracts/http/core-api.md) with the demo catalog, until stopped.

    ./pants run tools/core -- --port 8000
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from onetake_testing.core_standin import CoreStandIn
from onetake_tools.demo import DEMO_CATALOG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    core = CoreStandIn(DEMO_CATALOG, host=args.host, port=args.port).start()
    print(f"Core stand-in serving {len(DEMO_CATALOG)} demo posts on {core.url}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    core.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
