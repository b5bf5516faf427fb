// Search page: queries the Pagefind index and lists hits turn by turn.
//
// Pagefind indexes episode pages and speaker pages. Every element with an id
// comes back as an anchor with its word position (Pagefind's "custom sub
// results"), so each matching word is placed in the transcript turn, chapter
// heading or show notes it falls in: a hit links to that turn, names who said
// it and when, and the speaker filter keeps only words that speaker said (a
// turn id starts with its speaker's id: see ssg/urls.py turn_anchors).
//
// Everything the reader chose is in the address (?q=&speaker=&season=&year=
// &tag=&sort=), so the header search box and shared links land here.
const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
const FILTERS = ["speaker", "season", "year", "tag"].filter(name => form.elements.namedItem(name));
const sortSelect = form.elements.namedItem("sort");
const names = Object.fromEntries([...form.elements.namedItem("speaker").options]
  .filter(o => o.value).map(o => [o.value, o.text]));
const PAGE = 10;        // results added per step ("More results")
const BATCH = 5;        // pages' data loaded at once
const SCAN = 60;        // most pages checked per step when a speaker filter hides most of their words
const SHOWN = 5;        // hits shown per episode before "n more in this episode"
const BEFORE = 10;      // words of context before the first match of a snippet
const LENGTH = 32;      // words in a snippet
const TIME = /^≈?\d{1,2}:\d\d(:\d\d)?\.?$/;
const TURN_HASH = /^[0-9a-f]{6}(-\d+)?$/;
const SECTIONS = { notes: "Show notes" };
const MISSING = "missing";

let pagefind = null;
let bundles = [];
let dates = null;
let generation = 0;
let job = null;

// The index is split into bundles (see ssg/search_index.py): load one, merge the rest.
async function loadPagefind() {
  if (!pagefind) {
    const base = form.dataset.pagefind;
    const response = await fetch(base + "shards.json");
    if (!response.ok) throw new Error(MISSING);
    const shards = (await response.json()).shards;
    if (!shards.length) throw new Error("empty index");
    // Each bundle's pages get a synthetic "bundle" filter, so a search can ask one bundle at a time.
    bundles = shards.map(shard => shard.replace(/\/$/, ""));
    const first = await import(base + shards[0] + "pagefind.js");
    await first.options({ baseUrl: form.dataset.base, excerptLength: LENGTH, mergeFilter: { bundle: bundles[0] } });
    for (const [i, shard] of shards.entries()) {
      if (i) await first.mergeIndex(base + shard, { baseUrl: form.dataset.base, mergeFilter: { bundle: bundles[i] } });
    }
    pagefind = first;
  }
  return pagefind;
}

// Publication dates by page id: merged results come in score order, which is no date order.
async function loadDates() {
  if (!dates) dates = await (await fetch(form.dataset.pagefind + "dates.json")).json();
  return dates;
}

// Pagefind looks a word missing from an index up as its longest prefix that is there ("thermocline"
// as "the"). Each bundle is an index of its own, so a bundle without the word answers for a mere
// prefix, often above the real hits. Search bundle by bundle, and keep a bundle only when its first
// hit matches every query word about as far as the best bundle does: at least the word's likely stem.
const SUFFIXES = ["ational", "ization", "fulness", "ousness", "iveness", "tional", "ation", "ement", "ments", "ment",
  "ness", "ably", "ibly", "ance", "ence", "able", "ible", "ings", "ing", "ion", "ies", "ied", "ers", "er", "ed", "es",
  "ly", "s"];

function normal(word) {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
}

function terms(query) {
  return query.split(/\s+/).map(normal).filter(Boolean);
}

function stemLength(term) {
  const suffix = SUFFIXES.find(s => term.endsWith(s) && term.length - s.length >= 3) || "";
  return Math.max(1, Math.min(term.length, term.length - suffix.length - 1));
}

function reach(data, term) {
  const words = data.content.split(/[\r\n\s]+/g);
  let best = 0;
  for (const loc of data.locations) {
    const word = normal(words[loc] || "");
    let n = 0;
    while (n < word.length && n < term.length && word[n] === term[n]) n += 1;
    best = Math.max(best, n);
  }
  return best;
}

// Which bundles answer for the words themselves depends on their index, not on the reader's filters:
// decide on unfiltered answers, then ask the good bundles with the filters.
async function searchBundles(pf, query, filters) {
  const plain = await Promise.all(bundles.map(bundle => pf.search(query, { filters: { bundle } })));
  const words = terms(query);
  const firsts = await Promise.all(plain.map(a => a.results.length ? a.results[0].data() : null));
  const reaches = firsts.map(data => data && words.map(term => reach(data, term)));
  const best = words.map((_, j) => Math.max(0, ...reaches.filter(Boolean).map(r => r[j])));
  const good = bundles.filter((_, i) => reaches[i] &&
    words.every((term, j) => reaches[i][j] >= Math.min(best[j], stemLength(term))));
  const answers = Object.keys(filters).length
    ? await Promise.all(good.map(bundle => pf.search(query, { filters: { ...filters, bundle } })))
    : plain.filter((_, i) => good.includes(bundles[i]));
  return answers.flatMap(a => a.results).sort((a, b) => b.score - a.score);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function plural(n, word, many = word + "s") {
  return `${n} ${n === 1 ? word : many}`;
}

function speakerOf(id) {
  for (const sid of Object.keys(names)) {
    if (id.startsWith(sid + "-") && TURN_HASH.test(id.slice(sid.length + 1))) return sid;
  }
  return "";
}

// Anchored places of a page in document order, each with its range of words.
function regions(data) {
  const anchors = data.anchors.filter(a => a.id).map((a, i) => ({ ...a, i }))
    .sort((a, b) => a.location - b.location || a.i - b.i);
  return anchors.map((a, i) => {
    const end = i + 1 < anchors.length ? anchors[i + 1].location : Infinity;
    let kind = "other";
    if (a.element === "div" && (speakerOf(a.id) || /^p-[0-9a-f]{6}(-\d+)?$/.test(a.id))) kind = "turn";
    else if (/^h[1-6]$/.test(a.element)) kind = "chapter";
    else if (SECTIONS[a.id]) kind = "section";
    return { id: a.id, kind, speaker: kind === "turn" ? speakerOf(a.id) : "", start: a.location, end, text: a.text || "" };
  });
}

function snippet(words, hits, from, to) {
  const lo = Math.max(from, Math.min(hits[0] - BEFORE, to - LENGTH));
  const hi = Math.min(to, lo + LENGTH, words.length);
  const marked = new Set(hits);
  const parts = [];
  for (let i = lo; i < hi; i++) parts.push(marked.has(i) ? `<mark>${escapeHtml(words[i])}</mark>` : escapeHtml(words[i]));
  return (lo > from ? "… " : "") + parts.join(" ") + (hi < Math.min(to, words.length) ? " …" : "");
}

// What a page offers for the query: its title (marked) and the passages that matched.
function entryOf(data, speaker) {
  const words = data.content.split(/[\r\n\s]+/g);
  const secs = regions(data);
  const groups = new Map();
  const before = [];
  for (const loc of [...data.locations].sort((a, b) => a - b)) {
    let sec = null;
    for (const s of secs) { if (s.start <= loc) sec = s; else break; }
    if (speaker && !(sec && sec.kind === "turn" && sec.speaker === speaker)) continue;
    if (!sec || sec.kind === "other") { before.push(loc); continue; }
    if (!groups.has(sec.id)) groups.set(sec.id, { sec, locs: [] });
    groups.get(sec.id).locs.push(loc);
  }
  const passages = [...groups.values()].map(({ sec, locs }) => passage(words, sec, locs));
  const title = data.meta.title || data.url;
  const titleWords = title.split(/\s+/);
  const inTitle = before.filter(loc => loc < titleWords.length);
  const rest = before.filter(loc => loc >= titleWords.length);
  if (rest.length) passages.unshift({ id: "", kind: "page", head: "", html: snippet(words, rest, 0, words.length) });
  if (!passages.length && !inTitle.length) return null;
  const marked = new Set(inTitle);
  const titleHtml = titleWords.map((w, i) => marked.has(i) ? `<mark>${escapeHtml(w)}</mark>` : escapeHtml(w)).join(" ");
  return { data, titleHtml, passages };
}

function passage(words, sec, locs) {
  const timed = TIME.test(words[sec.start] || "");
  const time = timed ? words[sec.start].replace(/\.$/, "") : "";
  const from = sec.start + (timed ? 1 : 0);
  const own = locs.filter(l => l >= from);  // a match on the time itself shows the turn's start
  const html = snippet(words, own.length ? own : [from], from, sec.end);
  const at = time ? ` <span class="hit-time">${escapeHtml(time)}</span>` : "";
  let head = "";
  if (sec.kind === "turn") {
    head = sec.speaker ? `<span class="hit-speaker">${escapeHtml(names[sec.speaker] || sec.speaker)}</span>${at}` : at.trim();
  } else if (sec.kind === "chapter") {
    head = `<span class="hit-kind">Chapter</span>${at}`;
  } else {
    head = `<span class="hit-kind">${escapeHtml(SECTIONS[sec.id])}</span>`;
  }
  return { id: sec.id, kind: sec.kind, head, html };
}

function pageUrl(data) {
  return data.url.split("#")[0];
}

function hitItem(data, p) {
  const href = p.id ? `${pageUrl(data)}#${encodeURIComponent(p.id)}` : pageUrl(data);
  const head = p.head ? `<span class="hit-head">${p.head}</span> ` : "";
  return `<li class="hit hit-${p.kind}"><a class="hit-link" href="${escapeHtml(href)}">` +
    `${head}<span class="hit-text">${p.html}</span></a></li>`;
}

function resultMeta(meta) {
  if (meta.type === "speaker") return "Speaker";
  const bits = [];
  if (meta.season) bits.push(`Season ${escapeHtml(meta.season)}`);
  if (meta.number) bits.push(`Episode ${escapeHtml(meta.number)}`);
  if (meta.date) {
    let shown = meta.date;
    try {
      shown = new Date(meta.date + "T00:00:00Z").toLocaleDateString(document.documentElement.lang || undefined,
        { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
    } catch { /* keep the ISO date */ }
    bits.push(`<time datetime="${escapeHtml(meta.date)}">${escapeHtml(shown)}</time>`);
  }
  return bits.join(" · ");
}

function renderEntry({ data, titleHtml, passages }) {
  const items = passages.map(p => hitItem(data, p));
  const shown = items.slice(0, SHOWN).join("");
  const rest = items.slice(SHOWN);
  const more = rest.length
    ? `<details class="more-hits"><summary>${rest.length} more in this episode</summary><ul class="hits">${rest.join("")}</ul></details>`
    : "";
  const kind = data.meta.type === "speaker" ? "speaker" : "episode";
  return `<li class="result result-${kind}">` +
    `<h2 class="result-title"><a href="${escapeHtml(pageUrl(data))}">${titleHtml}</a></h2>` +
    `<p class="result-meta">${resultMeta(data.meta)}</p>` +
    (shown ? `<ul class="hits">${shown}</ul>` : "") + more + "</li>";
}

function describe(state) {
  const left = state.cursor < state.results.length;
  const who = state.speaker ? ` said by ${names[state.speaker] || state.speaker}` : "";
  if (!state.episodes && !state.speakers) {
    if (left) return `No matches${who} in the first ${plural(state.cursor, "episode")} checked.`;
    return `No matches${who}.`;
  }
  const found = [state.episodes && plural(state.episodes, "episode"), state.speakers && plural(state.speakers, "speaker")]
    .filter(Boolean).join(" and ");
  const text = `${plural(state.passages, "match", "matches")}${who} in ${found}`;
  if (!left) return text + ".";
  return state.speaker
    ? `${text}, from the first ${state.cursor} of ${state.results.length} episodes checked.`
    : `${text}, the best ${state.cursor} of ${state.results.length} shown.`;
}

// Add the next results to the list: up to PAGE of them, checking at most SCAN pages.
async function more(focus) {
  const state = job;
  if (!state) return;
  moreButton.disabled = true;
  const first = list.children.length;
  let added = 0;
  let checked = 0;
  while (added < PAGE && checked < SCAN && state.cursor < state.results.length) {
    const size = state.speaker ? BATCH : Math.min(BATCH, PAGE - added);
    const batch = state.results.slice(state.cursor, state.cursor + size);
    const datas = await Promise.all(batch.map(r => r.data()));
    if (state !== job) return;
    state.cursor += batch.length;
    checked += batch.length;
    for (const data of datas) {
      const entry = entryOf(data, state.speaker);
      if (!entry) continue;
      list.insertAdjacentHTML("beforeend", renderEntry(entry));
      added += 1;
      if (data.meta.type === "speaker") state.speakers += 1; else state.episodes += 1;
      state.passages += Math.max(1, entry.passages.length);
    }
  }
  statusLine.textContent = describe(state);
  moreButton.hidden = state.cursor >= state.results.length;
  moreButton.textContent = state.speaker ? "Check more episodes" : "More results";
  moreButton.disabled = false;
  if (focus) {
    const link = list.children[first] && list.children[first].querySelector("a");
    if (link) link.focus(); else if (!moreButton.hidden) moreButton.focus();
  }
}

function chosen() {
  const values = { q: input.value.trim() };
  for (const name of FILTERS) values[name] = form.elements.namedItem(name).value;
  values.sort = sortSelect.value;
  return values;
}

function remember(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

function byDate(results, known, order) {
  const sign = order === "oldest" ? 1 : -1;
  // Pages without a date (speakers) go last; ties keep their relevance order.
  return results.map((r, i) => ({ r, i, d: known[r.id] || "" })).sort((a, b) => {
    if (!a.d || !b.d) return (a.d ? 0 : 1) - (b.d ? 0 : 1) || a.i - b.i;
    return (a.d < b.d ? -sign : a.d > b.d ? sign : 0) || a.i - b.i;
  }).map(x => x.r);
}

async function run() {
  const values = chosen();
  const mine = ++generation;
  job = null;
  remember(values);
  list.innerHTML = "";
  moreButton.hidden = true;
  if (!values.q) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  let results;
  try {
    const pf = await loadPagefind();
    const filters = {};
    for (const name of FILTERS) if (values[name]) filters[name] = values[name];
    results = await searchBundles(pf, values.q, filters);
    if (values.sort) results = byDate(results, await loadDates(), values.sort);
  } catch (err) {
    if (mine === generation) {
      statusLine.textContent = err.message === MISSING
        ? "This copy of the site was built without its search index."
        : "The search index could not be loaded.";
    }
    return;
  }
  if (mine !== generation) return;
  job = { results, cursor: 0, speaker: values.speaker, episodes: 0, speakers: 0, passages: 0 };
  await more(false);
}

let timer = 0;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 250); });
for (const name of [...FILTERS, "sort"]) form.elements.namedItem(name).addEventListener("change", run);
form.addEventListener("submit", event => { event.preventDefault(); clearTimeout(timer); run(); });
moreButton.addEventListener("click", () => more(true));

const start = new URLSearchParams(location.search);
input.value = start.get("q") || "";
for (const name of [...FILTERS, "sort"]) {
  const select = form.elements.namedItem(name);
  const value = start.get(name) || "";
  select.value = [...select.options].some(o => o.value === value) ? value : "";
}
if (input.value) run();
input.focus();
