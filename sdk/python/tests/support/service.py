"""The service under test: started from the repository the way test/support/service-process.ts
starts it (`node -r ts-node/register/transpile-only src/main.ts`, with PORT set), on a database
of its own, plus the admin CLI, SQL and a connected gateway for the tests.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[4]
"""sdk/python/tests/support -> the repository."""
SUPPORT = Path(__file__).resolve().parent
TS_NODE = ["-r", "ts-node/register/transpile-only"]

# What selects a database, a port or a key: never inherited by the processes started here.
_SELECTORS = (
    "DATABASE_URL",
    "TEST_DATABASE_URL",
    "NOVAVMS_TEST_ADMIN_URL",
    "PORT",
    "HOST",
    "EMBEDDED_PG_DIR",
    "EMBEDDED_PG_PORT",
    "NOVAVMS_BOOTSTRAP_ADMIN_KEY",
    "NOVAVMS_API_KEY",
    "NOVAVMS_BASE_URL",
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SELECTORS}
    env.update(extra)
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise RuntimeError("node is not on PATH: the tests start the service with it")
    return found


def run_sql(database_url: str, sql: str, *params: Any) -> list[dict[str, Any]]:
    """Runs one statement on the service's database (with the repository's `pg`)."""
    done = subprocess.run(
        [node(), str(SUPPORT / "sql.cjs"), database_url, sql, json.dumps(list(params))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"SQL failed: {done.stderr.strip()}\n{sql}")
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass(frozen=True)
class Org:
    org_id: str
    site_id: str
    api_key: str


class Service:
    """One service process and its database, for a test session.

    With TEST_DATABASE_URL (or DATABASE_URL) set, the service gets a fresh database on that
    server, dropped at the end, as the jest suites do; otherwise DATABASE_URL stays unset and the
    service starts its own embedded PostgreSQL in a temporary EMBEDDED_PG_DIR.
    """

    def __init__(self) -> None:
        if not (REPO_ROOT / "node_modules" / "ts-node").is_dir():
            raise RuntimeError(f"{REPO_ROOT}/node_modules is missing: run `npm ci` there first")
        self.root = Path(tempfile.mkdtemp(prefix="novavms-py-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.root / "service.log"
        given = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
        self._server_url = given
        self._database_name: str | None = None
        self.pg_dir = self.root / "postgres"
        self.process: subprocess.Popen[bytes] | None = None

    # -- life ------------------------------------------------------------------------------

    def start(self, **settings: str) -> None:
        env = clean_env(
            PORT=str(self.port),
            HOST="127.0.0.1",
            LOG_FORMAT="json",
            LOG_LEVEL=os.environ.get("TEST_LOG_LEVEL", "warn"),
            **settings,
        )
        if self._server_url:
            self._database_name = f"novavms_py_{secrets.token_hex(6)}"
            run_sql(self._server_url, f'CREATE DATABASE "{self._database_name}"')
            env["DATABASE_URL"] = _with_database(self._server_url, self._database_name)
        else:
            env["EMBEDDED_PG_DIR"] = str(self.pg_dir)
        self._env = env
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [node(), *TS_NODE, "src/main.ts"],
                cwd=REPO_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready()

    def _wait_ready(self, limit_s: float = 90.0) -> None:
        deadline = time.monotonic() + limit_s
        assert self.process is not None
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited ({self.process.returncode}):\n{self.log()}")
            try:
                with urllib.request.urlopen(f"{self.base_url}/readyz", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the service was not ready in {limit_s} s:\n{self.log()}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if self._server_url and self._database_name:
            run_sql(
                self._server_url, f'DROP DATABASE IF EXISTS "{self._database_name}" WITH (FORCE)'
            )
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    # -- the database, the CLI -------------------------------------------------------------

    @property
    def database_url(self) -> str:
        if self._server_url and self._database_name:
            return _with_database(self._server_url, self._database_name)
        port = (self.pg_dir / "postmaster.pid").read_text().splitlines()[3].strip()
        password = (self.root / "postgres.password").read_text().strip()
        return f"postgresql://postgres:{password}@127.0.0.1:{port}/novavms"

    def sql(self, statement: str, *params: Any) -> list[dict[str, Any]]:
        return run_sql(self.database_url, statement, *params)

    def create_org(self, name: str) -> Org:
        """`npm run admin -- org create --name ...` against the service's database."""
        extra = (
            {"DATABASE_URL": self._env["DATABASE_URL"]}
            if self._server_url
            else {"EMBEDDED_PG_DIR": str(self.pg_dir)}
        )
        done = subprocess.run(
            [node(), *TS_NODE, "src/cli/admin.ts", "org", "create", "--name", name],
            cwd=REPO_ROOT,
            env=clean_env(**extra),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"admin CLI failed ({done.returncode}): {done.stderr}")
        created = json.loads(done.stdout)
        return Org(created["org_id"], created["site_id"], created["api_key"])


class GatewaySocket:
    """A paired gateway's WebSocket, held by a small node process (tests/support/gateway_ws.cjs).

    With `session`, the gateway sends that `session` frame first (v1.3: `capabilities` with
    "commands.v1" makes it take commands, with "config.v1" it applies and reports `applied`
    every configuration it is sent); `answers` maps a command type to the `command_result` it
    reports (`{"status": "succeeded", "result": {...}}`); other commands stay unanswered.
    """

    def __init__(
        self,
        base_url: str,
        gateway_id: str,
        key: str,
        telemetry: dict[str, Any],
        session: dict[str, Any] | None = None,
        answers: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        self.process = subprocess.Popen(
            [
                node(),
                str(SUPPORT / "gateway_ws.cjs"),
                base_url,
                gateway_id,
                key,
                json.dumps(telemetry),
                json.dumps(session),
                json.dumps(answers or {}),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if line != "connected":
            self.process.kill()
            _, err = self.process.communicate(timeout=10)
            raise RuntimeError(f"the gateway did not connect: {line} {err}")

    def close(self) -> None:
        """Closes the socket from the gateway's side (the gateway goes offline at once)."""
        if self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
