"""The benchmark behind `make bench` (issue 9): the main pages under load on PostgreSQL and gunicorn with
production settings, after generating the national data; briefing render times through real Celery workers.

    scripts/bench.sh                 # national scale, then --scale 10   (make bench)
    scripts/bench.sh --scale 10      # one scale only                    (make bench SCALE=10)

For each scale: generate the data (manage.py generate_national_data --reset: a dedicated database,
asean_bench by default), start gunicorn (config.settings.production, DEBUG off, 2 sync workers, as the
Dockerfile), log in as the generated planner, secretariat and advisor, and for every page × role that role
may open: a warm-up, then REQUESTS requests from CLIENTS concurrent clients (p50, p95, throughput, and the
gunicorn workers' CPU time per request, read from /proc). Right before each page, two baselines under the same
load, which the page's throughput is divided by: /healthz (no database, no session: the "bare" view) and the
floor, the lightest logged-in page (/notifications/preferences/, opened by the same role: what session,
authentication, CSRF and the page frame cost). SQL queries per page are counted in this process with Django's test client and CaptureQueriesContext on
the same database (nothing is added to production requests). Then the briefings:
single render times (in this process) of a cluster and the national briefing, and — at national scale — the
18 cluster briefings through a Celery worker with concurrency 2, wall time against the sum of single renders.

The server sits behind a TLS proxy in production; here every request carries ``X-Forwarded-Proto: https``
(production trusts it: SECURE_PROXY_SSL_HEADER), so the HTTPS redirect and secure cookies work unchanged
over plain HTTP, and session cookies are sent by hand.

Writes bench/results.json (national scale) and bench/results-scale10.json, each
{"machine", "when", "scale", "floor": {"name", "url", "rps"}, "pages": [{"name", "role", "p50_ms", "p95_ms",
"queries", "throughput_ratio", "ratio_to_floor"}], "briefings"}; the same with requests/s and server CPU per page under bench/raw/ (not committed); and
bench/RESULTS.md (the tables the README shows, with PASS/MISS per target). A run with --scale 10 alone is
compared with the last national results.
"""

import argparse
import contextlib
import datetime as dt
import http.cookies
import json
import os
import platform
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
VAR = ROOT / "var" / "bench"
RESULT_FILES = {1: BENCH / "results.json", 10: BENCH / "results-scale10.json"}

P95_TARGET_MS = 150
GROWTH_TARGET = 1.5  # at scale 10, p95 at most this × the national figure
# Dashboards, matrices and decision support: throughput at least this × the floor page's, measured in the same
# run right before the page (machines here differ by 2 × from run to run; a ratio does not).
FLOOR_RATIO_TARGET = 0.5
# The floor: the product's lightest logged-in page, what session, authentication, CSRF and the page frame cost.
FLOOR_PAGE = ("notification preferences (floor)", "/notifications/preferences/")
# Briefings: render seconds of one cluster briefing, the national one and a cluster DOCX; the 18 cluster
# briefings through 2 workers within this × (sum of single renders / 2).
CLUSTER_RENDER_TARGET_S = 2.0
NATIONAL_RENDER_TARGET_S = 20.0
DOCX_RENDER_TARGET_S = 3.0
WORKERS_TARGET = 1.2
FORWARDED = {"X-Forwarded-Proto": "https"}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- environment and processes -----------------------------------------------------------------------------


def production_env(port: int) -> dict[str, str]:
    """What config.settings.production requires, for a throw-away local run."""
    for name in ("DATABASE_URL", "REDIS_URL"):
        if not os.environ.get(name):
            sys.exit(f"{name} is not set: run through scripts/bench.sh (it starts PostgreSQL and Redis)")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",  # testserver: the query counts
        "APP_VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def manage(*args: str, settings: str = "config.settings.production", env: dict) -> None:
    subprocess.run(  # noqa: S603 (our own commands)
        [PYTHON, "manage.py", *args], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": settings}, check=True
    )


@contextlib.contextmanager
def process(args: list[str], env: dict, name: str):
    logfile = (VAR / f"{name}.log").open("w")
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=logfile, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        logfile.close()


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, headers=FORWARDED, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    sys.exit(f"the server did not answer {url} within {timeout:.0f} s (see {VAR}/gunicorn.log)")


# --- HTTP load ---------------------------------------------------------------------------------------------


def login(base: str, username: str, password: str) -> str:
    """A real login through the login form (CSRF, django-axes); returns the Cookie header of the session."""
    with httpx.Client(base_url=base, headers=FORWARDED, timeout=30) as client:
        page = client.get("/accounts/login/")
        csrf = _cookies(page)["csrftoken"]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        answer = client.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Cookie": f"csrftoken={csrf}", "Origin": base.replace("http://", "https://")},
        )
        session = _cookies(answer).get("sessionid")
        if answer.status_code != 302 or not session:
            sys.exit(f"could not log in as {username}: HTTP {answer.status_code}")
        return f"sessionid={session}; csrftoken={csrf}"


def _cookies(response: httpx.Response) -> dict[str, str]:
    # Secure cookies over plain HTTP: read Set-Cookie ourselves (a browser-like jar would keep them back).
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Load:
    p50_ms: float
    p95_ms: float
    rps: float
    errors: int
    server_cpu_ms: float = 0.0  # CPU time of the gunicorn workers per request (not the database's)


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc), seconds."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load(
    base: str, url: str, cookie: str, *, requests: int, clients: int, warmup: int, workers: list[int] = ()
) -> Load:
    headers = {**FORWARDED, "Cookie": cookie} if cookie else FORWARDED
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        for _ in range(warmup):
            client.get(url)
    latencies: list[float] = []
    errors = 0
    issued = 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal issued, errors
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            while True:
                with lock:
                    if issued >= requests:
                        return
                    issued += 1
                started = time.perf_counter()
                response = client.get(url)
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != 200

    threads = [threading.Thread(target=work) for _ in range(clients)]
    cpu_before = cpu_seconds(workers)
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = cpu_seconds(workers) - cpu_before
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Load(
        p50_ms=cuts[49] * 1000,
        p95_ms=cuts[94] * 1000,
        rps=len(latencies) / wall,
        errors=errors,
        server_cpu_ms=cpu / len(latencies) * 1000,
    )


# --- the pages ---------------------------------------------------------------------------------------------

ROLES = ("planner", "secretariat", "advisor")
BENCH_CLUSTER = "N-UP1"  # the generated secretariat's cluster, Chiang Mai's
RATIO_PAGES = {
    "province page",  # a planner's home, the province's dashboard
    "national dashboard",
    "cluster dashboard",
    "cluster matrix",
    "national matrix",
    "decision support (cluster tab)",
    "decision support (national)",
}


# The similar-plans hint of the strategy form, as it is asked while a planner types (the form POSTs the same
# fields; GET is the same view): a draft on one of the generated subjects, so it has neighbours to score.
HINT_DRAFT = {
    "owner": "TH-50",
    "title_th": "ส่งเสริมการท่องเที่ยวเชิงวัฒนธรรมและผลิตภัณฑ์ชุมชนเชียงใหม่",
    "summary_th": "พัฒนาเส้นทางท่องเที่ยวเชิงวัฒนธรรม ร่วมกับภาคเอกชนและองค์กรปกครองส่วนท้องถิ่น "
    "เชื่อมโยงกับประเทศเพื่อนบ้านในอาเซียน",
}
# Pages with a p95 target of their own (ms), at national scale and at scale 10: the hint encodes the draft
# (one sentence-encoder call) on every request.
PAGE_P95_TARGETS_MS = {"similar plans hint": 300}


def bench_strategy(fy: int) -> int:
    """The strategy whose page is measured: Chiang Mai's first of the year (else the year's first), looked up
    because generated ids change from one generation to the next."""
    from strategies.models import Strategy

    year = Strategy.objects.filter(fiscal_year=fy).order_by("pk")
    chosen = year.filter(province__code="TH-50").first() or year.first()
    return chosen.pk if chosen else 1


def pages(fy: int, strategy: int = 1) -> list[tuple[str, str]]:
    """(name, URL) of the main pages, for the generated cast: Chiang Mai (TH-50) in cluster N-UP1;
    ``strategy`` is the id of the strategy page to measure (bench_strategy)."""
    hint = "&".join(f"{k}={quote(v)}" for k, v in {**HINT_DRAFT, "fiscal_year": str(fy)}.items())
    return [
        ("province page", "/provinces/TH-50/"),
        ("assessment entry", f"/readiness/provinces/TH-50/{fy}/"),
        ("cluster roll-up", f"/readiness/clusters/N-UP1/?fy={fy}"),
        ("national roll-up", f"/readiness/national/?fy={fy}"),
        ("cluster matrix", f"/strategies/matrix/clusters/N-UP1/?fy={fy}"),
        ("national matrix", f"/strategies/matrix/?fy={fy}"),
        ("decision support (cluster tab)", f"/strategies/decision/clusters/N-UP1/?fy={fy}"),
        ("decision support (national)", f"/strategies/decision/?fy={fy}"),
        ("strategy list", "/strategies/"),
        # The strategy page (the advisor's view adds other clusters' practice) and the form's hint.
        ("strategy page", f"/strategies/{strategy}/"),
        ("similar plans hint", f"/strategies/similar/?{hint}"),
        ("strategy list (Thai title order)", "/strategies/?sort=title"),
        ("assessment review queue", "/readiness/review/"),
        ("strategy review queue", "/strategies/review/"),
        # Search for a common Thai word (in thousands of generated strategies, projects and comments): the
        # overview of every kind, and one kind's second page.
        ("search", "/search/?q=" + quote("ท่องเที่ยว")),
        # Projects: their second page exists for every role at both scales (a planner's strategies that name
        # the word fit on one page at national scale, and a page past the end is the last page, asked again).
        ("search (projects, page 2)", "/search/?q=" + quote("ท่องเที่ยว") + "&type=project&page=2"),
        ("map", "/map/"),
        # The inbox (every page also draws the bell with its unread count: one query).
        ("notifications inbox", "/notifications/"),
        ("notifications inbox (unread)", "/notifications/?unread=1"),
        ("briefings list", "/briefings/"),
        FLOOR_PAGE,
        ("national dashboard", "/dashboard/"),
        ("cluster dashboard", "/dashboard/clusters/N-UP1/"),
        ("API provinces", "/api/provinces/"),
        ("API clusters", "/api/clusters/"),
        ("API rounds", "/api/rounds/"),
        ("API assessments", "/api/assessments/"),
        ("API strategies", "/api/strategies/"),
        ("API projects", "/api/projects/"),
    ]


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def query_counts(users: dict, urls: list[tuple[str, str]]) -> dict[tuple[str, str], int | None]:
    """SQL queries of each page for each role (None: the role may not open it), measured in this process
    with the test client on the bench database, on the second request (warm, as under load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url in urls:
            if client.get(url, secure=True).status_code != 200:
                counts[name, role] = None
                continue
            with CaptureQueriesContext(connection) as queries:
                client.get(url, secure=True)
            counts[name, role] = len(queries)
    return counts


def page_row(name: str, role: str, page: Load, *, queries: int | None, bare: Load, floor: Load) -> dict:
    """One page's line of results.json: its throughput divided by the bare view's and by the floor page's,
    each measured right before it."""
    return {
        "name": name,
        "role": role,
        "p50_ms": round(page.p50_ms, 1),
        "p95_ms": round(page.p95_ms, 1),
        "queries": queries,
        "throughput_ratio": round(page.rps / bare.rps, 3),
        "ratio_to_floor": round(page.rps / floor.rps, 3),
    }


# --- briefings ---------------------------------------------------------------------------------------------


def render_times(fy: int, clusters: list[str]) -> dict[str, float]:
    """Single render times in this process (the same pipeline as the worker), seconds. One warm-up first
    (fonts, the tokeniser's dictionary), as a long-running worker has."""
    from django.contrib.auth.models import User

    from briefings.rendering import briefing_docx, briefing_pdf
    from briefings.spec import BriefingSpec
    from devdata.national_data import BENCH_USERS

    viewer = User.objects.get(username=BENCH_USERS["advisor"])  # sees every cluster and the nation
    briefing_pdf(BriefingSpec("cluster", BENCH_CLUSTER, fy), viewer=viewer)
    times = {}
    for code in clusters:
        started = time.perf_counter()
        briefing_pdf(BriefingSpec("cluster", code, fy), viewer=viewer)
        times[code] = time.perf_counter() - started
    started = time.perf_counter()
    briefing_pdf(BriefingSpec("national", "TH", fy), viewer=viewer)
    times["TH"] = time.perf_counter() - started
    briefing_docx(
        BriefingSpec("cluster", BENCH_CLUSTER, fy), viewer=viewer
    )  # its own warm-up (charts as PNG)
    started = time.perf_counter()
    briefing_docx(BriefingSpec("cluster", BENCH_CLUSTER, fy), viewer=viewer)
    times["docx"] = time.perf_counter() - started
    return times


def through_workers(fy: int, clusters: list[str], advisor, env: dict) -> dict:
    """The cluster briefings requested as users do (briefing_request: a job row, a Celery task on commit)
    with one worker of concurrency 2 running; wall time until every job is done."""
    from briefings import services
    from briefings.models import Briefing
    from config.celery_app import app

    args = [str(BIN / "celery"), "-A", "config", "worker", "--concurrency=2", "-l", "WARNING",
            "-n", f"bench-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]  # fmt: skip
    with process(args, env, "celery"):
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=1):
            if time.monotonic() > deadline:
                sys.exit(f"the Celery worker did not start (see {VAR}/celery.log)")
        app.control.purge()
        Briefing.objects.all().delete()
        started = time.perf_counter()
        ids = [
            services.briefing_request_by_code(kind="cluster", subject=code, fiscal_year=fy, by=advisor)[0].pk
            for code in clusters
        ]
        while True:
            jobs = list(Briefing.objects.filter(pk__in=ids))
            if all(not j.is_active for j in jobs):
                break
            if time.perf_counter() - started > 600:
                sys.exit("the briefings did not finish within 10 minutes")
            time.sleep(0.1)
        wall = time.perf_counter() - started
    Briefing.objects.all().delete()  # and their PDFs (a signal), so that runs leave no files behind
    return {
        "jobs": len(jobs),
        "done": sum(j.status == "done" for j in jobs),
        "wall_s": round(wall, 2),
        "worker_render_s_sum": round(sum(j.render_seconds or 0 for j in jobs), 2),
    }


# --- one scale ---------------------------------------------------------------------------------------------


def machine() -> dict:
    from django.db import connection

    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
             if line.startswith("model name")), "",
        )  # fmt: skip
    memory = ""
    with contextlib.suppress(OSError, StopIteration):
        kb = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        memory = f"{kb / 1024 / 1024:.0f} GB"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "host": platform.node(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
        "postgresql": postgres,
        "server": "gunicorn, 2 sync workers, config.settings.production (DEBUG off)",
        "load": "4 concurrent clients (httpx, threads), same machine",
    }


def run_scale(scale: int, args, env: dict) -> dict:
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.db import connections

    from devdata.national_data import BENCH_USERS
    from provinces.models import Cluster
    from readiness.selectors import current_round

    if not args.reuse_data:
        log(f"generating the data, scale {scale}")
        connections.close_all()
        manage("generate_national_data", "--seed", str(args.seed), "--scale", str(scale), "--reset",
               settings="config.settings.local", env={**env, "DJANGO_DEBUG": "0"})  # fmt: skip
    cache.clear()
    fy = current_round().fiscal_year
    users = {role: User.objects.get(username=BENCH_USERS[role]) for role in ROLES}
    urls = [
        (n, u) for n, u in pages(fy, bench_strategy(fy)) if not args.only or any(o in n for o in args.only)
    ]
    base = f"http://127.0.0.1:{args.port}"
    gunicorn = [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
                "--workers", "2"]  # fmt: skip
    results: dict[tuple[str, str], Load] = {}
    bare_before: dict[tuple[str, str], Load] = {}
    floor_before: dict[tuple[str, str], Load] = {}
    with process(gunicorn, env, "gunicorn") as server:
        wait_for(base + "/healthz")
        workers = children(server.pid)
        cookies = {role: login(base, BENCH_USERS[role], args.password) for role in ROLES}
        log(f"FY {fy}: bare view")
        options = {
            "requests": args.requests,
            "clients": args.clients,
            "warmup": args.warmup,
            "workers": workers,
        }
        bare = [load(base, "/healthz", "", **options)]
        for name, url in urls:
            for role in ROLES:
                with httpx.Client(base_url=base, headers={**FORWARDED, "Cookie": cookies[role]}) as probe:
                    status = probe.get(url, timeout=60).status_code
                if status != 200:
                    continue  # not this role's page (404) — skipped
                # Both baselines right before each page: on a shared machine the load drifts during a run. The
                # floor is opened by the same role (its session, its page frame).
                bare_before[name, role] = load(base, "/healthz", "", **options)
                floor_before[name, role] = load(base, FLOOR_PAGE[1], cookies[role], **options)
                results[name, role] = load(base, url, cookies[role], **options)
                r = results[name, role]
                log(f"{name:<32} {role:<12} p50 {r.p50_ms:6.1f}  p95 {r.p95_ms:6.1f} ms  {r.rps:6.1f}/s"
                    f"  {r.rps / floor_before[name, role].rps:4.2f} × floor  server CPU {r.server_cpu_ms:5.1f} ms"
                    + (f"  {r.errors} errors" if r.errors else ""))  # fmt: skip
    bare += bare_before.values()
    bare_rps = statistics.median(b.rps for b in bare)
    floor_rps = statistics.median(f.rps for f in floor_before.values()) if floor_before else 0.0
    log(
        f"bare view: median {bare_rps:.0f} req/s (from {min(b.rps for b in bare):.0f} to "
        f"{max(b.rps for b in bare):.0f}), {statistics.median(b.server_cpu_ms for b in bare):.1f} ms CPU"
    )
    counts = query_counts(users, urls)
    page_rows = [
        page_row(name, role, r, queries=counts.get((name, role)), bare=bare_before[name, role],
                 floor=floor_before[name, role])
        for (name, role), r in results.items()
    ]  # fmt: skip
    briefings: dict = {}
    if not args.no_briefings:
        clusters = list(Cluster.objects.order_by("code").values_list("code", flat=True))
        log("briefings: single renders")
        times = render_times(fy, clusters if scale == 1 else [BENCH_CLUSTER])
        briefings = {
            "fiscal_year": fy,
            "cluster_render_s": round(times[BENCH_CLUSTER], 2),
            "cluster": BENCH_CLUSTER,
            "national_render_s": round(times["TH"], 2),
            "cluster_docx_s": round(times["docx"], 2),
        }
        if scale == 1:
            log("briefings: 18 cluster briefings through Celery (concurrency 2)")
            workers = through_workers(fy, clusters, users["advisor"], env)
            single_sum = sum(times[c] for c in clusters)
            briefings.update(
                {
                    "clusters_single_render_s": {c: round(times[c], 2) for c in clusters},
                    "clusters_single_sum_s": round(single_sum, 2),
                    "clusters_through_workers": {**workers, "workers": "1 Celery worker, concurrency 2"},
                    "speedup": round(single_sum / workers["wall_s"], 2),
                }
            )
    return {
        "machine": machine(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scale": scale,
        "floor": {"name": FLOOR_PAGE[0], "url": FLOOR_PAGE[1], "rps": round(floor_rps, 1)},
        "pages": page_rows,
        "briefings": briefings,
        # Not part of results.json's shape: kept for RESULTS.md.
        "_bare_rps": round(bare_rps, 1),
        "_rps": {f"{n}|{r}": round(v.rps, 1) for (n, r), v in results.items()},
        "_server_cpu_ms": {f"{n}|{r}": round(v.server_cpu_ms, 1) for (n, r), v in results.items()},
        "_errors": sum(v.errors for v in results.values()),
    }


# --- report ------------------------------------------------------------------------------------------------


def targets(national: dict | None, scale10: dict | None) -> list[tuple[str, bool, str]]:
    """(target, met, detail) for every target that the available results can judge."""
    out = []
    if national:
        for p in national["pages"]:
            limit = PAGE_P95_TARGETS_MS.get(p["name"], P95_TARGET_MS)
            out.append((f"p95 ≤ {limit} ms: {p['name']} ({p['role']})", p["p95_ms"] <= limit,
                        f"{p['p95_ms']:.0f} ms"))  # fmt: skip
    for p in (scale10 or {}).get("pages", []):
        if (limit := PAGE_P95_TARGETS_MS.get(p["name"])) is not None:
            out.append((f"p95 ≤ {limit} ms at scale 10: {p['name']} ({p['role']})", p["p95_ms"] <= limit,
                        f"{p['p95_ms']:.0f} ms"))  # fmt: skip
    for result in filter(None, (national, scale10)):
        for p in result["pages"]:
            if p["name"] in RATIO_PAGES and "ratio_to_floor" in p:
                out.append((f"throughput ≥ {FLOOR_RATIO_TARGET} × floor at scale {result['scale']}: {p['name']} ({p['role']})",
                            p["ratio_to_floor"] >= FLOOR_RATIO_TARGET, f"{p['ratio_to_floor']:.2f} × floor"))  # fmt: skip
    b = (national or {}).get("briefings") or {}
    if b:
        out.append((f"cluster briefing ≤ {CLUSTER_RENDER_TARGET_S:g} s", b["cluster_render_s"] <= CLUSTER_RENDER_TARGET_S,
                    f"{b['cluster_render_s']:.1f} s"))  # fmt: skip
        out.append((f"national briefing ≤ {NATIONAL_RENDER_TARGET_S:g} s", b["national_render_s"] <= NATIONAL_RENDER_TARGET_S,
                    f"{b['national_render_s']:.1f} s"))  # fmt: skip
        if "cluster_docx_s" in b:
            out.append((f"cluster DOCX ≤ {DOCX_RENDER_TARGET_S:g} s", b["cluster_docx_s"] <= DOCX_RENDER_TARGET_S,
                        f"{b['cluster_docx_s']:.1f} s"))  # fmt: skip
        if "clusters_through_workers" in b:
            limit = WORKERS_TARGET * b["clusters_single_sum_s"] / 2
            wall = b["clusters_through_workers"]["wall_s"]
            out.append((f"18 cluster briefings through 2 workers ≤ {WORKERS_TARGET:g} × (sum of single renders / 2)",
                        wall <= limit, f"{wall:.1f} s against {limit:.1f} s"))  # fmt: skip
    if national and scale10:
        before = {(p["name"], p["role"]): p for p in national["pages"]}
        for p in scale10["pages"]:
            b = before.get((p["name"], p["role"]))
            if not b:
                continue
            growth = p["p95_ms"] / b["p95_ms"] if b["p95_ms"] else 0
            out.append((f"scale 10 p95 ≤ {GROWTH_TARGET} × national: {p['name']} ({p['role']})",
                        growth <= GROWTH_TARGET, f"{p['p95_ms']:.0f} ms = {growth:.2f} ×"))  # fmt: skip
            # Fewer is not growth: a part drawn only when there is something to show (the hint's "which of
            # these may you open", when it finds similar plans) may find nothing in another year's data.
            out.append((f"queries do not grow with data size: {p['name']} ({p['role']})", p["queries"] <= b["queries"],
                        f"{b['queries']} → {p['queries']}"))  # fmt: skip
    return out


def markdown(national: dict | None, scale10: dict | None) -> str:
    main = national or scale10
    m = main["machine"]
    lines = [
        f"Measured {main['when'][:10]} on {m['cpu'] or 'unknown CPU'}, {m['cores']} cores, {m['memory']} "
        f"({m['os']}), PostgreSQL {m['postgresql']}, Python {m['python']}; {m['server']}; {m['load']}; "
        f"{REQUESTS_NOTE}. \"CPU ms\": the gunicorn workers' CPU time per request (without the database's).",
        "",
    ]

    def cpu(result: dict, p: dict) -> str:
        value = result.get("_server_cpu_ms", {}).get(f"{p['name']}|{p['role']}")
        return "–" if value is None else f"{value:.0f}"

    later = {(p["name"], p["role"]): p for p in (scale10 or {}).get("pages", [])} if national else {}
    head = "| page | role | p50 ms | p95 ms | queries | × floor | × bare | CPU ms |"
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if later:
        head += " p95 ms at ×10 | ×10 / ×1 | queries at ×10 | CPU ms at ×10 |"
        rule += "---:|---:|---:|---:|"
    lines += [head, rule]
    for p in main["pages"]:
        row = (
            f"| {p['name']} | {p['role']} | {p['p50_ms']:.0f} | {p['p95_ms']:.0f} | {p['queries']} | "
            f"{_ratio(p, 'ratio_to_floor')} | {_ratio(p, 'throughput_ratio')} | {cpu(main, p)} |"
        )
        if later:
            q = later.get((p["name"], p["role"]))
            row += (
                f" {q['p95_ms']:.0f} | {q['p95_ms'] / p['p95_ms']:.2f} | {q['queries']} | {cpu(scale10, q)} |"
                if q and p["p95_ms"]
                else " – | – | – | – |"
            )
        lines.append(row)
    for result in filter(None, (national, scale10)):
        floor = result.get("floor") or {}
        lines += [
            "",
            f"Floor ({floor.get('name', '?')}, {floor.get('url', '?')}) at scale {result['scale']}: "
            f"{floor.get('rps', '?')} requests/s; bare view (/healthz): {result.get('_bare_rps', '?')} requests/s "
            "(medians of the runs right before each page; each page's throughput is divided by its own).",
        ]
    b = (national or {}).get("briefings") or {}
    if b:
        lines += [
            "",
            f"Briefings (FY {b['fiscal_year']}): a cluster briefing ({b['cluster']}) renders in "
            f"{b['cluster_render_s']:.1f} s, the national one in {b['national_render_s']:.1f} s"
            + (f", the cluster DOCX in {b['cluster_docx_s']:.1f} s." if "cluster_docx_s" in b else "."),
        ]
        if "clusters_through_workers" in b:
            w = b["clusters_through_workers"]
            lines.append(
                f"The 18 cluster briefings: {b['clusters_single_sum_s']:.1f} s one after another; "
                f"{w['wall_s']:.1f} s through one Celery worker of concurrency 2 ({w['done']}/{w['jobs']} done), "
                f"{b['speedup']:.2f}× faster."
            )
    b10 = (scale10 or {}).get("briefings") or {}
    if b10:
        lines.append(
            f"At scale 10 (FY {b10['fiscal_year']}): cluster {b10['cluster_render_s']:.1f} s, national "
            f"{b10['national_render_s']:.1f} s."
        )
    checks = targets(national, scale10)
    missed = [c for c in checks if not c[1]]
    lines += ["", f"Targets: {len(checks) - len(missed)} of {len(checks)} met."]
    for name, _met, detail in missed:
        lines.append(f"- MISS {name}: {detail}")
    return "\n".join(lines) + "\n"


def _ratio(page: dict, key: str) -> str:
    return f"{page[key]:.2f}" if page.get(key) is not None else "–"


REQUESTS_NOTE = "200 requests per page and role after a warm-up"


def write_json(result: dict) -> None:
    public = {k: v for k, v in result.items() if not k.startswith("_")}
    path = RESULT_FILES[result["scale"]]
    path.write_text(json.dumps(public, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    # The extra figures (requests/s of each page and of the bare view) go beside it, under bench/raw/.
    raw = BENCH / "raw"
    raw.mkdir(exist_ok=True)
    (raw / path.name).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_json(scale: int) -> dict | None:
    for path in (BENCH / "raw" / RESULT_FILES[scale].name, RESULT_FILES[scale]):
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
    return None


def print_table(result: dict) -> None:
    print(
        f"\nScale {result['scale']} (floor {result['floor']['rps']} req/s, bare view {result['_bare_rps']} req/s)"
    )
    print(
        f"{'page':<32} {'role':<12} {'p50 ms':>7} {'p95 ms':>7} {'queries':>7} {'× floor':>7} {'× bare':>7}"
    )
    for p in result["pages"]:
        print(f"{p['name']:<32} {p['role']:<12} {p['p50_ms']:>7.1f} {p['p95_ms']:>7.1f} {p['queries']!s:>7} "
              f"{p['ratio_to_floor']:>7.2f} {p['throughput_ratio']:>7.2f}")  # fmt: skip
    if result["briefings"]:
        print("briefings:", json.dumps(result["briefings"], ensure_ascii=False))


def main() -> None:
    global REQUESTS_NOTE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["1", "10", "both"], default="both")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8077")))
    parser.add_argument("--password", default="asean2570", help="of the generated logins (DEMO_PASSWORD)")
    parser.add_argument(
        "--reuse-data", action="store_true", help="skip generating (the data is already there)"
    )
    parser.add_argument("--no-briefings", action="store_true")
    parser.add_argument("--only", nargs="*", help="only pages whose name contains one of these words")
    args = parser.parse_args()
    REQUESTS_NOTE = f"{args.requests} requests per page and role after {args.warmup} warm-up requests"
    scales = [1, 10] if args.scale == "both" else [int(args.scale)]
    VAR.mkdir(parents=True, exist_ok=True)
    env = production_env(args.port)
    started = time.perf_counter()
    log("migrate, collect static files, load the reference data")
    manage("migrate", "--no-input", "-v0", env=env)
    manage("collectstatic", "--no-input", "-v0", env=env)
    manage("load_reference", env=env)
    django_setup(env)
    for scale in scales:
        result = run_scale(scale, args, env)
        write_json(result)
        print_table(result)
    # One scale alone is compared with the last run of the other only when that is the national one.
    national = read_json(1)
    scale10 = read_json(10) if 10 in scales else None
    (BENCH / "RESULTS.md").write_text(markdown(national, scale10), encoding="utf-8")
    print()
    for name, met, detail in targets(national, scale10):
        print(f"{'PASS' if met else 'MISS'}  {name}: {detail}")
    log(
        f"done in {(time.perf_counter() - started) / 60:.1f} min; bench/RESULTS.md, bench/results*.json written"
    )


if __name__ == "__main__":
    main()
