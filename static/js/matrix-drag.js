// Progressive enhancement for advisors: drag a point of the ก ข ค ง matrix to another quadrant.
// Dropping it asks for the reason in a dialog and posts the same form as the no-JavaScript page.
(function () {
  "use strict";
  const svg = document.querySelector("svg.strategy-matrix[data-draggable]");
  const dialog = document.getElementById("override-dialog");
  if (!svg || !dialog) return;
  const form = document.getElementById("override-form");
  const left = +svg.dataset.left, top = +svg.dataset.top, w = +svg.dataset.plotW, h = +svg.dataset.plotH;

  function toSvg(evt) {
    const pt = svg.createSVGPoint();
    pt.x = evt.clientX; pt.y = evt.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse());
  }
  function quadrantAt(p) {
    if (p.x < left || p.x > left + w || p.y < top || p.y > top + h) return null;
    const aseanHigh = p.x >= left + w / 2, nationalHigh = p.y <= top + h / 2;
    return aseanHigh ? (nationalHigh ? "ก" : "ข") : (nationalHigh ? "ค" : "ง");
  }

  let drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    const link = evt.target.closest("a.matrix-point");
    if (!link || evt.button !== 0) return;
    const circle = link.querySelector("circle");
    const start = toSvg(evt);
    drag = { link, circle, start, cx: +circle.getAttribute("cx"), cy: +circle.getAttribute("cy"), moved: false };
    svg.setPointerCapture(evt.pointerId);
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    const p = toSvg(evt);
    const dx = p.x - drag.start.x, dy = p.y - drag.start.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      drag.circle.setAttribute("cx", drag.cx + dx);
      drag.circle.setAttribute("cy", drag.cy + dy);
    }
  });
  svg.addEventListener("pointerup", function (evt) {
    if (!drag) return;
    const d = drag; drag = null;
    if (!d.moved) return;  // a plain click: let the link open the strategy
    const target = quadrantAt(toSvg(evt));
    d.link.addEventListener("click", function (e) { e.preventDefault(); }, { once: true });
    if (!target || target === d.link.dataset.quadrant) {
      d.circle.setAttribute("cx", d.cx); d.circle.setAttribute("cy", d.cy);
      return;
    }
    form.action = form.dataset.actionTemplate.replace("/0/", "/" + d.link.dataset.id + "/");
    document.getElementById("override-quadrant").value = target;
    document.getElementById("override-summary").textContent =
      d.link.getAttribute("aria-label") + "  →  " + target;
    dialog.returnCircle = d;
    dialog.showModal();
    document.getElementById("override-reason").focus();
  });
  document.getElementById("override-cancel").addEventListener("click", function () {
    const d = dialog.returnCircle;
    if (d) { d.circle.setAttribute("cx", d.cx); d.circle.setAttribute("cy", d.cy); }
    dialog.close();
  });
})();
