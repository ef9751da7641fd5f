// "Select all" for a table of checkboxes: <input type="checkbox" data-select-all="NAME"> ticks or clears every
// checkbox named NAME. Without JavaScript it would do nothing, so its wrapper starts hidden and is shown here.
document.querySelectorAll("input[data-select-all]").forEach((all) => {
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${all.dataset.selectAll}"]`);
  const sync = () => {
    const list = [...boxes()];
    all.checked = list.length > 0 && list.every((b) => b.checked);
  };
  all.closest("[data-select-all-wrap]")?.removeAttribute("hidden");
  all.addEventListener("change", () => boxes().forEach((b) => { b.checked = all.checked; }));
  boxes().forEach((b) => b.addEventListener("change", sync));
  sync();
});
