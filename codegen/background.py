"""A function run in a forked child, so that it overlaps the parent's work on the other core:
the one concurrency helper (validation while the build runs, the app's halves in a drift check).

Fork shares everything the parent has built with the child for free; only the result travels
back, pickled, through a pipe. Callers check :func:`can_fork` and otherwise run the function
themselves.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Background", "can_fork"]

T = TypeVar("T")


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


class Background(Generic[T]):
    def __init__(self, func: Callable[[], T], what: str, *, daemon: bool = True) -> None:
        """``daemon=False`` for a child that starts children of its own."""
        self._what = what
        ctx = multiprocessing.get_context("fork")
        self._receive, send = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=self._run, args=(send, func), daemon=daemon)
        self._process.start()
        send.close()

    @staticmethod
    def _run(send: Any, func: Callable[[], Any]) -> None:
        try:
            send.send(("ok", func()))
        except BaseException as exc:  # noqa: BLE001 - report anything back to the parent
            try:
                send.send(("raised", exc))  # the parent re-raises it (a ProblemsError, say)
            except Exception:  # noqa: BLE001 - not picklable: its text then
                send.send(("error", traceback.format_exc()))
        finally:
            send.close()

    def result(self) -> T:
        try:
            status, value = self._receive.recv()
        except EOFError:
            status, value = "error", f"the {self._what} process died"
        except BaseException:  # interrupted while waiting (Ctrl-C, SIGTERM as an exit): stop it
            self._process.terminate()
            raise
        finally:
            self._receive.close()
            self._process.join()
        if status == "raised":
            raise value
        if status != "ok":
            raise RuntimeError(f"{self._what} failed to run: {value}")
        result: T = value
        return result

    def cancel(self) -> None:
        """Stop waiting: the run failed before it needed the result."""
        if not self._receive.closed:
            self._receive.close()
        self._process.terminate()
        self._process.join()
