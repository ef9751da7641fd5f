"""Temporary: the hint's server time over a bucket of 370 strategies with stored-like meanings."""
import pickle, statistics, time, resource

import pytest
from django.utils import timezone

from strategies import embeddings
from strategies.decision import semantic
from strategies.models import Strategy, StrategyEmbedding

pytestmark = pytest.mark.django_db


def test_zz_hint_speed(make_strategy, cast, client_for, capsys, monkeypatch):
    from collections import defaultdict
    from strategies import similar
    spent = defaultdict(list)
    def wrap(mod, name):
        real = getattr(mod, name)
        def f(*a, **k):
            t = time.process_time(); r = real(*a, **k); spent[name].append(time.process_time() - t); return r
        monkeypatch.setattr(mod, name, f)
    wrap(similar, "_candidates"); wrap(embeddings, "vectors_for"); wrap(semantic, "encode_meanings"); wrap(similar, "score"); wrap(semantic, "score_bucket")
    wrap(similar, "hint")
    data = pickle.load(open("/tmp/bench/bucket.pkl", "rb"))
    for name in ("real", "long"):
        Strategy.objects.all().delete()
        docs, vec, drafts, dms = data[name]
        owners = [("N-UP1", cast["secretariat"]), ("TH-50", cast["planner"]), ("TH-52", cast["planner_lampang"])]
        made = []
        for k, d in enumerate(docs):
            code, by = owners[k % 3]
            made.append((make_strategy(code, by, title_th=d.title[:500], summary_th=d.summary), vec[d.id]))
        rows = []
        for s, m in made:
            rows.append(StrategyEmbedding(strategy_id=s.pk, text_hash=embeddings.hash_of(s), vector=semantic.to_bytes(m.full),
                        subject_vector=semantic.to_bytes(m.subject), words=list(m.words),
                        word_vectors=semantic.words_to_bytes(m.word_vectors), computed_at=timezone.now()))
        StrategyEmbedding.objects.bulk_create(rows)
        client = client_for(cast["planner"])
        semantic.encoder()
        client.post("/strategies/similar/", {"owner": "TH-50", "fiscal_year": "2570", "title_th": drafts[-1][0], "summary_th": drafts[-1][1]})
        wall, cpu, shown = [], [], []
        for title, summary in drafts:
            w, c = time.perf_counter(), time.process_time()
            r = client.post("/strategies/similar/", {"owner": "TH-50", "fiscal_year": "2570", "title_th": title[:500], "summary_th": summary})
            wall.append(time.perf_counter() - w); cpu.append(time.process_time() - c)
            assert r.status_code == 200
            shown.append(r.content.decode().count('class="similar-match'))
        wall.sort(); cpu.sort()
        with capsys.disabled():
            for k, v in spent.items():
                v = sorted(v[-len(drafts):]); print(f"   {k}: median {1000*statistics.median(v):.0f} ms, p95 {1000*v[int(0.95*len(v))-1]:.0f}")
        spent.clear()
        with capsys.disabled():
            print(f"\n{name}: {len(docs)} candidates, {len(drafts)} drafts: wall median {1000*statistics.median(wall):.0f} ms, "
                  f"p95 {1000*wall[int(0.95*len(wall))-1]:.0f} ms, max {1000*wall[-1]:.0f}; cpu median {1000*statistics.median(cpu):.0f} ms, "
                  f"p95 {1000*cpu[int(0.95*len(cpu))-1]:.0f} ms")
