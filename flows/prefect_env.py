"""Prefect defaults for a machine with no Prefect server configured, and the temporary API
server a flow called directly there gets.

Imported before prefect itself (it imports prefect only inside its functions). With no
PREFECT_API_URL, Prefect runs flows on a temporary local server; its telemetry heartbeat only adds noise (and
errors when offline), and its home defaults to the user's ~/.prefect, which
an auditor's shared machine may not want written.
"""
import atexit
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# The temporary server starts in a few seconds on an idle machine but can take longer than
# Prefect's 20 s default while extractions keep both cores busy (a nightly run, a test suite).
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

# ---------------------------------------------------------------------------- the temporary API server
# Prefect's temporary API server for a flow called directly, started without waiting on it.
#
# With no PREFECT_API_URL, Prefect starts a temporary server at the first API call: it first
# imports its whole server package in the calling process (about 3 CPU-seconds, only to reach
# the class that launches the subprocess), then starts the subprocess, which imports it again,
# and waits for it. `start()` launches that same subprocess (the command of Prefect's
# SubprocessASGIServer, prefect 3.9) without the import, so it comes up while the caller does
# other work (the nightly's crawls); `url()` waits for it. One server serves every direct call
# of the process and stops when the process exits, as Prefect's own does.

_lock = threading.Lock()
_server: "_Server | None" = None


def wanted() -> bool:
    """No API configured and Prefect would start a temporary server: start ours instead."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    return not PREFECT_API_URL.value() and bool(PREFECT_SERVER_EPHEMERAL_ENABLED.value())


class _Server:
    def __init__(self) -> None:
        self.port = _free_port()
        self.proc = self._launch()
        self.ready = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _launch(self) -> subprocess.Popen:
        import prefect
        from prefect.settings import get_current_settings

        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
               "PREFECT__SERVER_FINAL": "1", **get_current_settings().to_environment_variables(exclude_unset=True)}
        cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent),
               "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
               "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        return subprocess.Popen(cmd, env=env)

    def wait(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not self.ready:
            if self.proc.poll() is not None:
                if self.proc.returncode == 3:  # the port was taken meanwhile: another one
                    self.port = _free_port()
                    self.proc = self._launch()
                    continue
                raise RuntimeError(f"Prefect 临时服务器启动失败（退出码 {self.proc.returncode}）")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as resp:
                    self.ready = resp.status == 200
            except (urllib.error.URLError, OSError):
                pass
            if not self.ready:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"Prefect 临时服务器 {timeout:.0f} 秒内未就绪")
                time.sleep(0.1)
        return self.api_url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start() -> None:
    """Launch the process's temporary server if it is not running; returns at once."""
    global _server
    with _lock:
        if _server is None or _server.proc.poll() is not None:
            _server = _Server()
            atexit.register(_server.stop)


def url() -> str:
    """The API URL of the server `start` launched, once it answers (started here if need be)."""
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    start()
    with _lock:
        return _server.wait(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
