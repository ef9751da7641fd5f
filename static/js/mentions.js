// @mention autocomplete for a comment box: <form data-mention-url="…"> with a <textarea>. Typing "@" and a few
// letters asks the server for the people who may open the page's object and lists them under the box;
// arrow keys (or the mouse) choose, Enter or Tab inserts "@username ". Without JavaScript one types the
// username by hand; the server reads the same plain "@username" either way.
document.querySelectorAll("form[data-mention-url]").forEach((form) => {
  const box = form.querySelector("textarea");
  if (!box) return;
  const url = form.dataset.mentionUrl;
  const list = document.createElement("ul");
  list.className = "list-group mention-suggestions mt-1";
  list.id = `${box.id || "comment"}-mentions`;
  list.setAttribute("role", "listbox");
  if (form.dataset.mentionLabel) list.setAttribute("aria-label", form.dataset.mentionLabel);
  list.hidden = true;
  box.after(list);
  box.setAttribute("role", "combobox");  // aria-expanded and aria-activedescendant belong to a combobox
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-expanded", "false");

  let items = [];
  let active = -1;
  let token = null; // {start, end}: the "@name" being typed
  let timer = null;
  let asked = 0;

  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    items = [];
    active = -1;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
  };

  const highlight = (index) => {
    active = index;
    items.forEach((li, i) => {
      li.classList.toggle("active", i === index);
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (items[index]) box.setAttribute("aria-activedescendant", items[index].id);
  };

  const choose = (index) => {
    const li = items[index];
    if (!li || !token) return;
    const insert = `@${li.dataset.username} `;
    box.value = box.value.slice(0, token.start) + insert + box.value.slice(token.end);
    const caret = token.start + insert.length;
    box.setSelectionRange(caret, caret);
    close();
    box.focus();
  };

  const show = (results) => {
    close();
    if (!results.length) return;
    results.forEach((user, i) => {
      const li = document.createElement("li");
      li.className = "list-group-item list-group-item-action small";
      li.id = `${list.id}-${i}`;
      li.setAttribute("role", "option");
      li.dataset.username = user.username;
      const name = document.createElement("strong");
      name.textContent = `@${user.username}`;
      li.append(name);
      const detail = [user.name, user.role].filter(Boolean).join(" · ");
      if (detail) li.append(` ${detail}`);
      li.addEventListener("mousedown", (event) => {
        event.preventDefault(); // keep the focus (and the caret) in the box
        choose(i);
      });
      list.append(li);
      items.push(li);
    });
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
    highlight(0);
  };

  const current = () => {
    const caret = box.selectionStart;
    const before = box.value.slice(0, caret);
    const match = before.match(/(^|[^\w@.+-])@([\w.+-]{0,150})$/u);
    if (!match) return null;
    return { start: caret - match[2].length - 1, end: caret, prefix: match[2] };
  };

  const lookup = () => {
    token = current();
    if (!token) {
      close();
      return;
    }
    const ticket = ++asked;
    fetch(`${url}?q=${encodeURIComponent(token.prefix)}`, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : { results: [] }))
      .then((data) => {
        if (ticket === asked) show(data.results || []); // an older answer arriving late is ignored
      })
      .catch(close);
  };

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(lookup, 150);
  });
  box.addEventListener("keydown", (event) => {
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + items.length) % items.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape") {
      close();
    }
  });
  box.addEventListener("blur", () => setTimeout(close, 150));
});
