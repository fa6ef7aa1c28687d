"""A throwaway PostgreSQL server for the storage tests: Debian's binaries, a temporary data folder, loopback only.

`find_binaries()` says where initdb and pg_ctl are (or why not); `ThrowawayServer.start()` runs initdb and pg_ctl as
an unprivileged user (PostgreSQL refuses to run as root), on 127.0.0.1 and a free port; `stop()` stops it and
removes the folder. Also runnable: `python tests/pg_server.py` starts one, prints its URL, and stops it on
Enter (for trying the tests by hand).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

PREFERRED_BIN = "/usr/lib/postgresql/15/bin"
SERVER_USER = "postgres"  # Debian's postgresql-common creates it
DB_USER = "ivig"


def find_binaries() -> tuple[Path | None, str]:
    """The folder with initdb and pg_ctl, or None and why not."""
    candidates = [PREFERRED_BIN] + sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in candidates:
        if os.access(os.path.join(folder, "initdb"), os.X_OK) and os.access(os.path.join(folder, "pg_ctl"), os.X_OK):
            return Path(folder), ""
    return None, "no PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl): apt-get install postgresql"


def with_schema(url: str, schema: str) -> str:
    """The URL with every connection's search_path set to `schema` (one schema per test keeps tests apart)."""
    return url + ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayServer:
    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.folder: Path | None = None
        self.port = 0
        self._as_user: list[str] = []

    @property
    def url(self) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run([*self._as_user, *args], capture_output=True, text=True, timeout=timeout,
                              stdin=subprocess.DEVNULL, cwd="/")

    def start(self) -> str:
        """Start the server; its URL. Raises RuntimeError with the server's own words when it cannot."""
        self.folder = Path(tempfile.mkdtemp(prefix="ivig-pg-"))
        if os.geteuid() == 0:  # the server refuses root: run it as the postgres user
            try:
                user = pwd.getpwnam(SERVER_USER)
            except KeyError as exc:
                raise RuntimeError(f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL") from exc
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            runuser = shutil.which("runuser")
            self._as_user = [runuser, "-u", SERVER_USER, "--"] if runuser else ["su", SERVER_USER, "-s", "/bin/sh",
                                                                                  "-c", '"$0" "$@"']
        os.chmod(self.folder, 0o700)
        data = self.folder / "data"
        done = self._run(str(self.bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", DB_USER, "-E", "UTF8",
                         "--no-sync", "--no-instructions")
        if done.returncode:
            raise RuntimeError(f"initdb failed: {(done.stderr or done.stdout).strip()[-500:]}")
        for _ in range(3):  # a port found free can be taken before the server binds it: try another
            self.port = _free_port()
            options = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c max_connections=200 "
                       "-c shared_buffers=32MB")
            done = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"),
                             "-o", options, "-w", "-t", "60", "start")
            if done.returncode == 0:
                return self.url
            time.sleep(0.2)
        log = (self.folder / "server.log").read_text(errors="replace")[-800:] if (self.folder / "server.log").exists() \
            else ""
        raise RuntimeError(f"pg_ctl start failed: {(done.stderr or done.stdout).strip()[-300:]} {log}")

    def stop(self) -> None:
        if self.folder is None:
            return
        if (self.folder / "data" / "postmaster.pid").exists():
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop",
                      timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder = None


@contextlib.contextmanager
def pg_schema(url: str):
    """A fresh schema in the database at `url`, as a URL that uses it; dropped afterwards."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_schema(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


if __name__ == "__main__":
    bin_dir, why = find_binaries()
    if bin_dir is None:
        raise SystemExit(why)
    server = ThrowawayServer(bin_dir)
    print(server.start(), flush=True)
    try:
        input()
    finally:
        server.stop()
