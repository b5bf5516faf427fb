// Listening, on every page: one audio element, outside <main>, for the whole visit. The page's
// player (partials/player.html) and the mini player on other pages drive it: play, back 15 s,
// forward 30 s, a seek bar with chapter marks, the chapter heard, speed (kept), each episode's
// position (resumed). A clip page's player (data-from/to) plays that range only. #t=1:35:52
// (or #t=95,120) and #<turn-id> put the player there; chapter list, headings and turn times seek;
// the turn spoken is highlighted and followed while the reader looks at it ("Back to now"
// otherwise). Keys (can be turned off, WCAG 2.1.4): k, j, l, [ ]. Estimated times never pose as
// exact. more.js, loaded when needed: "Share quote", and links followed without stopping the audio.
(() => {
  const doc = document;
  if (doc.documentElement.dataset.player) return;  // included twice: one player
  doc.documentElement.dataset.player = "on";
  const SELF = doc.currentScript && doc.currentScript.src;
  const store = {
    get: k => { try { return localStorage.getItem(k); } catch { return null; } },
    set: (k, v) => { try { localStorage.setItem(k, v); } catch { /* storage blocked */ } },
    drop: k => { try { localStorage.removeItem(k); } catch { /* storage blocked */ } },
  };
  const SPEEDS = [0.8, 1, 1.2, 1.5, 1.75, 2];
  const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const ICON = d => `<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true"><path d="${d}"/></svg>`;
  const PLAY = ICON("M8 5.5v13l10.5-6.5z") + ICON("M6.5 5h4v14h-4zm7 0h4v14h-4z");

  const clock = s => {
    s = Math.max(0, Math.floor(s));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  };
  // Like clock, keeping a fraction of a second (so a link lands on its own turn).
  const moment = s => {
    const whole = Math.floor(s + 0.0005), frac = s - whole;
    return clock(whole) + (frac >= 0.001 ? frac.toFixed(3).replace(/0+$/, "").slice(1) : "");
  };
  const parseClock = text => {
    text = text.trim().replace(/^npt:/, "");
    if (/^\d+(\.\d+)?$/.test(text)) return parseFloat(text);
    if (!/^\d+(:\d+(\.\d+)?){1,2}$/.test(text)) return null;
    return text.split(":").map(Number).reduce((total, p) => total * 60 + p, 0);
  };
  const make = (tag, className, html) => {
    const e = doc.createElement(tag);
    if (className) e.className = className;
    if (html) e.innerHTML = html;
    return e;
  };
  const startOf = e => parseFloat(e.dataset.start);
  const exact = e => e.dataset.start !== undefined && !e.dataset.estimated;
  const status = make("p", "visually-hidden");
  status.setAttribute("role", "status");
  status.id = "moment-status";
  doc.body.append(status);
  const say = text => { status.textContent = text; };

  // The audio and what it is playing
  // An episode (or clip) is {src, href, title, dur, from, to, page, name}: from a player's data-*.
  const audio = make("audio");
  audio.preload = "none";
  const mini = doc.getElementById("mini") || doc.body.appendChild(make("div", "mini"));
  mini.id = "mini";
  let cur = null;        // what the audio is for
  let cue = 0;           // where cur starts while its file is not loaded
  let pending = null;    // a seek asked for before the audio could take it
  let stopAt = null;     // #t=start,end: pause when playback crosses end
  let lastTime = null;   // currentTime at the previous timeupdate (null after a seek)
  let speed = parseFloat(store.get("player-speed"));
  if (!SPEEDS.includes(speed)) speed = 1;
  let keysOn = store.get("player-keys") !== "off";
  let pg = {};           // the page shown (mount)
  let savedAt = 0;

  const info = box => {
    const d = box.dataset;
    return { src: d.src, href: d.href, title: d.title, dur: parseFloat(d.duration) || 0,
      from: parseFloat(d.from) || 0, to: d.to ? parseFloat(d.to) : null, page: d.page || d.href, name: d.name || d.title };
  };
  const same = (a, b) => !!a && !!b && a.href === b.href && a.src === b.src && a.from === b.from && a.to === b.to;
  const loaded = () => !!cur && audio.getAttribute("src") === cur.src;
  const pos = () => (loaded() ? (pending ?? audio.currentTime) : cue);
  const playing = () => loaded() && !audio.paused;
  const endOf = ep => ep.to ?? (ep.dur || (cur && ep.src === cur.src && isFinite(audio.duration) ? audio.duration : 0));

  function applyPending() {
    if (pending === null || audio.readyState === 0) return;
    if (Math.abs(audio.currentTime - pending) < 0.05) { pending = null; return; }
    audio.currentTime = pending;
  }
  function load() {
    if (loaded()) return;
    audio.src = cur.src;
    audio.preload = "metadata";
    audio.defaultPlaybackRate = audio.playbackRate = speed;
    pending = cue;
    audio.currentTime = cue;
  }
  function seek(t, play) {
    if (!cur) return;
    stopAt = null;
    const end = endOf(cur);
    t = Math.max(cur.from, end ? Math.min(t, end) : t);
    load();
    pending = t;
    audio.currentTime = t;
    applyPending();
    if (play) start();
    paint();
  }
  function start() {
    if (!cur) return;
    load();
    if (cur.to !== null && pos() >= cur.to - 0.3) seek(cur.from);  // a finished clip plays again
    audio.play().catch(() => {});
  }
  const toggle = () => (playing() ? audio.pause() : start());
  // Make `ep` what the audio plays, from `at` (its file loads; it does not start).
  function take(ep, at) {
    if (same(ep, cur)) return;
    if (cur) { save(); if (playing()) audio.pause(); }
    cur = ep;
    cue = at;
    session();
    seek(at);
    save();
  }
  // The page's own episode, made current (every control of the page's player does this first).
  const own = () => { if (pg.ep && !same(pg.ep, cur)) take(pg.ep, pg.cue); };

  // Remembering: each episode's position, and what plays now (for the mini player of the next page).
  const posKey = href => `player-at:${href}`;
  function save(leaving) {
    if (!cur) return;
    const t = pos(), end = endOf(cur);
    if (cur.to === null) {
      if (t >= 1 && !(end && t >= end - Math.min(15, end / 20))) store.set(posKey(cur.href), t.toFixed(1));
      else store.drop(posKey(cur.href));
    }
    store.set("player-now", JSON.stringify({ ...cur, t, left: leaving && playing() ? Date.now() : 0 }));
    savedAt = Date.now();
  }
  addEventListener("pagehide", () => save(true));

  function setSpeed(s) {
    speed = s;
    store.set("player-speed", String(s));
    audio.defaultPlaybackRate = audio.playbackRate = s;
    for (const b of doc.querySelectorAll(".pl-speed")) {
      b.textContent = `${s}×`;
      b.setAttribute("aria-label", `Playback speed ${s}×`);
    }
  }

  // The lock screen and headset buttons (Media Session).
  const ms = navigator.mediaSession;
  function session() {
    if (!ms || !cur || typeof MediaMetadata === "undefined") return;
    const show = doc.querySelector("meta[property='og:site_name']");
    ms.metadata = new MediaMetadata({ title: cur.name, artist: show ? show.content : "" });
  }
  if (ms) {
    for (const [action, run] of [["play", start], ["pause", () => audio.pause()], ["seekbackward", () => seek(pos() - 15, playing())],
      ["seekforward", () => seek(pos() + 30, playing())], ["seekto", d => seek(d.seekTime, playing())]]) {
      try { ms.setActionHandler(action, run); } catch { /* not supported */ }
    }
  }

  // Showing it
  const chapterAt = (marks, t) => {
    let found = null;
    for (const m of marks) if (m.start <= t + 0.01) found = m;
    return found;
  };
  function paint() {
    const mine = !!pg.ep && same(pg.ep, cur);
    if (pg.ui) show(pg.ui, pg.ep, mine ? pos() : pg.cue, mine && playing());
    const away = !!cur && !mine;
    if (mini.hidden === away) {
      mini.hidden = !away;
      doc.documentElement.classList.toggle("mini-on", away);
    }
    if (away) {
      const ui = miniUi();
      show(ui, cur, pos(), playing());
      if (ui.title.textContent !== cur.name) ui.title.textContent = cur.name;
      ui.title.href = cur.page;
      ui.at.style.minWidth = `${clock(endOf(cur) - cur.from).length}ch`;
    }
    if (mine) follow(pos());
    else if (pg.current) follow(null);
  }
  function show(ui, ep, t, on) {
    const from = ep.from, end = endOf(ep), span = end - from;
    ui.play.classList.toggle("on", on);
    ui.play.setAttribute("aria-label", on ? "Pause" : "Play");
    ui.at.textContent = clock(t - from);
    if (end) ui.dur.textContent = clock(span);
    ui.fill.style.width = span > 0 ? `${Math.min(100, Math.max(0, (t - from) / span * 100))}%` : "0";
    if (!ui.range) return;
    const chapter = chapterAt(pg.marks, t);
    if (chapter && ui.now.textContent !== chapter.title) ui.now.textContent = chapter.title;
    if (end && +ui.range.max !== end) {
      ui.range.max = end;
      for (const m of pg.marks) m.el.style.left = `${Math.min(100, m.start / end * 100)}%`;
    }
    if (!ui.dragging) ui.range.value = t;
    ui.range.setAttribute("aria-valuetext",
      clock(t - from) + (end ? " of " + clock(span) : "") + (chapter ? ", " + chapter.title : ""));
  }

  // The mini player (pages other than the one of what plays)
  let miniParts = null;
  function miniUi() {
    if (miniParts) return miniParts;
    mini.setAttribute("role", "region");
    mini.setAttribute("aria-label", "Now playing");
    mini.innerHTML = '<div class="mini-bar" aria-hidden="true"><div></div></div>'
      + `<button type="button" class="pl-play" aria-label="Play">${PLAY}</button>`
      + '<a class="mini-title"></a><span class="mini-time"><span></span> / <span></span></span>'
      + `<button type="button" class="mini-close" aria-label="Close the player">${ICON("M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6l5.6-5.6L5 6.4z")}</button>`;
    mini.append(audio);
    const [at, dur] = mini.querySelectorAll(".mini-time span");
    miniParts = { play: mini.querySelector(".pl-play"), at, dur, fill: mini.querySelector(".mini-bar div"), title: mini.querySelector(".mini-title") };
    miniParts.play.addEventListener("click", toggle);
    mini.querySelector(".mini-close").addEventListener("click", () => {
      audio.pause();
      save();
      store.drop("player-now");
      cur = null;
      paint();
    });
    return miniParts;
  }

  // The page's player
  function bind(box) {
    const q = s => box.querySelector(s);
    const ui = { play: q(".pl-play"), now: q(".pl-now"), at: q(".pl-at"), dur: q(".pl-dur"), fill: q(".pl-fill"), range: q(".pl-range"), tip: q(".pl-tip") };
    ui.play.addEventListener("click", () => { own(); toggle(); });
    for (const b of box.querySelectorAll(".pl-ctrl button[data-key]")) b.addEventListener("click", () => act(b.dataset.key));
    q(".pl-speed").addEventListener("click", () => setSpeed(SPEEDS[(SPEEDS.indexOf(speed) + 1) % SPEEDS.length]));
    const keys = q(".pl-keys");
    keys.checked = keysOn;
    keys.addEventListener("change", () => {
      keysOn = keys.checked;
      store.set("player-keys", keysOn ? "on" : "off");
      shortcuts(box);
    });
    shortcuts(box);
    const r = ui.range;
    r.addEventListener("pointerdown", () => { ui.dragging = true; });
    for (const type of ["pointerup", "pointercancel", "change"]) r.addEventListener(type, () => { ui.dragging = false; });
    r.addEventListener("input", () => { own(); seek(+r.value, playing()); });
    r.addEventListener("keydown", e => {
      const step = { ArrowLeft: -5, ArrowDown: -5, ArrowRight: 5, ArrowUp: 5, PageDown: -60, PageUp: 60 }[e.key];
      if (!step) return;
      e.preventDefault();
      own();
      seek(pos() + step, playing());
    });
    // Pointing at the bar tells the time and chapter there.
    const seekBox = q(".pl-seek");
    seekBox.addEventListener("pointermove", e => {
      const ep = pg.ep, end = endOf(ep), rect = r.getBoundingClientRect();
      if (!end) return;
      const x = Math.min(Math.max(e.clientX - rect.left, 0), rect.width);
      const t = ep.from + x / rect.width * (end - ep.from), chapter = chapterAt(pg.marks, t);
      ui.tip.textContent = clock(t - ep.from) + (chapter ? ` · ${chapter.title}` : "");
      ui.tip.style.left = `${x}px`;
      ui.tip.hidden = false;
    });
    seekBox.addEventListener("pointerleave", () => { ui.tip.hidden = true; });
    return ui;
  }
  function shortcuts(box) {
    for (const b of box.querySelectorAll("button[data-key]")) {
      if (keysOn) b.setAttribute("aria-keyshortcuts", b.dataset.key); else b.removeAttribute("aria-keyshortcuts");
      b.title = b.getAttribute("aria-label") + (keysOn ? " (key " + b.dataset.key + ")" : "");
    }
  }
  function chapterStep(dir) {
    const t = pos(), starts = pg.marks.map(m => m.start);
    const to = dir < 0 ? starts.filter(s => s <= t - 2).pop() ?? 0 : starts.find(s => s > t + 0.5);
    if (to !== undefined) seek(to, playing());
  }
  // A control or key: on the page's player when there is one, else on the mini player.
  function act(key) {
    if (pg.ep) own();
    else if (!cur) return;
    if (key === "k") toggle();
    else if (key === "j") seek(pos() - 15, playing());
    else if (key === "l") seek(pos() + 30, playing());
    else if (pg.ep && pg.marks.length > 1) chapterStep(key === "[" ? -1 : 1);
  }
  addEventListener("keydown", e => {
    if (!keysOn || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (e.target.closest && e.target.closest("input, textarea, select, [contenteditable], dialog")) return;
    if (!"kjl[]".includes(e.key) || e.key.length !== 1 || (!pg.ep && !cur) || ("[]".includes(e.key) && !(pg.marks || []).length)) return;
    e.preventDefault();
    act(e.key);
  });
  // Options menus close on a click elsewhere or Escape.
  addEventListener("click", e => {
    for (const d of doc.querySelectorAll(".pl-menu[open]")) if (!d.contains(e.target)) d.open = false;
  });
  addEventListener("keydown", e => {
    const d = e.key === "Escape" && e.target.closest && e.target.closest(".pl-menu[open]");
    if (d) { d.open = false; d.querySelector("summary").focus(); }
  });

  audio.addEventListener("timeupdate", () => {
    const t = audio.currentTime;
    if (stopAt !== null && lastTime !== null && lastTime < stopAt && t >= stopAt && !audio.paused) {
      audio.pause();
      stopAt = null;
    }
    lastTime = t;
    if (cur && cur.to !== null && !audio.paused) {
      const left = (cur.to - t) / audio.playbackRate;
      if (left <= 0) clipEnd();
      else if (left < 0.4) setTimeout(clipEnd, left * 1000);
    }
    if (Date.now() - savedAt > 2000) save();
    paint();
  });
  function clipEnd() {
    if (!cur || cur.to === null || audio.paused || audio.currentTime < cur.to - 0.05) return;
    audio.pause();
    seek(cur.to);
  }
  for (const type of ["loadedmetadata", "loadeddata", "canplay", "seeked", "durationchange"]) audio.addEventListener(type, applyPending);
  audio.addEventListener("seeking", () => { lastTime = null; });
  audio.addEventListener("play", () => {
    audio.playbackRate = speed;
    if (MORE) more().catch(() => {});  // ready for the next link
    const turn = pg.timed && pg.timed.length ? turnAt(pos(), pg.timed) : null;
    pg.following = !!turn && inView(turn);
    paint();
  });
  for (const type of ["pause", "seeked", "durationchange"]) audio.addEventListener(type, () => { paint(); if (type === "pause") save(); });
  audio.addEventListener("ended", () => { save(); paint(); });
  audio.addEventListener("error", () => { if (audio.getAttribute("src")) { say("The audio could not be loaded."); paint(); } });

  // Following along in the transcript
  const topInset = () => parseFloat(getComputedStyle(doc.documentElement).scrollPaddingTop) || 0;
  const inView = e => {
    const r = e.getBoundingClientRect();
    return r.bottom > topInset() && r.top < innerHeight;
  };
  const wholeInView = e => {
    const r = e.getBoundingClientRect();
    return r.top >= topInset() && r.bottom <= innerHeight;
  };
  let ours = false, oursTimer = 0;  // a scroll of ours is under way: scroll events are not the reader's
  function reveal(e, block) {
    ours = true;
    clearTimeout(oursTimer);
    oursTimer = setTimeout(settled, 1500);  // in case no scroll was needed (no scrollend)
    e.scrollIntoView({ block, behavior: reduceMotion.matches ? "auto" : "smooth" });
  }
  function settled() {
    ours = false;
    clearTimeout(oursTimer);
    readerScrolled();
  }
  function turnAt(seconds, list = pg.timed.length ? pg.timed : pg.turns) {
    let found = null;
    for (const turn of list) {
      if (startOf(turn) <= seconds + 0.01) found = turn; else break;
    }
    return found || list[0] || null;
  }
  function mark(turn, scroll) {
    for (const t of doc.querySelectorAll(".turn.is-target")) t.classList.remove("is-target");
    if (!turn) return;
    turn.classList.add("is-target");
    if (scroll) reveal(turn, "center");
  }
  // The turn and chapter at `at` (null: none, the audio is another episode's).
  function follow(at) {
    if (!pg.turns) return;
    const turn = at !== null && pg.timed.length ? turnAt(at, pg.timed) : null;
    if (turn !== pg.current) {
      if (pg.current) { pg.current.classList.remove("is-playing"); pg.current.removeAttribute("aria-current"); }
      pg.current = turn;
      if (turn) { turn.classList.add("is-playing"); turn.setAttribute("aria-current", "time"); }
      if (turn && pg.following && playing() && !wholeInView(turn)) reveal(turn, "center");
    }
    let index = -1;
    if (at !== null) pg.chapters.forEach((li, i) => { if (startOf(li) <= at + 0.01) index = i; });
    if (index !== pg.chapter) {
      pg.chapter = index;
      pg.chapters.forEach((li, i) => {
        li.classList.toggle("current", i === index);
        const heading = doc.getElementById(decodeURIComponent(li.querySelector("a").hash.slice(1)));
        if (heading) heading.classList.toggle("current", i === index);
      });
    }
    showNow();
  }
  const now = make("button", "back-to-now", 'Back to now <span aria-hidden="true">↓</span>');
  now.type = "button";
  now.hidden = true;
  now.title = "Scroll to the words being spoken";
  now.addEventListener("click", () => {
    if (!pg.current) return;
    pg.following = true;
    now.hidden = true;
    const link = pg.current.querySelector(".turn-link");
    if (link) link.focus({ preventScroll: true });
    reveal(pg.current, "center");
  });
  doc.body.append(now);
  function showNow() {
    const away = !!pg.current && playing() && !pg.following;
    now.hidden = !away;
    if (away) now.querySelector("span").textContent = pg.current.getBoundingClientRect().top < 0 ? "↑" : "↓";
  }
  function readerScrolled() {
    if (ours || !pg.current || !playing()) return;
    pg.following = inView(pg.current);
    showNow();
  }
  let ticking = false;
  addEventListener("scroll", () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => { ticking = false; readerScrolled(); });
  }, { passive: true });
  addEventListener("scrollend", settled);

  // Links to moments
  const linkTo = e => (pg.ep && exact(e) ? `${pg.base}#t=${moment(startOf(e))}` : `${pg.base}#${e.id}`);
  async function copy(text, url, what) {
    try {
      await navigator.clipboard.writeText(text);
      say(`${what} copied: ${url}`);
    } catch {
      window.prompt("Copy this link:", url);
      say(`Link: ${url}`);
    }
    status.dataset.url = url;
  }
  function copyButton(e, label) {
    const b = make("button", "moment-link", "Copy link");
    b.type = "button";
    b.setAttribute("aria-label", `Copy link to ${label}`);
    b.addEventListener("click", () => { const url = linkTo(e); copy(url, url, "Link"); });
    return b;
  }

  // Opening a link: #t=... or #<turn or chapter id>
  function fromHash() {
    let hash;
    try { hash = decodeURIComponent(location.hash.slice(1)); } catch { return false; }
    const match = /^t=([^&]*)/.exec(hash);
    if (match) {
      const [from, to] = match[1].split(",");
      const t = parseClock(from || "0");
      if (t === null) return false;
      if (pg.turns) mark(turnAt(t), true);
      cueAt(t);
      const end = to ? parseClock(to) : null;
      if (end !== null && end > t && same(pg.ep, cur)) stopAt = end;
      return true;
    }
    const e = hash && doc.getElementById(hash);
    if (!e || !(e.classList.contains("turn") || e.classList.contains("chapter-heading"))) return false;
    // The browser scrolls to the anchor itself.
    if (e.classList.contains("turn")) mark(e, false);
    if (exact(e) && !(same(pg.ep, cur) && Math.abs(pos() - startOf(e)) < 0.5)) cueAt(startOf(e));
    return false;
  }
  // Put the page's player at t (another episode playing keeps playing: the page's player waits there).
  function cueAt(t) {
    if (!pg.ep) return;
    if (playing() && !same(pg.ep, cur)) { pg.cue = t; paint(); return; }
    own();
    seek(t, false);
  }
  addEventListener("hashchange", fromHash);

  // "Share quote" and moving through the site while audio plays live in more.js, loaded when first needed.
  const MORE = doc.currentScript && doc.currentScript.dataset.more;
  let morePromise = null;
  const more = () => (morePromise ||= import(MORE).then(m => m.default(api)));
  let selTimer = 0;
  doc.addEventListener("selectionchange", () => {
    clearTimeout(selTimer);
    selTimer = setTimeout(() => {
      if (MORE && (morePromise || !getSelection().isCollapsed)) more().then(m => m.offer()).catch(() => {});
    }, 120);
  });
  addEventListener("click", e => {
    if (!MORE || !playing() || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest && e.target.closest("a[href]");
    if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || !/(\/|\.html)$/.test(url.pathname)) return;
    if (url.pathname + url.search === api.shown) return;  // the same page: the browser follows the anchor
    e.preventDefault();
    more().then(m => m.go(url, true)).catch(() => location.assign(url.href));
  });
  addEventListener("popstate", e => {
    if (location.pathname + location.search === api.shown) return;
    more().then(m => m.go(new URL(location.href), false, e.state && e.state.y)).catch(() => location.reload());
  });

  // A page's content: its player, turns, chapters (again after each swap of <main>)
  function mount() {
    const main = doc.querySelector("main") || doc.body;
    const box = main.querySelector("#player[data-src]");
    pg = { main, marks: [], turns: null, chapter: -2 };
    pg.base = box ? new URL(box.dataset.href, location.href).href : location.href.split("#")[0];
    if (box) {
      pg.ep = info(box);
      pg.cue = pg.ep.to === null ? parseFloat(store.get(posKey(pg.ep.href))) || 0 : pg.ep.from;
      pg.marks = [...box.querySelectorAll(".pl-mark")].map(el => ({ el, start: startOf(el), title: el.dataset.title }));
      pg.ui = bind(box);
      setSpeed(speed);
    }
    const turns = [...main.querySelectorAll(".turn[data-start]")];
    if (turns.length || main.querySelector(".chapters")) {
      pg.turns = turns;
      pg.timed = turns.filter(t => !t.dataset.estimated);
      pg.chapters = [...main.querySelectorAll(".chapters li[data-start]")];
    }
    if (pg.turns) enhanceTranscript(main);
    now.hidden = true;
    paint();
    return fromHash();
  }
  function enhanceTranscript(main) {
    if (!main.querySelector(".clip")) {
      for (const turn of main.querySelectorAll(".turn[id]")) {
        const who = turn.querySelector(".turn-speaker");
        const host = turn.querySelector(".turn-meta") || turn.lastElementChild || turn;
        host.append(copyButton(turn, who ? `this turn by ${who.textContent.trim()}` : "this paragraph"));
      }
      // After the heading, not inside it: a heading's name stays its title.
      for (const heading of main.querySelectorAll(".chapter-heading[id]")) {
        heading.after(copyButton(heading, `the chapter ${heading.querySelector("a").textContent.trim()}`));
      }
      // A chapter with no heading (no transcript) gets its button in the chapter list.
      for (const li of main.querySelectorAll(".chapters li")) {
        const link = li.querySelector("a[href^='#']");
        const id = link && decodeURIComponent(link.hash.slice(1));
        if (!id || doc.getElementById(id)) continue;
        li.append(copyButton({ id, dataset: li.dataset }, `the chapter ${link.textContent.trim()}`));
      }
    }
    if (!pg.ep) return;
    // Chapter list, chapter headings and turn times seek (their anchors still navigate).
    for (const li of pg.chapters) li.querySelector("a").addEventListener("click", () => { own(); seek(startOf(li), true); });
    for (const link of main.querySelectorAll(".chapter-heading[data-start]:not([data-estimated]) > a")) {
      link.addEventListener("click", () => { own(); seek(startOf(link.parentElement), true); });
    }
    for (const link of main.querySelectorAll(".turn:not([data-estimated]) .turn-link[href^='#']")) {
      link.addEventListener("click", () => { own(); seek(startOf(link.closest(".turn")), true); });
    }
  }

  // On small screens the player sticks to the top: anchors land below it.
  const inset = () => {
    const box = pg.ui && doc.getElementById("player");
    const sticky = box && getComputedStyle(box).position === "sticky";
    doc.documentElement.style.scrollPaddingTop = sticky ? `${box.offsetHeight + 12}px` : "";
  };
  addEventListener("resize", inset);

  const api = { make, say, copy, linkTo, clock, exact, startOf, save, mount, page: () => pg, self: SELF,
    shown: location.pathname + location.search };

  // Start
  // What played before this page (another page of the site, or a visit earlier): the mini player shows it.
  try {
    const was = JSON.parse(store.get("player-now") || "null");
    if (was && was.src) {
      cur = { src: was.src, href: was.href, title: was.title, dur: was.dur || 0, from: was.from || 0, to: was.to ?? null,
        page: was.page || was.href, name: was.name || was.title };
      cue = +was.t || 0;
      session();
      // Playing when the last page was left, moments ago: carry on (the browser may refuse without a tap).
      const navigation = performance.getEntriesByType("navigation")[0];
      if (was.left && Date.now() - was.left < 15000 && !(navigation && navigation.type === "reload")) start();
    }
  } catch { /* no stored state */ }
  miniUi();
  mount();
  inset();
  if (doc.getElementById("player")) new ResizeObserver(inset).observe(doc.getElementById("player"));
})();
