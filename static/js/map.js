// Highlight the cluster of the province under the pointer or keyboard focus on the national map.
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
    svg.addEventListener("mouseover", function (e) { mark(e, true); });
    svg.addEventListener("mouseout", function (e) { mark(e, false); });
    svg.addEventListener("focusin", function (e) { mark(e, true); });
    svg.addEventListener("focusout", function (e) { mark(e, false); });
  });
})();
