// Find in this episode: a box above the transcript that highlights a word or phrase in every turn,
// counts the matches ("3 of 12") and jumps between them (Enter / Shift+Enter, the arrow buttons),
// and can show only the turns that match. Escape clears it. No index: it reads the page.
//
// Matching is as forgiving as the site's search: case, accents and apostrophes do not count, and any
// punctuation between words is a space ("woo hoo" finds "Woo-hoo!", "dont" finds "don't").
// Highlights use the CSS Custom Highlight API (the page's text is not changed). Jumping to a match puts
// its turn's anchor in the address, and a page opened with ?find=words (as search results link) starts
// with those words found, at the first match in the turn the address names.
(() => {
  const form = document.getElementById("find");
  const input = document.getElementById("find-q");
  const count = document.getElementById("find-count");
  const only = document.getElementById("find-only");
  const transcript = document.getElementById("transcript");
  if (!form || !input || !transcript) return;
  const turns = [...transcript.querySelectorAll(".turn")];
  const highlights = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  let matches = [];   // { turn, range }
  let current = -1;

  // A turn's words as one normalised string, with where each of its characters is in the page.
  const texts = new Map();
  function textOf(turn) {
    if (texts.has(turn)) return texts.get(turn);
    let text = "";
    const nodes = [];
    const offsets = [];
    const walker = document.createTreeWalker(turn, NodeFilter.SHOW_TEXT, {
      acceptNode: n => n.parentElement.closest(".turn-meta") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const value = node.nodeValue;
      for (let i = 0; i < value.length; i++) {
        const c = fold(value[i]);
        if (c === "") continue;
        if (c === " " && (text === "" || text.endsWith(" "))) continue;
        text += c;
        nodes.push(node);
        offsets.push(i);
      }
      if (!text.endsWith(" ") && text) { text += " "; nodes.push(node); offsets.push(value.length); }
    }
    const found = { text, nodes, offsets };
    texts.set(turn, found);
    return found;
  }

  // One character as compared: a letter or digit without accent, in lower case; apostrophes nothing;
  // anything else a space.
  function fold(c) {
    if (/['’‘`]/.test(c)) return "";
    const base = c.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    return /^[\p{L}\p{N}]+$/u.test(base) ? base : " ";
  }

  function normalise(query) {
    return [...query].map(fold).join("").replace(/\s+/g, " ").trim();
  }

  function find(query) {
    const key = normalise(query);
    const found = [];
    if (!key) return found;
    for (const turn of turns) {
      const { text, nodes, offsets } = textOf(turn);
      for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
        // From the start of a word ("tide" finds "tides", not "stride").
        if (at > 0 && text[at - 1] !== " ") continue;
        const range = document.createRange();
        const end = at + key.length - 1;
        range.setStart(nodes[at], offsets[at]);
        range.setEnd(nodes[end], offsets[end] + 1);
        found.push({ turn, range });
      }
    }
    return found;
  }

  function paint() {
    if (!highlights) return;
    CSS.highlights.delete("find");
    CSS.highlights.delete("find-current");
    if (matches.length) CSS.highlights.set("find", new Highlight(...matches.map(m => m.range)));
    if (current >= 0) CSS.highlights.set("find-current", new Highlight(matches[current].range));
  }

  function show() {
    const q = input.value.trim();
    if (!q) count.textContent = "";
    else if (!matches.length) count.textContent = "No matches";
    else count.textContent = `${current + 1} of ${matches.length}`;
    form.classList.toggle("find-none", Boolean(q) && !matches.length);
    const filtering = only && only.checked && q;
    const hit = new Set(matches.map(m => m.turn));
    for (const turn of turns) turn.hidden = Boolean(filtering) && !hit.has(turn);
    paint();
  }

  function go(index, scroll = true) {
    if (!matches.length) { current = -1; show(); return; }
    current = (index + matches.length) % matches.length;
    show();
    const { turn, range } = matches[current];
    if (scroll) {
      if (turn.id) history.replaceState(history.state, "", `${location.pathname}${location.search}#${turn.id}`);
      const box = range.getBoundingClientRect();
      const header = document.querySelector(".site-header");
      const top = (header ? Math.max(0, header.getBoundingClientRect().bottom) : 0) + 16;
      if (box.top < top || box.bottom > innerHeight - 16) {
        scrollBy({ top: box.top - Math.max(top, innerHeight / 3), behavior: "instant" });
      }
    }
  }

  function update(scroll = true, from = null) {
    const shown = current >= 0 ? matches[current].range : null;
    matches = find(input.value);
    // Start at the turn asked for, or at the match shown so far (typing on does not jump back to the top).
    let start = -1;
    if (from) start = matches.findIndex(m => m.turn === from);
    else if (shown) start = matches.findIndex(m => m.range.compareBoundaryPoints(Range.START_TO_START, shown) >= 0);
    go(Math.max(0, start), scroll);
  }

  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => update(), 120); });
  input.addEventListener("keydown", event => {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(timer);
      if (normalise(input.value) && !matches.length) update();
      else go(current + (event.shiftKey ? -1 : 1));
    } else if (event.key === "Escape") {
      event.preventDefault();
      input.value = "";
      matches = [];
      current = -1;
      show();
    }
  });
  form.addEventListener("submit", event => event.preventDefault());
  document.getElementById("find-next").addEventListener("click", () => go(current + 1));
  document.getElementById("find-prev").addEventListener("click", () => go(current - 1));
  if (only) only.addEventListener("change", () => show());

  const asked = new URLSearchParams(location.search).get("find");
  if (asked) {
    input.value = asked;
    const target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    update(false, target && target.closest(".turn"));
  }
})();
