// Search page: queries the Pagefind index and lists hits turn by turn.
//
// Pagefind indexes each episode page. Every element with an id comes back as
// an anchor with its word position, so each matching word is mapped to the
// transcript turn (a div with an id) it falls in: the link lands on that
// turn, and the speaker filter keeps only words that speaker said. A turn id
// starts with its speaker's id (see ssg/urls.py turn_anchors).
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const speakerSelect = document.getElementById("search-speaker");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const names = Object.fromEntries([...speakerSelect.options].filter(o => o.value).map(o => [o.value, o.text]));
const PER_EPISODE = 5;
const EPISODES = 20;
const TIME = /^\d{1,2}:\d\d(:\d\d)?\.?$/;

let pagefind = null;
let generation = 0;

// The index is split into shards (see ssg/search_index.py): load one, merge the rest.
async function loadPagefind() {
  if (!pagefind) {
    const base = form.dataset.pagefind;
    const list = await (await fetch(base + "shards.json")).json();
    if (!list.shards.length) throw new Error("empty index");
    const first = await import(base + list.shards[0] + "pagefind.js");
    await first.options({ baseUrl: form.dataset.base, excerptLength: 30 });
    for (const shard of list.shards.slice(1)) {
      await first.mergeIndex(base + shard, { baseUrl: form.dataset.base });
    }
    pagefind = first;
  }
  return pagefind;
}

function speakerOf(id) {
  for (const sid of Object.keys(names)) {
    if (id.startsWith(sid + "-") && /^[0-9a-f]{6}(-\d+)?$/.test(id.slice(sid.length + 1))) return sid;
  }
  return "";
}

// Turns (and other anchored places) of a page, in document order, with word ranges.
function sections(data) {
  const anchors = data.anchors.filter(a => a.element === "div" || /^h[1-6]$/.test(a.element));
  return anchors.map((a, i) => ({
    id: a.id,
    turn: a.element === "div",
    speaker: a.element === "div" ? speakerOf(a.id) : "",
    start: a.location,
    end: i + 1 < anchors.length ? anchors[i + 1].location : Infinity,
  }));
}

function escapeHtml(text) {
  return text.replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function snippet(words, hits, from, to) {
  const first = hits[0];
  let lo = Math.max(from, first - 12);
  let hi = Math.min(to, first + 18, words.length);
  if (lo < from) lo = from;
  const set = new Set(hits);
  const parts = [];
  for (let i = lo; i < hi; i++) {
    if (i === lo && TIME.test(words[i])) continue;
    const w = escapeHtml(words[i]);
    parts.push(set.has(i) ? `<mark>${w}</mark>` : w);
  }
  return (lo > from + 1 ? "… " : "") + parts.join(" ") + (hi < to && hi < words.length ? " …" : "");
}

function hitsOf(data, speaker) {
  const words = data.content.split(/\s+/);
  const secs = sections(data);
  const turns = new Map();
  let other = [];
  for (const loc of data.locations) {
    let sec = null;
    for (const s of secs) if (s.start <= loc && loc < s.end) sec = s;
    if (sec && sec.turn) {
      if (speaker && sec.speaker !== speaker) continue;
      if (!turns.has(sec.id)) turns.set(sec.id, { sec, locs: [] });
      turns.get(sec.id).locs.push(loc);
    } else if (!speaker) {
      other.push(loc);
    }
  }
  const hits = [...turns.values()].map(({ sec, locs }) => {
    const time = TIME.test(words[sec.start] || "") ? words[sec.start].replace(/\.$/, "") : "";
    return { id: sec.id, speaker: sec.speaker, time, html: snippet(words, locs, sec.start, sec.end), count: locs.length };
  });
  return { hits, other: other.length ? snippet(words, other, 0, words.length) : "" };
}

function episodeHeading(data) {
  const bits = [];
  if (data.meta.number) bits.push(`Episode ${escapeHtml(data.meta.number)}`);
  if (data.meta.date) bits.push(`<time datetime="${escapeHtml(data.meta.date)}">${escapeHtml(data.meta.date)}</time>`);
  return `<h2 class="result-title"><a href="${escapeHtml(data.url)}">${escapeHtml(data.meta.title || data.url)}</a></h2>` +
    `<p class="result-meta">${bits.join(" · ")}</p>`;
}

function hitItem(data, hit) {
  const who = hit.speaker ? `<span class="hit-speaker">${escapeHtml(names[hit.speaker] || hit.speaker)}</span>` : "";
  const when = hit.time ? ` <span class="hit-time">${escapeHtml(hit.time)}</span>` : "";
  const base = data.url.split("#")[0];
  return `<li class="hit"><a class="hit-link" href="${escapeHtml(base)}#${escapeHtml(hit.id)}">` +
    `<span class="hit-head">${who}${when}</span> <span class="hit-text">${hit.html}</span></a></li>`;
}

function render(entries, total) {
  list.innerHTML = entries.map(({ data, found }) => {
    const shown = found.hits.slice(0, PER_EPISODE).map(h => hitItem(data, h)).join("");
    const rest = found.hits.slice(PER_EPISODE).map(h => hitItem(data, h)).join("");
    const more = rest ? `<details class="more-hits"><summary>${found.hits.length - PER_EPISODE} more in this episode</summary><ul class="hits">${rest}</ul></details>` : "";
    const other = found.other && !found.hits.length ? `<p class="result-excerpt">${found.other}</p>` : "";
    return `<li class="result" data-url="${escapeHtml(data.url)}">${episodeHeading(data)}${other}<ul class="hits">${shown}</ul>${more}</li>`;
  }).join("");
  const matches = entries.reduce((n, e) => n + e.found.hits.length, 0);
  statusLine.textContent = entries.length
    ? `${matches} matching turn${matches === 1 ? "" : "s"} in ${entries.length} episode${entries.length === 1 ? "" : "s"}` +
      (total > entries.length ? ` (best ${entries.length} of ${total} shown)` : "")
    : "No matches.";
}

async function run() {
  const query = input.value.trim();
  const speaker = speakerSelect.value;
  const mine = ++generation;
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (speaker) params.set("speaker", speaker);
  history.replaceState(null, "", params.toString() ? `?${params}` : location.pathname);
  if (!query) {
    list.innerHTML = "";
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  let pf;
  try {
    pf = await loadPagefind();
  } catch (err) {
    statusLine.textContent = "The search index could not be loaded.";
    return;
  }
  const search = await pf.search(query, speaker ? { filters: { speaker } } : {});
  if (mine !== generation) return;
  const datas = await Promise.all(search.results.slice(0, EPISODES).map(r => r.data()));
  if (mine !== generation) return;
  const entries = datas.map(data => ({ data, found: hitsOf(data, speaker) }))
    .filter(e => e.found.hits.length || e.found.other);
  render(entries, search.results.length);
}

let timer = 0;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 200); });
speakerSelect.addEventListener("change", run);
form.addEventListener("submit", event => { event.preventDefault(); run(); });

const start = new URLSearchParams(location.search);
input.value = start.get("q") || "";
speakerSelect.value = start.get("speaker") || "";
if (input.value) run();
input.focus();
