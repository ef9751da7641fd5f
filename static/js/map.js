// Highlight the cluster of the province under the pointer or keyboard focus on the national map, and draw the
// focused province's ring on top of its neighbours (SVG paints in document order, so they would cover it).
(function () {
  "use strict";
  document.querySelectorAll("svg.thailand-map").forEach(function (svg) {
    function mark(evt, on) {
      const path = evt.target.closest ? evt.target.closest("[data-code]") || (evt.target.querySelector && evt.target.querySelector("[data-code]")) : null;
      if (!path || !path.dataset.cluster) return;
      svg.querySelectorAll('[data-cluster="' + path.dataset.cluster + '"]').forEach(function (p) {
        p.classList.toggle("cluster-hover", on);
      });
    }
    function ring(evt, on) {
      svg.querySelectorAll(".focus-ring").forEach(function (r) { r.remove(); });
      const path = on && evt.target.matches(":focus-visible") && evt.target.querySelector("[data-code]");
      if (!path) return;
      const copy = document.createElementNS("http://www.w3.org/2000/svg", "path");
      copy.setAttribute("d", path.getAttribute("d"));
      copy.setAttribute("class", "focus-ring");
      copy.setAttribute("aria-hidden", "true");
      svg.appendChild(copy);
    }
    svg.addEventListener("mouseover", function (e) { mark(e, true); });
    svg.addEventListener("mouseout", function (e) { mark(e, false); });
    // Focus listeners go on the HTML parent: Chromium makes an <svg> with focus listeners a tab stop itself.
    svg.parentElement.addEventListener("focusin", function (e) { mark(e, true); ring(e, true); });
    svg.parentElement.addEventListener("focusout", function (e) { mark(e, false); ring(e, false); });
  });
})();
