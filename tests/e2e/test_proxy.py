"""Behind the shipped reverse proxy (Debian's nginx, `deploy/nginx.conf`'s internal server),
an address the client writes into X-Forwarded-For is neither believed nor blamed: the lock
after five wrong tokens falls on the client's real address, whatever it claims, and never
on an address it names. A second loopback address (127.0.0.2) plays the colleague."""

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.auxil.processes import toktok_process
from tests.auxil.service import free_port
from tests.e2e.test_restart import wait_ready
from tests.fake_telegram.server import FakeTelegram

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = Path(__file__).parents[2] / "deploy" / "nginx.conf"
pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(), reason="no nginx here (apt-get install nginx-light)"
)


def internal_server(upstream: int, port: int) -> str:
    """The shipped configuration's internal server, pointed at one process on loopback."""
    shipped = SHIPPED.read_text(encoding="utf-8")
    assert "$proxy_add_x_forwarded_for" not in shipped
    internal = shipped[shipped.index("server {\n    listen 8080;") :]
    internal = internal.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    upstreams = re.sub(r"server web\d:8000;\n\s*", "", shipped[: shipped.index("}") + 1])
    upstreams = upstreams.replace(
        "upstream toktok_web {", f"upstream toktok_web {{\n    server 127.0.0.1:{upstream};"
    )
    return upstreams[upstreams.index("upstream") :] + "\n\n" + internal


@pytest.fixture
def proxy(tmp_path: Path, fake: FakeTelegram, db_url: str) -> Iterator[str]:
    with toktok_process(fake, db_url, tmp_path / "web.log", "--web") as web:
        port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp_path / "nginx.conf").write_text(
            f"""{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    {internal_server(web.port, port)}
}}
""",  # type: ignore[attr-defined]
            encoding="utf-8",
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        )
        try:
            yield f"http://127.0.0.1:{port}", web
        finally:
            nginx.terminate()
            nginx.wait(timeout=20)


async def test_a_forwarded_address_is_neither_believed_nor_blamed(proxy: tuple) -> None:
    url, web = proxy
    await wait_ready(web)
    wrong = {"Authorization": "Bearer not-a-real-token"}
    async with httpx.AsyncClient(base_url=url, timeout=30) as attacker:
        for _ in range(600):  # until the proxy answers (bounded)
            try:
                if (await attacker.get("/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
        codes = []
        for n in range(12):  # each time another invented address, or the colleague's
            claimed = "127.0.0.2" if n % 2 else f"198.51.100.{n}"
            answer = await attacker.get(
                "/api/v1/proposals", headers={**wrong, "X-Forwarded-For": claimed}
            )
            codes.append(answer.status_code)
        assert codes[:4] == [401] * 4 and set(codes[4:]) == {429}, codes  # locked at the 5th
    colleague = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    async with httpx.AsyncClient(base_url=url, transport=colleague, timeout=30) as client:
        answer = await client.get("/api/v1/proposals", headers=wrong)
    assert answer.status_code == 401  # her address was named, not locked
