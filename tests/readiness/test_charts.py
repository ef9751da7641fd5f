"""The server-rendered SVG charts: well-formed, Sarabun on every text, escaped, and drawing the right data."""

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from readiness.charts import LAGGING_RED, cluster_spread, dimension_bars
from readiness.choices import DIMENSION_HEX

NS = "{http://www.w3.org/2000/svg}"
THAI = {"place": "พื้นที่", "product": "ผลิตภัณฑ์", "people": "ประชาชน"}
FONT = "Sarabun, sans-serif"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(str(svg))


def elements(root: ET.Element, tag: str, cls: str | None = None) -> list[ET.Element]:
    found = root.iter(f"{NS}{tag}")
    return [e for e in found if cls is None or cls in e.get("class", "").split()]


def texts(root: ET.Element, cls: str | None = None) -> list[str]:
    return [e.text or "" for e in elements(root, "text", cls)]


def bars(values, previous=None, **kwargs):
    kwargs = {"labels": THAI, "title": "คะแนนความพร้อม", "previous_label": "รอบที่แล้ว", **kwargs}
    return dimension_bars(values, previous, **kwargs)


CLUSTER = [
    {"code": "TH-50", "name": "เชียงใหม่", "values": {"place": 62.5, "product": 40.0, "people": None}},
    {"code": "TH-51", "name": "ลำพูน", "values": {"place": 31.25, "product": 60.0, "people": None}},
    {"code": "TH-52", "name": "ลำปาง", "values": {"place": 58.0, "product": 80.0, "people": None}},
    {"code": "TH-58", "name": "แม่ฮ่องสอน", "values": {"place": 70.0, "product": None, "people": None}},
]


def spread(rows=CLUSTER, **kwargs):
    kwargs = {
        "labels": THAI,
        "title": "การกระจายในกลุ่มจังหวัด",
        "mean_label": "เฉลี่ย",
        "no_data_label": "ไม่มีข้อมูล",
    }
    return cluster_spread(rows, **kwargs)


CHARTS = {
    "bars": lambda: bars({"place": 62.5, "product": None, "people": 40}, {"place": 55, "people": None}),
    "spread": lambda: spread(),
}


@pytest.mark.parametrize("chart", CHARTS)
def test_it_renders_well_formed_accessible_svg(chart):
    svg = CHARTS[chart]()
    assert isinstance(svg, SafeString)
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("width") == "100%"
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 ")
    assert root.get("aria-label")
    assert root.find(f"{NS}title").text == root.get("aria-label")


@pytest.mark.parametrize("chart", CHARTS)
def test_it_names_sarabun_on_every_text(chart):
    # WeasyPrint does not inherit the page font into inline SVG: every <text> must name it itself.
    all_texts = elements(parse(CHARTS[chart]()), "text")
    assert all_texts
    assert all(t.get("font-family") == FONT for t in all_texts)


@pytest.mark.parametrize("chart", CHARTS)
def test_it_renders_the_same_output_every_time(chart):
    assert CHARTS[chart]() == CHARTS[chart]()


def test_it_prints_thai_dimension_labels_on_the_bars():
    root = parse(bars({"place": 10, "product": 20, "people": 30}))
    assert {"พื้นที่", "ผลิตภัณฑ์", "ประชาชน"} <= set(texts(root))


def test_it_draws_bars_proportional_to_their_values():
    root = parse(bars({"place": 100, "product": 50, "people": 25}))
    rects = {r.get("data-dimension"): r for r in elements(root, "rect", "bar")}
    width = {key: float(r.get("width")) for key, r in rects.items()}
    assert width["product"] == pytest.approx(width["place"] / 2)
    assert width["people"] == pytest.approx(width["place"] / 4)
    # All bars start on the 0 line and take their dimension's colour.
    assert len({r.get("x") for r in rects.values()}) == 1
    assert {key: r.get("fill") for key, r in rects.items()} == DIMENSION_HEX


def test_it_pins_values_outside_0_to_100_to_the_scale_but_prints_them():
    root = parse(bars({"place": 120, "product": 100, "people": -5}))
    width = {r.get("data-dimension"): float(r.get("width")) for r in elements(root, "rect", "bar")}
    assert width["place"] == width["product"]
    assert width["people"] == 0
    assert texts(root, "value") == ["120", "100", "-5"]


def test_it_draws_no_bar_and_prints_the_no_data_label_for_a_missing_score():
    root = parse(bars({"place": 50, "product": None, "people": 0}, no_data_label="ยังไม่มีข้อมูล"))
    assert {r.get("data-dimension") for r in elements(root, "rect", "bar")} == {"place", "people"}
    assert texts(root, "no-data") == ["ยังไม่มีข้อมูล"]
    assert texts(root, "value") == ["50", "0"]


def test_it_prints_values_with_at_most_one_decimal_rounding_half_up():
    root = parse(bars({"place": 62.46, "product": 50.0, "people": 31.25}))
    assert texts(root, "value") == ["62.5", "50", "31.3"]
    # Coordinates too: no float noise in the markup.
    for rect in elements(root, "rect", "bar"):
        assert len(rect.get("width").partition(".")[2]) <= 1


def test_it_escapes_user_text():
    evil = '<script>alert("x")</script> & co'
    svg = str(
        dimension_bars(
            {"place": 50, "product": None, "people": None},
            {"place": 40},
            labels={"place": evil, "product": "P", "people": "Q"},
            title=evil,
            previous_label=evil,
            no_data_label=evil,
        )
    )
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    root = parse(svg)  # still well-formed
    assert root.get("aria-label") == evil
    assert evil in texts(root)

    rows = [
        {"code": '"TH-1', "name": evil, "values": {"place": 10.0, "product": None, "people": None}},
        {"code": "TH-2", "name": "P", "values": {"place": 20.0, "product": None, "people": None}},
    ]  # two: one province alone is not a lagging one
    svg = str(cluster_spread(rows, labels=THAI, title=evil, mean_label=evil, no_data_label=evil))
    assert "<script" not in svg
    root = parse(svg)
    assert f"{evil} 10" in texts(root, "lagging-name")
    assert elements(root, "circle", "lagging")[0].get("data-code") == '"TH-1'


def test_it_marks_no_lagging_province_when_only_one_has_a_value():
    rows = [{"code": "TH-50", "name": "เชียงใหม่", "values": {"place": 40.0, "product": 60.0, "people": 80.0}}]
    root = parse(str(cluster_spread(rows, labels=THAI, title="t", mean_label="mean")))
    assert not texts(root, "lagging-name") and not elements(root, "circle", "lagging")
    assert "เชียงใหม่ 40" in texts(root, "name")


def test_it_marks_last_round_only_where_there_is_a_previous_value():
    root = parse(
        bars({"place": 60, "product": 50, "people": None}, {"place": 40, "product": None, "people": 30})
    )
    markers = {m.get("data-dimension"): m for m in elements(root, "line", "previous")}
    assert set(markers) == {"place", "people"}  # people: a marker even without a score this round
    assert texts(root, "legend") == ["รอบที่แล้ว"]
    # The marker sits at 40 on the scale: 40% of the way along a full bar.
    full = parse(bars({"place": 100, "product": None, "people": None}))
    bar = elements(full, "rect", "bar")[0]
    expected = float(bar.get("x")) + 0.4 * float(bar.get("width"))
    assert float(markers["place"].get("x1")) == pytest.approx(expected)


@pytest.mark.parametrize("previous", [None, {}, {"place": None, "product": None, "people": None}])
def test_it_draws_no_marker_nor_legend_without_previous_values(previous):
    root = parse(bars({"place": 60, "product": 50, "people": 40}, previous))
    assert elements(root, "line", "previous") == []
    assert "รอบที่แล้ว" not in texts(root)


def test_it_marks_the_lagging_province_in_red_and_names_it():
    root = parse(spread())
    lagging = {c.get("data-dimension"): c for c in elements(root, "circle", "lagging")}
    assert {key: c.get("data-code") for key, c in lagging.items()} == {"place": "TH-51", "product": "TH-50"}
    assert all(c.get("fill") == LAGGING_RED for c in lagging.values())
    others = [c for c in elements(root, "circle", "dot") if "lagging" not in c.get("class")]
    assert others and all(c.get("fill") != LAGGING_RED for c in others)
    assert texts(root, "lagging-name") == ["ลำพูน 31.3", "เชียงใหม่ 40"]
    # The lagging dot is the leftmost one on its track.
    place = [c for c in elements(root, "circle", "dot") if c.get("data-dimension") == "place"]
    assert min(place, key=lambda c: float(c.get("cx"))) is lagging["place"]


def test_it_breaks_a_tie_for_last_place_by_province_code():
    rows = [
        {"code": "TH-52", "name": "ลำปาง", "values": {"place": 20.0}},
        {"code": "TH-50", "name": "เชียงใหม่", "values": {"place": 20.0}},
        {"code": "TH-51", "name": "ลำพูน", "values": {"place": 50.0}},
    ]
    root = parse(spread(rows))
    assert [c.get("data-code") for c in elements(root, "circle", "lagging")] == ["TH-50"]


def test_it_prints_the_mean_and_puts_its_marker_there():
    root = parse(spread())
    # place: (62.5 + 31.25 + 58 + 70) / 4 = 55.4375; product: (40 + 60 + 80) / 3 = 60 (the None is left out)
    assert texts(root, "mean") == ["เฉลี่ย 55.4", "เฉลี่ย 60"]
    markers = {m.get("data-dimension"): m for m in elements(root, "line", "mean-marker")}
    lampun_product = next(
        c
        for c in elements(root, "circle", "dot")
        if c.get("data-dimension") == "product" and c.get("data-code") == "TH-51"
    )
    assert markers["product"].get("x1") == lampun_product.get("cx")  # Lamphun's product score is exactly 60


def test_it_draws_a_dot_per_province_with_a_value_and_a_hover_title():
    root = parse(spread())
    dots = [c for c in elements(root, "circle", "dot") if c.get("data-dimension") == "product"]
    assert sorted(c.get("data-code") for c in dots) == ["TH-50", "TH-51", "TH-52"]
    titles = {c.get("data-code"): c.find(f"{NS}title").text for c in dots}
    assert titles["TH-52"] == "ลำปาง 80"


def test_it_prints_the_no_data_label_on_a_track_without_values():
    root = parse(spread())
    assert texts(root, "no-data") == ["ไม่มีข้อมูล"]
    assert not [c for c in elements(root, "circle") if c.get("data-dimension") == "people"]
    assert len(elements(root, "line", "mean-marker")) == 2


def test_it_names_every_province_of_a_cluster():
    root = parse(spread())
    place_names = {"ลำพูน 31.3", "เชียงใหม่", "ลำปาง", "แม่ฮ่องสอน"}
    assert place_names <= set(texts(root, "name")) | set(texts(root, "lagging-name"))


def test_it_names_only_the_lagging_province_on_a_national_chart():
    rows = [
        {
            "code": f"TH-{n}",
            "name": f"จังหวัด {n}",
            "values": {"place": float(n), "product": 100.0 - n, "people": None},
        }
        for n in range(10, 87)
    ]
    root = parse(spread(rows))
    assert texts(root, "name") == []
    assert texts(root, "lagging-name") == ["จังหวัด 10 10", "จังหวัด 86 14"]
    assert len([c for c in elements(root, "circle", "dot") if c.get("data-dimension") == "place"]) == 77
