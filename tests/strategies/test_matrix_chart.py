"""The matrix chart (strategies.charts) at national scale: every point inside the frame, and no tangle of
movement arrows once the points are too many to follow them."""

import re

import pytest

from strategies.charts import CROWD, LEFT, PLOT_H, PLOT_W, TOP, MatrixPoint, matrix_svg

CIRCLE = re.compile(r'<a href[^>]*><circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"')


def _points(n: int, *, at: tuple[float, float] | None = None) -> list[MatrixPoint]:
    corners = [(0, 0), (100, 100), (0, 100), (100, 0), (50, 50)]
    return [
        MatrixPoint(
            pk=i, title=f"ยุทธศาสตร์ {i}", owner="เชียงใหม่", asean=(at or corners[i % 5])[0],
            national=(at or corners[i % 5])[1], quadrant="ก", overridden=False, budget=float(1 + i % 7) * 1e6,
            colour="#0d6efd", href=f"/strategies/{i}/", previous=(40.0, 40.0),
        )
        for i in range(n)
    ]  # fmt: skip


def _svg(points: list[MatrixPoint]) -> str:
    return matrix_svg(
        points, title="t", x_label="x", y_label="y", high="สูง", low="ต่ำ", quadrant_notes={}, legend=[],
        budget_label="ขนาดจุด: งบประมาณ", crowded_note="ลูกศรไม่แสดง",
    )  # fmt: skip


@pytest.mark.parametrize("n", [5, CROWD, 400])
def test_it_keeps_every_point_inside_the_frame_even_at_the_corners_and_piled_up(n):
    svg = _svg(_points(n))
    circles = [tuple(map(float, c)) for c in CIRCLE.findall(svg)]
    assert len(circles) == n
    for cx, cy, r in circles:
        assert cx - r + 0.11 >= LEFT and cx + r - 0.11 <= LEFT + PLOT_W, (cx, r)
        assert cy - r + 0.11 >= TOP and cy + r - 0.11 <= TOP + PLOT_H, (cy, r)


def test_it_draws_arrows_only_while_they_can_be_followed():
    few = _points(CROWD)
    few[0].overridden = True
    svg = _svg(few)
    assert svg.count('class="movement"') == CROWD and svg.count('class="override-arrow"') == 1
    assert "ลูกศรไม่แสดง" not in svg
    many = _points(CROWD + 1)
    many[0].overridden = True
    svg = _svg(many)
    assert 'class="movement"' not in svg and 'class="override-arrow"' not in svg
    assert 'stroke="#dc3545"' in svg  # the overridden point keeps its red ring
    assert "ลูกศรไม่แสดง" in svg  # the legend says why, and how to see them


def test_it_shrinks_points_in_a_crowd_so_that_they_cover_each_other_less():
    def largest(n: int) -> float:
        return max(float(r) for _x, _y, r in CIRCLE.findall(_svg(_points(n, at=(70, 70)))))

    assert largest(400) < largest(CROWD) * 0.5
