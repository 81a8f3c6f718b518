"""What a list costs as its collection grows: a user's images, a page of 20, with 100,
10,000 and 100,000 images in the collection (all of them the user's, the worst case for a
list filtered to one user), written through the admin API.

    .venv/bin/python -m bench.scale [SECONDS]
"""

from __future__ import annotations

import json
import sys
import urllib.request
from typing import Any

from bench.load import AUTOCANNON, Load, autocannon
from bench.servers import HEADERS, ROOT, free_port, ibl_mock, start

LIST = "/api/ai-mentor/orgs/main/users/amara.okafor/ai-generated-images/?page_size=20"
SIZES = (100, 10_000, 100_000)
CONNECTIONS = 10


def images(count: int) -> list[dict[str, Any]]:
    """`count` images of amara.okafor (user 1057) on org main (platform 1)."""
    return [
        {
            "id": n,
            "user": 1057,
            "platform": 1,
            "image": f"https://picsum.photos/seed/bench-{n}/512/512",
            "prompt": f"A diagram for lesson {n}",
            "model": "dall-e-3",
            "provider": "openai",
            "date_created": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:{n % 60:02d}.000000Z",
        }
        for n in range(1, count + 1)
    ]


def replace_images(url: str, count: int) -> None:
    body = json.dumps(images(count)).encode()
    request = urllib.request.Request(
        f"{url}/__mock__/records?collection=images",
        data=body,
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=300) as answer:
        answer.read()


def measure(seconds: int) -> dict[int, Load]:
    port = free_port()
    document = ROOT / "spec" / "openapi.yaml"
    # Every request made afresh: the list's own cost, not the answer cache's.
    running = start(ibl_mock(document, port, "--admin", "--no-answer-cache"), port, LIST)
    try:
        found = {}
        for count in SIZES:
            replace_images(running.url, count)
            autocannon(running.url + LIST, 2, CONNECTIONS, HEADERS)  # warm-up
            found[count] = autocannon(running.url + LIST, seconds, CONNECTIONS, HEADERS)
        return found
    finally:
        running.stop()


def table(found: dict[int, Load]) -> list[str]:
    base = found[SIZES[0]]
    lines = [
        "| images in the collection | req/s | p50 | p99 | cost per page against 100 |",
        "|--------------------------|-------|-----|-----|---------------------------|",
    ]
    for count, load in found.items():
        cost = base.rps / load.rps if load.rps else float("inf")
        lines.append(
            f"| {count:,} | {load.rps:,.0f} | {load.p50_ms:.0f} ms | {load.p99_ms:.0f} ms "
            f"| {cost:.2f}x |"
        )
    return lines


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    if not AUTOCANNON.exists():
        sys.exit("autocannon is not installed: `make bench` installs it (npm)")
    print("\n".join(table(measure(seconds))))


if __name__ == "__main__":
    main()
