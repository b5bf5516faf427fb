// Episode page: the native audio player, enhanced. Without this script the
// page is complete (audio controls, chapter and turn anchors all work).
//
// - chapter list, chapter headings and turn times seek the audio;
// - #t=1:35:52 (Podlove: t=[npt:]start[,end]) seeks, scrolls to the turn, stops at an end;
// - the turn being spoken is highlighted and followed unless the reader scrolls away;
// - "copy link" on every turn and chapter copies a link to that moment;
// - buttons and keys: k play/pause, j/l back/forward 15 s, [ / ] previous/next chapter.
(() => {
  const player = document.getElementById("player");
  const audio = player && player.querySelector("audio");
  const turns = [...document.querySelectorAll(".turn[data-start]")];
  const timed = turns.filter(t => !t.dataset.estimated);
  const chapters = [...document.querySelectorAll(".chapters li[data-start]")];
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.id = "moment-status";
  document.body.appendChild(status);

  const clock = s => {
    s = Math.floor(s);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${sec}` : `${m}:${sec}`;
  };
  const parseClock = text => {
    text = text.trim().replace(/^npt:/, "");
    if (!text) return null;
    if (/^\d+(\.\d+)?$/.test(text)) return parseFloat(text);
    const parts = text.split(":").map(Number);
    if (parts.some(p => Number.isNaN(p)) || parts.length > 3) return null;
    return parts.reduce((total, p) => total * 60 + p, 0);
  };
  const pageUrl = () => location.href.split("#")[0];

  // Copy a link to a moment --------------------------------------------------
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
  function addCopyButton(host, element, label) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "moment-link";
    button.textContent = "Copy link";
    button.setAttribute("aria-label", `Copy a link to ${label}`);
    button.addEventListener("click", () => {
      const start = element.dataset.start;
      const known = start !== undefined && !element.dataset.estimated && audio;
      copyLink(known ? `${pageUrl()}#t=${clock(parseFloat(start))}` : `${pageUrl()}#${element.id}`);
    });
    host.appendChild(button);
  }
  for (const turn of document.querySelectorAll(".turn[id]")) {
    const who = turn.querySelector(".turn-speaker");
    const host = turn.querySelector(".turn-meta") || turn.lastElementChild || turn;
    addCopyButton(host, turn, who ? `this turn by ${who.textContent}` : "this paragraph");
  }
  for (const heading of document.querySelectorAll(".chapter-heading[id]")) {
    addCopyButton(heading, heading, `the chapter ${heading.textContent.trim()}`);
  }

  // Marking a turn -------------------------------------------------------------
  function turnAt(seconds, list = timed.length ? timed : turns) {
    let found = null;
    for (const turn of list) {
      if (parseFloat(turn.dataset.start) <= seconds + 0.01) found = turn; else break;
    }
    return found || list[0] || null;
  }
  function mark(turn, scroll) {
    for (const t of document.querySelectorAll(".turn.is-target")) t.classList.remove("is-target");
    if (!turn) return;
    turn.classList.add("is-target");
    if (scroll) turn.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }

  if (!audio) {
    return;
  }

  // Seeking ----------------------------------------------------------------------
  let stopAt = null;
  // A seek asked for before the audio has loaded is kept until it sticks.
  let pending = null;
  const applyPending = () => {
    if (pending === null || audio.readyState === 0) return;
    if (Math.abs(audio.currentTime - pending) < 0.05) { pending = null; return; }
    audio.currentTime = pending;
  };
  for (const type of ["loadedmetadata", "loadeddata", "canplay", "seeked", "durationchange"]) {
    audio.addEventListener(type, applyPending);
  }
  function seek(seconds, play) {
    pending = seconds;
    if (audio.readyState === 0) {
      if (audio.preload === "none") audio.preload = "metadata";
      if (audio.networkState === HTMLMediaElement.NETWORK_EMPTY || audio.networkState === HTMLMediaElement.NETWORK_IDLE) audio.load();
    }
    audio.currentTime = seconds;
    applyPending();
    if (play) audio.play().catch(() => {});
    update(true);
  }
  function fromHash() {
    const hash = decodeURIComponent(location.hash.slice(1));
    const match = /^t=([^&]*)/.exec(hash);
    if (!match) return;
    const [from, to] = match[1].split(",");
    const start = parseClock(from || "0");
    if (start === null) return;
    const end = to ? parseClock(to) : null;
    stopAt = end !== null && end > start ? end : null;
    seek(start, false);
    following = true;
    mark(turnAt(start), true);
  }

  // Controls -------------------------------------------------------------------
  const controls = document.createElement("div");
  controls.className = "player-controls";
  controls.setAttribute("role", "group");
  controls.setAttribute("aria-label", "Player controls");
  const button = (text, label, action, key) => {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.setAttribute("aria-keyshortcuts", key);
    b.title = `${label} (${key})`;
    b.addEventListener("click", action);
    controls.appendChild(b);
    return b;
  };
  const chapterStarts = () => chapters.map(li => parseFloat(li.dataset.start));
  const prevChapter = () => {
    const t = audio.currentTime - 2;
    const earlier = chapterStarts().filter(s => s <= t);
    seek(earlier.length ? earlier[earlier.length - 1] : 0, !audio.paused);
  };
  const nextChapter = () => {
    const later = chapterStarts().filter(s => s > audio.currentTime + 0.5);
    if (later.length) seek(later[0], !audio.paused);
  };
  if (chapters.length) button("⏮", "Previous chapter", prevChapter, "[");
  button("−15 s", "Back 15 seconds", () => seek(Math.max(0, audio.currentTime - 15), !audio.paused), "j");
  const playButton = button("Play", "Play", () => (audio.paused ? audio.play().catch(() => {}) : audio.pause()), "k");
  button("+15 s", "Forward 15 seconds", () => seek(audio.currentTime + 15, !audio.paused), "l");
  if (chapters.length) button("⏭", "Next chapter", nextChapter, "]");
  const now = document.createElement("button");
  now.type = "button";
  now.className = "back-to-now";
  now.hidden = true;
  now.textContent = "Back to now";
  now.addEventListener("click", () => { following = true; now.hidden = true; update(true); });
  player.appendChild(controls);
  document.body.appendChild(now);

  // Chapter marks on a bar under the player.
  const total = parseFloat(player.dataset.duration || "0");
  if (chapters.length && total > 0) {
    const bar = document.createElement("ol");
    bar.className = "chapter-bar";
    bar.setAttribute("aria-label", "Chapters");
    chapters.forEach((li, i) => {
      const start = parseFloat(li.dataset.start);
      const end = i + 1 < chapters.length ? parseFloat(chapters[i + 1].dataset.start) : total;
      const item = document.createElement("li");
      item.style.flexGrow = String(Math.max(end - start, 1));
      const b = document.createElement("button");
      b.type = "button";
      const title = li.querySelector("a").textContent;
      b.setAttribute("aria-label", `Play chapter ${title} at ${clock(start)}`);
      b.title = `${clock(start)} ${title}`;
      b.addEventListener("click", () => seek(start, true));
      item.appendChild(b);
      bar.appendChild(item);
    });
    player.appendChild(bar);
  }

  audio.addEventListener("play", () => { playButton.textContent = "Pause"; playButton.setAttribute("aria-label", "Pause"); following = true; });
  audio.addEventListener("pause", () => { playButton.textContent = "Play"; playButton.setAttribute("aria-label", "Play"); });

  // Chapter list, chapter headings and turn times seek.
  for (const li of chapters) {
    li.querySelector("a").addEventListener("click", () => seek(parseFloat(li.dataset.start), true));
  }
  for (const heading of document.querySelectorAll(".chapter-heading[data-start]:not([data-estimated]) > a")) {
    heading.addEventListener("click", () => seek(parseFloat(heading.parentElement.dataset.start), true));
  }
  for (const link of document.querySelectorAll(".turn:not([data-estimated]) .turn-link")) {
    link.addEventListener("click", () => seek(parseFloat(link.closest(".turn").dataset.start), true));
  }

  // Following along ---------------------------------------------------------------
  let following = false;
  let current = null;
  let programmatic = 0;
  function update(scroll) {
    if (stopAt !== null && audio.currentTime >= stopAt) {
      audio.pause();
      stopAt = null;
    }
    const turn = timed.length ? turnAt(audio.currentTime, timed) : null;
    if (turn !== current) {
      if (current) { current.classList.remove("is-playing"); current.removeAttribute("aria-current"); }
      current = turn;
      if (current) { current.classList.add("is-playing"); current.setAttribute("aria-current", "true"); }
      scroll = true;
    }
    for (const li of chapters) li.classList.remove("current");
    const starts = chapterStarts();
    let at = -1;
    starts.forEach((s, i) => { if (s <= audio.currentTime + 0.01) at = i; });
    if (at >= 0) chapters[at].classList.add("current");
    if (scroll && following && current && !audio.paused) {
      programmatic = Date.now();
      current.scrollIntoView({ block: "nearest", behavior: "smooth" });
    }
  }
  audio.addEventListener("timeupdate", () => update(false));
  audio.addEventListener("seeked", () => update(true));
  const userScrolled = () => {
    if (Date.now() - programmatic < 800 || audio.paused || !current) return;
    following = false;
    now.hidden = false;
  };
  addEventListener("wheel", userScrolled, { passive: true });
  addEventListener("touchmove", userScrolled, { passive: true });

  // Keyboard shortcuts (not while typing).
  addEventListener("keydown", event => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const actions = {
      k: () => (audio.paused ? audio.play().catch(() => {}) : audio.pause()),
      j: () => seek(Math.max(0, audio.currentTime - 15), !audio.paused),
      l: () => seek(audio.currentTime + 15, !audio.paused),
      "[": prevChapter,
      "]": nextChapter,
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });

  addEventListener("hashchange", fromHash);
  fromHash();
})();
