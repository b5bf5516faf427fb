// Loaded by player.js when first needed: "Share quote" for words selected in a transcript, and
// moving through the site while audio plays (<main> is swapped, the audio element stays; a page
// that cannot be fetched, or with a script outside <main> that ran here already, loads as usual
// and the mini player there carries on; scripts inside <main> run again with their content).
export default api => {
  const doc = document;

  // Share a quote: the words, who said them, and a link to that moment.
  let button = null, dialog = null, quote = null;
  function offer() {
    const sel = getSelection();
    const text = sel.rangeCount && !sel.isCollapsed ? sel.toString().replace(/\s+/g, " ").trim() : "";
    let node = text ? sel.getRangeAt(0).startContainer : null;
    if (node && node.nodeType !== 1) node = node.parentElement;
    const turn = node && node.closest(".turn[id]");
    if (!turn || !api.page().main.contains(turn) || text.length < 2) {
      if (button) button.hidden = true;
      return;
    }
    quote = { text: text.length > 500 ? `${text.slice(0, 499)}…` : text, turn };
    if (!button) {
      button = api.make("button", "share-quote", "Share quote");
      button.type = "button";
      button.addEventListener("pointerdown", e => e.preventDefault());  // keep the selection
      button.addEventListener("click", share);
      doc.body.append(button);
    }
    const r = sel.getRangeAt(0).getBoundingClientRect();
    button.style.top = `${r.bottom + scrollY + 8}px`;
    button.style.left = `${Math.max(8, Math.min(r.left + scrollX, scrollX + doc.documentElement.clientWidth - 150))}px`;
    button.hidden = false;
  }
  function share() {
    const { text, turn } = quote;
    const who = ((turn.querySelector(".turn-speaker, .marker") || {}).textContent || "").trim();
    const pg = api.page(), title = pg.ep ? pg.ep.title : doc.title;
    if (!dialog) {
      dialog = api.make("dialog", "share", '<h2 id="share-title">Share quote</h2><blockquote><p></p><footer></footer></blockquote>'
        + '<label>Link <input type="url" readonly></label><p class="share-actions"><button type="button">Copy quote and link</button> '
        + '<button type="button">Copy link</button> <button type="button">Share…</button> <button type="button">Close</button></p>');
      dialog.setAttribute("aria-labelledby", "share-title");
      doc.body.append(dialog);
      const [both, link, send, close] = dialog.querySelectorAll("button");
      const input = dialog.querySelector("input");
      both.addEventListener("click", () => api.copy(`${dialog.dataset.words}\n${input.value}`, input.value, "Quote"));
      link.addEventListener("click", () => api.copy(input.value, input.value, "Link"));
      send.hidden = !navigator.share;
      send.addEventListener("click", () => navigator.share({ title: dialog.dataset.title, text: dialog.dataset.words, url: input.value }).catch(() => {}));
      close.addEventListener("click", () => dialog.close());
    }
    dialog.dataset.words = "“" + text + "”" + (who ? " — " + who : "") + ", " + title;
    dialog.dataset.title = title;
    dialog.querySelector("blockquote p").textContent = `“${text}”`;
    dialog.querySelector("footer").textContent =
      (who ? who + ", " : "") + title + (api.exact(turn) ? " (" + api.clock(api.startOf(turn)) + ")" : "");
    dialog.querySelector("input").value = api.linkTo(turn);
    button.hidden = true;
    dialog.showModal();
  }

  // Moving through the site.
  const ran = new Set([...doc.scripts].map(s => s.src).filter(Boolean));
  async function go(url, push, y) {
    try {
      const response = await fetch(url.href, { headers: { Accept: "text/html" } });
      if (!response.ok || !/html/.test(response.headers.get("content-type") || "")) throw new Error("not a page");
      const next = new DOMParser().parseFromString(await response.text(), "text/html");
      const main = next.querySelector("main");
      const scripts = [...next.scripts].filter(s => !/json/.test(s.type) && s.src !== api.self);
      const sheets = new Set([...doc.querySelectorAll("link[rel=stylesheet]")].map(l => l.href));
      // Scripts inside <main> belong to that content and run again with it (a module only once); one
      // outside <main> that ran here already, or inline, would not: load that page as usual.
      const once = s => (s.type === "module" || !main.contains(s)) && (!s.src || ran.has(s.src));
      if (!main || scripts.some(once)
          || [...next.querySelectorAll("link[rel=stylesheet]")].some(l => !sheets.has(l.href))) throw new Error("load it");
      if (push) {
        history.replaceState({ ...history.state, y: scrollY }, "");
        history.pushState({}, "", url.href);
      }
      history.scrollRestoration = "manual";
      api.shown = url.pathname + url.search;
      api.save();
      doc.title = next.title;
      doc.body.className = next.body.className;
      const header = doc.getElementById("site-header"), newHeader = next.getElementById("site-header");
      if (header && newHeader) header.replaceWith(doc.adoptNode(newHeader));
      // The page's own styles (in <head>) come with it; <noscript> parsed here would apply, so it goes.
      for (const style of doc.head.querySelectorAll(":scope > style")) style.remove();
      for (const style of next.head.querySelectorAll(":scope > style")) doc.head.append(doc.adoptNode(style));
      for (const n of main.querySelectorAll("noscript")) n.remove();
      doc.querySelector("main").replaceWith(doc.adoptNode(main));
      for (const old of scripts) {
        const s = api.make("script");
        for (const { name, value } of old.attributes) s.setAttribute(name, value);
        s.textContent = old.textContent;
        if (old.src) ran.add(old.src);
        if (main.contains(old)) old.replaceWith(s); else doc.body.append(s);
      }
      const atMoment = api.mount();
      if (button) button.hidden = true;
      const target = !atMoment && url.hash && doc.getElementById(decodeURIComponent(url.hash.slice(1)));
      if (target) target.scrollIntoView();
      else if (!atMoment) scrollTo(0, y || 0);
      const h1 = main.querySelector("h1");
      if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
      api.say(doc.title);
    } catch {
      location.assign(url.href);
    }
  }

  return { offer, go };
};
