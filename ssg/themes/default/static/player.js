// Episode page: the native audio player, enhanced. Without this script the
// page is complete (audio controls, chapter and turn anchors all work).
//
// - chapter list, chapter bar, chapter headings and turn times seek the audio;
// - #t=1:35:52 (Podlove: t=[npt:]start[,end]) seeks, scrolls to the turn, pauses at an end;
// - #<turn-id> marks that turn and, when its time is known, puts the player there;
// - while playing, the turn being spoken is highlighted (aria-current="time") and kept in
//   view only while the reader is looking at it; scrolled away, a "Back to now" button shows;
// - "Copy link" on every turn and chapter copies a link to that moment;
// - keys (can be turned off, WCAG 2.1.4): k play/pause, j/l back/forward 15 s, [ / ] chapters.
// Estimated times (untimed transcripts) never pose as exact: no highlight follows them and
// their links are turn anchors, not #t=.
(() => {
  const player = document.getElementById("player");
  const audio = player && player.querySelector("audio");
  const turns = [...document.querySelectorAll(".turn[data-start]")];
  const timed = turns.filter(t => !t.dataset.estimated);
  const chapters = [...document.querySelectorAll(".chapters li[data-start]")];
  const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "moment-status";
  document.body.appendChild(status);

  // State shared by the parts below.
  let current = null;      // the turn being spoken
  let following = false;   // the reader is watching the current turn: keep it in view
  let ours = false;        // a scroll of ours is under way: scroll events are not the reader's
  let oursTimer = 0;
  let stopAt = null;       // #t=start,end: pause when playback crosses end
  let lastTime = null;     // currentTime at the previous timeupdate (null after a seek)
  let pending = null;      // a seek asked for before the audio could take it
  let keysOn = true;
  let playButton = null;
  let now = null;

  const clock = s => {
    s = Math.floor(s);
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
    if (!text) return null;
    if (/^\d+(\.\d+)?$/.test(text)) return parseFloat(text);
    if (!/^\d+(:\d+(\.\d+)?){1,2}$/.test(text)) return null;
    return text.split(":").map(Number).reduce((total, p) => total * 60 + p, 0);
  };
  const pageUrl = () => location.href.split("#")[0];
  const startOf = element => parseFloat(element.dataset.start);
  const exact = element => element.dataset.start !== undefined && !element.dataset.estimated;
  const topInset = () => parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
  const inView = element => {
    const r = element.getBoundingClientRect();
    return r.bottom > topInset() && r.top < innerHeight;
  };
  const wholeInView = element => {
    const r = element.getBoundingClientRect();
    return r.top >= topInset() && r.bottom <= innerHeight;
  };
  function reveal(element, block) {
    ours = true;
    clearTimeout(oursTimer);
    oursTimer = setTimeout(settled, 1500);  // in case no scroll was needed (no scrollend)
    element.scrollIntoView({ block, behavior: reduceMotion.matches ? "auto" : "smooth" });
  }
  function settled() {
    ours = false;
    clearTimeout(oursTimer);
    if (audio) readerScrolled();
  }

  // Copy a link to a moment --------------------------------------------------------
  async function copyLink(url) {
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = `Link copied: ${url}`;
    } catch {
      window.prompt("Copy this link:", url);
      status.textContent = `Link: ${url}`;
    }
    status.dataset.url = url;
  }
  function copyButton(element, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "moment-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", `Copy link to ${label}`);
    button.addEventListener("click", () => {
      copyLink(audio && exact(element) ? `${pageUrl()}#t=${moment(startOf(element))}` : `${pageUrl()}#${element.id}`);
    });
    return button;
  }
  for (const turn of document.querySelectorAll(".turn[id]")) {
    const who = turn.querySelector(".turn-speaker");
    const host = turn.querySelector(".turn-meta") || turn.lastElementChild || turn;
    host.appendChild(copyButton(turn, who ? `this turn by ${who.textContent.trim()}` : "this paragraph"));
  }
  // After the heading, not inside it: a heading's name stays its title.
  for (const heading of document.querySelectorAll(".chapter-heading[id]")) {
    heading.after(copyButton(heading, `the chapter ${heading.querySelector("a").textContent.trim()}`));
  }
  // A chapter with no heading (no transcript) gets its button in the chapter list.
  for (const li of document.querySelectorAll(".chapters li")) {
    const link = li.querySelector("a[href^='#']");
    const id = link && decodeURIComponent(link.hash.slice(1));
    if (!id || document.getElementById(id)) continue;
    // No heading to link to: the link is to the chapter's time (the one the list seeks to).
    li.appendChild(copyButton({ id, dataset: li.dataset }, `the chapter ${link.textContent.trim()}`));
  }

  // Marking a turn --------------------------------------------------------------------
  function turnAt(seconds, list = timed.length ? timed : turns) {
    let found = null;
    for (const turn of list) {
      if (startOf(turn) <= seconds + 0.01) found = turn; else break;
    }
    return found || list[0] || null;
  }
  function mark(turn, scroll) {
    for (const t of document.querySelectorAll(".turn.is-target")) t.classList.remove("is-target");
    if (!turn) return;
    turn.classList.add("is-target");
    if (scroll) reveal(turn, "center");
  }

  // Opening a link: #t=... or #<turn or chapter id> ---------------------------------------
  function fromHash() {
    let hash;
    try { hash = decodeURIComponent(location.hash.slice(1)); } catch { return; }
    const match = /^t=([^&]*)/.exec(hash);
    if (match) {
      const [from, to] = match[1].split(",");
      const start = parseClock(from || "0");
      if (start === null) return;
      mark(turnAt(start), true);
      if (!audio) return;
      const end = to ? parseClock(to) : null;
      seek(start, false);
      stopAt = end !== null && end > start ? end : null;
      return;
    }
    const element = hash && document.getElementById(hash);
    if (!element || !(element.classList.contains("turn") || element.classList.contains("chapter-heading"))) return;
    // The browser scrolls to the anchor itself (scroll anchoring keeps it there as the controls appear).
    if (element.classList.contains("turn")) mark(element, false);
    if (audio && exact(element) && Math.abs(audio.currentTime - startOf(element)) > 0.5) {
      seek(startOf(element), false);
    }
  }

  // Seeking ---------------------------------------------------------------------------------
  function applyPending() {
    if (pending === null || audio.readyState === 0) return;
    if (Math.abs(audio.currentTime - pending) < 0.05) { pending = null; return; }
    audio.currentTime = pending;
  }
  function seek(seconds, play) {
    stopAt = null;
    pending = seconds;
    if (audio.readyState === 0) {
      if (audio.preload === "none") audio.preload = "metadata";
      if (audio.networkState === HTMLMediaElement.NETWORK_EMPTY || audio.networkState === HTMLMediaElement.NETWORK_IDLE) audio.load();
    }
    audio.currentTime = seconds;
    applyPending();
    if (play) audio.play().catch(() => {});
    update(seconds);
  }
  const chapterStarts = () => chapters.map(startOf);
  const prevChapter = () => {
    const earlier = chapterStarts().filter(s => s <= audio.currentTime - 2);
    seek(earlier.length ? earlier[earlier.length - 1] : 0, !audio.paused);
  };
  const nextChapter = () => {
    const later = chapterStarts().filter(s => s > audio.currentTime + 0.5);
    if (later.length) seek(later[0], !audio.paused);
  };
  const togglePlay = () => (audio.paused ? audio.play().catch(() => {}) : audio.pause());
  const back = () => seek(Math.max(0, audio.currentTime - 15), !audio.paused);
  const forward = () => seek(audio.currentTime + 15, !audio.paused);

  // Following along -----------------------------------------------------------------------
  function update(at = audio.currentTime) {
    const turn = timed.length ? turnAt(at, timed) : null;
    if (turn !== current) {
      if (current) { current.classList.remove("is-playing"); current.removeAttribute("aria-current"); }
      current = turn;
      if (current) { current.classList.add("is-playing"); current.setAttribute("aria-current", "time"); }
      if (current && following && !audio.paused && !wholeInView(current)) reveal(current, "center");
    }
    let index = -1;
    chapterStarts().forEach((s, i) => { if (s <= at + 0.01) index = i; });
    chapters.forEach((li, i) => {
      li.classList.toggle("current", i === index);
      const heading = document.getElementById(decodeURIComponent(li.querySelector("a").hash.slice(1)));
      if (heading) heading.classList.toggle("current", i === index);
    });
    for (const item of player.querySelectorAll(".chapter-bar li")) item.classList.toggle("current", +item.dataset.index === index);
    showNow();
  }
  function showNow() {
    const away = !!current && !audio.paused && !following;
    now.hidden = !away;
    if (away) now.querySelector("span").textContent = current.getBoundingClientRect().top < 0 ? "↑" : "↓";
  }
  function readerScrolled() {
    if (ours || !current || audio.paused) return;
    following = inView(current);
    showNow();
  }

  // Building the controls --------------------------------------------------------------------
  function setUp() {
    for (const type of ["loadedmetadata", "loadeddata", "canplay", "seeked", "durationchange"]) {
      audio.addEventListener(type, applyPending);
    }
    const controls = document.createElement("div");
    controls.className = "player-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Player controls");
    const button = (text, label, action, key) => {
      const b = document.createElement("button");
      b.type = "button";
      b.innerHTML = text;
      if (label) b.setAttribute("aria-label", label);
      b.dataset.key = key;
      b.title = `${label || text} (key ${key})`;
      b.addEventListener("click", action);
      controls.appendChild(b);
      return b;
    };
    // Icons: a shape (filled) or a line (stroked), on a 24-unit grid.
    const svg = (d, stroke) => `<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false"><path d="${d}" ${
      stroke ? 'fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round"' : 'fill="currentColor"'}/></svg>`;
    // The visible "15" is part of each name (WCAG 2.5.3, label in name).
    if (chapters.length) button(svg("M3 3h3.5v18H3zM21 3v18L7.5 12z"), "Previous chapter", prevChapter, "[");
    button(`${svg("M2 4v6h6M4.5 15a8.5 8.5 0 1 0 2-8.8L2 10", true)}15`, "Back 15 seconds", back, "j");
    playButton = button("Play", null, togglePlay, "k");
    playButton.title = "Play or pause (key k)";
    button(`15${svg("M22 4v6h-6M19.5 15a8.5 8.5 0 1 1-2-8.8L22 10", true)}`, "Forward 15 seconds", forward, "l");
    if (chapters.length) button(svg("M17.5 3H21v18h-3.5zM3 3v18l13.5-9z"), "Next chapter", nextChapter, "]");
    player.appendChild(controls);

    // Chapter marks on a bar under the player.
    const total = parseFloat(player.dataset.duration || "0");
    if (chapters.length && total > 0) {
      const bar = document.createElement("ol");
      bar.className = "chapter-bar";
      bar.setAttribute("aria-label", "Chapters");
      chapters.forEach((li, i) => {
        const start = startOf(li);
        const end = i + 1 < chapters.length ? startOf(chapters[i + 1]) : total;
        const item = document.createElement("li");
        item.dataset.index = String(i);
        item.style.flexGrow = String(Math.max(end - start, 1));
        const b = document.createElement("button");
        b.type = "button";
        const title = li.querySelector("a").textContent.trim();
        const approx = li.querySelector(".chapter-time")?.textContent.startsWith("≈") ? "about " : "";
        b.setAttribute("aria-label", `Play chapter ${title}, from ${approx}${clock(start)}`);
        b.title = `${approx ? "≈" : ""}${clock(start)} ${title}`;
        b.addEventListener("click", () => seek(start, true));
        item.appendChild(b);
        bar.appendChild(item);
      });
      player.appendChild(bar);
    }

    // Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is remembered.
    try { keysOn = localStorage.getItem("player-keys") !== "off"; } catch { /* storage blocked */ }
    const keys = document.createElement("p");
    keys.className = "player-keys";
    keys.innerHTML = '<label><input type="checkbox" aria-describedby="player-keys-help"> Keyboard shortcuts</label>'
      + ' <span id="player-keys-help">k play/pause · j/l back/forward 15 s'
      + (chapters.length ? " · [ ] previous/next chapter" : "") + "</span>";
    const box = keys.querySelector("input");
    const setKeys = on => {
      keysOn = on;
      box.checked = on;
      for (const b of controls.querySelectorAll("button")) {
        if (on) b.setAttribute("aria-keyshortcuts", b.dataset.key); else b.removeAttribute("aria-keyshortcuts");
      }
    };
    box.addEventListener("change", () => {
      setKeys(box.checked);
      try { localStorage.setItem("player-keys", box.checked ? "on" : "off"); } catch { /* storage blocked */ }
    });
    setKeys(keysOn);
    player.after(keys);

    now = document.createElement("button");
    now.type = "button";
    now.className = "back-to-now";
    now.hidden = true;
    now.innerHTML = 'Back to now <span aria-hidden="true">↓</span>';
    now.title = "Scroll to the words being spoken";
    now.addEventListener("click", () => {
      if (!current) return;
      following = true;
      now.hidden = true;
      current.querySelector(".turn-link")?.focus({ preventScroll: true });
      reveal(current, "center");
    });
    document.body.appendChild(now);

    audio.addEventListener("play", () => {
      playButton.textContent = "Pause";
      const turn = timed.length ? turnAt(audio.currentTime, timed) : null;
      following = !!turn && inView(turn);
      update();
    });
    audio.addEventListener("pause", () => { playButton.textContent = "Play"; showNow(); });
    audio.addEventListener("seeking", () => { lastTime = null; });
    audio.addEventListener("seeked", () => update());
    audio.addEventListener("timeupdate", () => {
      const t = audio.currentTime;
      if (stopAt !== null && lastTime !== null && lastTime < stopAt && t >= stopAt && !audio.paused) {
        audio.pause();
        stopAt = null;
      }
      lastTime = t;
      update();
    });

    // Chapter list, chapter headings and turn times seek (their anchors still navigate).
    for (const li of chapters) {
      li.querySelector("a").addEventListener("click", () => seek(startOf(li), true));
    }
    for (const link of document.querySelectorAll(".chapter-heading[data-start]:not([data-estimated]) > a")) {
      link.addEventListener("click", () => seek(startOf(link.parentElement), true));
    }
    for (const link of document.querySelectorAll(".turn:not([data-estimated]) .turn-link")) {
      link.addEventListener("click", () => seek(startOf(link.closest(".turn")), true));
    }

    let ticking = false;
    addEventListener("scroll", () => {
      if (ticking) return;
      ticking = true;
      requestAnimationFrame(() => { ticking = false; readerScrolled(); });
    }, { passive: true });
    addEventListener("scrollend", settled);

    // On small screens the player sticks to the top: anchors land below it.
    const inset = () => {
      const sticky = getComputedStyle(player).position === "sticky";
      document.documentElement.style.scrollPaddingTop = sticky ? `${player.offsetHeight + 12}px` : "";
    };
    new ResizeObserver(inset).observe(player);
    addEventListener("resize", inset);

    addEventListener("keydown", event => {
      if (!keysOn || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
      const action = { k: togglePlay, j: back, l: forward, "[": prevChapter, "]": nextChapter }[event.key];
      if (!action || (!chapters.length && "[]".includes(event.key))) return;
      event.preventDefault();
      action();
    });
  }

  if (audio) setUp();
  addEventListener("hashchange", fromHash);
  fromHash();
})();
