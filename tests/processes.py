"""Servers and workers that tests start as processes of their own."""

import signal
import subprocess
from collections.abc import Iterable


def processes_stop(
    processes: Iterable[subprocess.Popen], *, sig: int = signal.SIGTERM, timeout: float = 10
) -> None:
    """Ask each process to stop, then wait for them; kill whichever does not stop in time."""
    processes = list(processes)
    for process in processes:
        if process.poll() is None:
            process.send_signal(sig)
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
