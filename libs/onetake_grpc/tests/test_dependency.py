import asyncio
from collections.abc import Awaitable, Callable

from onetake_grpc.dependency import DependencyStatus
from onetake_testing.waiting import wait_until


class SwitchableDependency:
    def __init__(self) -> None:
        self.up = True

    def check(self) -> None:
        if not self.up:
            raise ConnectionRefusedError("down")


async def watching(status: DependencyStatus, scenario: Callable[[], Awaitable[None]]) -> None:
    watcher = asyncio.get_running_loop().create_task(status.watch())
    try:
        await scenario()
    finally:
        watcher.cancel()


def test_an_idle_dependency_is_checked_and_its_death_and_return_are_reported() -> None:
    dependency = SwitchableDependency()
    status = DependencyStatus("db", dependency.check, idle_after_sec=0.05)

    async def scenario() -> None:
        assert await wait_until(lambda: status.checks_run >= 1)
        assert status.healthy
        dependency.up = False
        assert await wait_until(lambda: not status.healthy)
        dependency.up = True
        assert await wait_until(lambda: status.healthy)

    asyncio.run(watching(status, scenario))


def test_a_busy_dependency_is_judged_by_its_real_calls_and_never_checked() -> None:
    dependency = SwitchableDependency()
    status = DependencyStatus("db", dependency.check, idle_after_sec=0.5)
    status.record(False)

    async def scenario() -> None:
        for _ in range(40):  # a real call every 25 ms, far more often than idle_after_sec
            status.record(False)
            await asyncio.sleep(0.025)

    asyncio.run(watching(status, scenario))
    assert status.checks_run == 0
    assert not status.healthy  # the real calls failed, although the check would succeed


def test_the_first_check_runs_at_once() -> None:
    dependency = SwitchableDependency()
    dependency.up = False
    status = DependencyStatus("db", dependency.check, idle_after_sec=3600)

    async def scenario() -> None:
        assert await wait_until(lambda: not status.healthy, 2.0)

    asyncio.run(watching(status, scenario))
    assert status.checks_run == 1
