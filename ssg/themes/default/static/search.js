// Search page: queries the Pagefind index and lists hits turn by turn.
//
// Pagefind indexes episode pages and speaker pages. Every element with an id
// comes back as an anchor with its word position (Pagefind's "custom sub
// results"), so each matching word is placed in the transcript turn, chapter
// heading or show notes it falls in: a hit links to that turn, names who said
// it and when, and the speaker filter keeps only words that speaker said (a
// turn id starts with its speaker's id: see ssg/urls.py turn_anchors).
//
// Ranking is by passage, not by page: Pagefind finds the pages holding the words
// (and their word positions); the best candidates' content is then read and
// each is scored by its best passage, the turn or run of adjacent turns holding
// the most query words closest together. A quoted phrase is matched here too,
// on words with their punctuation taken off ("Woo-hoo!", "don’t", a standalone
// dash or an ellipsis between words), since Pagefind's own phrase search counts
// a standalone dash as a word and "well...maybe" as one.
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
const RERANK = 12;      // best candidates (by word positions alone) whose passages are scored for the first step
const FIRST = 3;        // of those, read first: a passage holding the whole query is shown before the rest are read
const TIES = 8;         // or more, up to this many, when so many have the words as much together as the best
const WAIT = 150;       // ms of pause in typing before a search runs
const BEFORE = 10;      // words of context before the first match of a snippet
const LENGTH = 32;      // words in a snippet
const TIME = /^≈?\d{1,2}:\d\d(:\d\d)?\.?$/;
const TURN_HASH = /^[0-9a-f]{6}(-\d+)?$/;
const SECTIONS = { notes: "Show notes" };
const MISSING = "missing";
const WARM_UP = "m";     // what the index load searches for (see loadBundles): the one index chunk it falls in

let pagefind = null;
let dates = null;
let generation = 0;
let job = null;

// The index is split into bundles (see ssg/search_index.py): load one, merge the rest (once, whoever asks first).
let loading = null;
function loadPagefind() {
  if (!loading) loading = loadBundles();
  return loading;
}

async function loadBundles() {
  const base = form.dataset.pagefind;
  const response = await fetch(base + "shards.json");
  if (!response.ok) throw new Error(MISSING);
  const shards = (await response.json()).shards;
  if (!shards.length) throw new Error("empty index");
  const first = await import(base + shards[0] + "pagefind.js");
  await first.options({ baseUrl: form.dataset.base, excerptLength: LENGTH });
  // One search of the first bundle while the others load, so that the browser has compiled Pagefind's code
  // (its WebAssembly and the JavaScript that inflates index chunks) for speed before the reader's first
  // search, not during it: a fresh page's first search spent more time compiling than searching. It reads one
  // index chunk (about 30 KB), asked before the other bundles are merged so that it reads no more.
  const warm = first.search(WARM_UP).catch(() => {});
  await Promise.all([warm, ...shards.slice(1).map(shard => first.mergeIndex(base + shard, { baseUrl: form.dataset.base }))]);
  pagefind = first;
  form.dataset.ready = "";
  return pagefind;
}

// A result's page data, fetched once.
const fetched = new WeakMap();
function dataOf(result) {
  if (!fetched.has(result)) fetched.set(result, result.data());
  return fetched.get(result);
}

// Publication dates by page id: merged results come in score order, which is no date order.
async function loadDates() {
  if (!dates) dates = await (await fetch(form.dataset.pagefind + "dates.json")).json();
  return dates;
}

// Suffixes taken off a word to guess its stem (a word located by a prefix of it counts from its stem on).
const SUFFIXES = ["ational", "ization", "fulness", "ousness", "iveness", "tional", "ation", "ement", "ments", "ment",
  "ness", "ably", "ibly", "ance", "ence", "able", "ible", "ings", "ing", "ion", "ies", "ied", "ers", "er", "ed", "es",
  "ly", "s"];

// The words of a text as compared here: accents and case dropped, apostrophes taken out ("don’t" is
// "dont"), split at any other punctuation ("Woo-hoo!" is "woo" "hoo"; a standalone dash is no word).
function pieces(word) {
  const plain = /^([a-z0-9]+)[.,!?;:]?$/.exec(word);
  if (plain) return [plain[1]];
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/['’‘\u0060]/g, "")
    .split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

function terms(query) {
  return query.split(/\s+/).map(normal).filter(Boolean);
}

// Words too common to find anything by (English; a page in another language uses every word). Pagefind is
// not asked for them, as its answer for "the" is most of the index: passages are scored with them all the same.
const STOP = new Set(document.documentElement.lang.toLowerCase().startsWith("en") ? (
  "a about above after again against all am an and any are as at be because been before being below between both " +
  "but by can could did do does doing down during each few for from further had has have having he her here hers " +
  "herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on " +
  "once only or other our ours ourselves out over own same she should so some such than that the their theirs them " +
  "themselves then there these they this those through to too under until up very was we were what when where which " +
  "while who whom why will with would you your yours yourself yourselves s t d ll m re ve dont cant wont isnt arent " +
  "wasnt werent didnt doesnt hasnt havent hadnt couldnt wouldnt shouldnt im ive id youre youve youd hes shes thats " +
  "theres whats lets theyre weve oh um uh yeah").split(" ") : []);

// A query: its quoted phrases (straight or curly quotes), the words of all of it, and what Pagefind is asked:
// the words that are not too common, as typed inside a word ("woo-hoo"), standalone punctuation dropped.
// Quoted phrases are checked here, not by Pagefind (see above).
function parseQuery(text) {
  const phrases = [];
  const rest = text.replace(/["“”„]([^"“”„]*)["“”„]?/g, (_, inner) => {
    const words = inner.split(/\s+/).flatMap(pieces);
    if (words.length) phrases.push(words);
    return " " + inner + " ";
  });
  const tokens = rest.split(/\s+/).map(w => w.replace(/\.{2,}|…/g, " ").trim()).filter(w => pieces(w).length);
  const words = [...new Set(tokens.flatMap(pieces))];
  const key = tokens.filter(w => pieces(w).some(p => !STOP.has(p)));
  const sequence = rest.split(/\s+/).flatMap(pieces).map(p => words.indexOf(p));
  // Pagefind is given the words as typed, punctuation inside them and all ("well...maybe" is one word to it).
  const typed = rest.split(/\s+/).filter(w => pieces(w).length);
  const keyTyped = [...new Set(typed.filter(w => pieces(w).some(p => !STOP.has(p))))];
  // With fewer than two key words, the pages holding them are too many to read: the pages with the words
  // in a row are asked first (Pagefind's phrase search, cheap whatever its words, but not across a
  // standalone dash), and when there are none, every word, whose places tell where the words are together.
  return { phrases, words, sequence, tokens: tokens.length, keys: key.length, typed,
           ask: key.length >= 2 ? keyTyped : [...new Set(typed)], keyWords: keyTyped,
           phrase: phrases.length ? text : tokens.length > 1 ? `"${tokens.join(" ")}"` : "",
           key: words.map(w => !STOP.has(w) || !key.length) };
}

const stems = new Map();
function stemLength(term) {
  if (!stems.has(term)) {
    const suffix = SUFFIXES.find(s => term.endsWith(s) && term.length - s.length >= 3) || "";
    stems.set(term, Math.max(1, Math.min(term.length, term.length - suffix.length - 1)));
  }
  return stems.get(term);
}

// The pages holding the words, with their places: Pagefind's search of them all, across every bundle.
// Pagefind looks a word missing from a bundle up as the longest prefix of it the bundle has ("thermocline"
// as "the"), so a bundle without the word answers for a mere prefix, often above the real hits: a page is
// kept only when Pagefind's quoted search of each word alone (the exact word, no stand-in, only the pages)
// finds it too. A word with no page of its own (one being typed), or with punctuation inside (Pagefind may
// have indexed it whole or in parts), is taken as Pagefind takes it.
async function lookup(pf, words, filters) {
  const [loose, ...exact] = await Promise.all([pf.search(words.join(" "), { filters }),
    ...words.filter(word => pieces(word).length === 1).map(word => pf.search(`"${word}"`, { filters }))]);
  const holding = exact.filter(a => a.results.length).map(a => new Set(a.results.map(r => r.id)));
  return loose.results.filter(r => holding.every(pages => pages.has(r.id)));
}

// Candidates in order of what their word places alone promise: the most of the words asked where the query
// has them (after the first, each as many words further on, or up to two more for standalone punctuation
// between: " - ", " -- "), then Pagefind's order. Pagefind gives one list of places for all the words, so a
// place may be any of them.
function prerank(results, query, asked) {
  return ranked(results, query, asked).map(x => x.r);
}

function ranked(results, query, asked) {
  const at = asked.map(w => query.typed.indexOf(w)).filter(p => p >= 0).sort((a, b) => a - b);
  const offsets = at.map(p => p - at[0]);
  const most = Math.max(1, offsets.length);
  const together = r => {
    const locs = Float64Array.from(r.words).sort();
    let best = 0;
    for (const start of locs) {
      let n = 1;
      for (let i = 1; i < offsets.length; i++) {
        const lo = start + offsets[i], hi = lo + 2;
        let a = 0, b = locs.length;  // the first place at or after lo
        while (a < b) { const m = (a + b) >> 1; if (locs[m] < lo) a = m + 1; else b = m; }
        if (a < locs.length && locs[a] <= hi) n += 1;
      }
      if (n > best && (best = n) === most) break;
    }
    return best;
  };
  return results.map((r, i) => ({ r, i, d: together(r) })).sort((a, b) => b.d - a.d || a.i - b.i);
}

// How many candidates have the words as much together as the best of them (all are read first, up to TIES:
// reading a page is cheaper than asking Pagefind one more word).
function tied(keyed) {
  let n = 0;
  while (n < keyed.length && keyed[n].d === keyed[0].d) n += 1;
  return n;
}

// Which key words Pagefind is asked first: the two longest (in any language the longer words are the rarer:
// fewer pages have them together by chance). Every word asked costs an index chunk per bundle to load.
function firstAsked(query) {
  const size = w => pieces(w).join("").length;
  return [...query.ask].sort((a, b) => size(b) - size(a)).slice(0, 2);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function plural(n, word, many = word + "s") {
  return `${n} ${n === 1 ? word : many}`;
}

// The speaker id a turn id starts with (looked up at each dash: a page has hundreds of turns, a show hundreds
// of speakers).
function speakerOf(id) {
  for (let dash = id.indexOf("-"); dash > 0; dash = id.indexOf("-", dash + 1)) {
    const sid = id.slice(0, dash);
    if (Object.hasOwn(names, sid) && TURN_HASH.test(id.slice(dash + 1))) return sid;
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

function sectionAt(secs, pos) {
  let lo = 0, hi = secs.length - 1, found = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (secs[mid].start <= pos) { found = secs[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

function pageWords(data) {
  if (!data.words) data.words = data.content.split(/[\r\n\s]+/g);  // Pagefind's word positions
  return data.words;
}

function prefixLength(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// Which query words (indexes) a word Pagefind located is: the same word, or else one it reaches the stem of.
function termsAt(ps, words) {
  const exact = words.flatMap((t, j) => ps.includes(t) ? [j] : []);
  if (exact.length) return exact;
  return words.flatMap((t, j) => t.length > 4 && !STOP.has(t) &&
    ps.some(p => prefixLength(p, t) >= stemLength(t)) ? [j] : []);
}

// The pieces of each word of a page (with the word's pieces joined, when it has several: "woohoo").
function piecesAt(data, pos) {
  if (!data.pieces) data.pieces = new Array(pageWords(data).length);
  let ps = data.pieces[pos];
  if (!ps) {
    ps = pieces(data.words[pos] || "");
    if (ps.length > 1) ps.push(ps.join(""));
    data.pieces[pos] = ps;
  }
  return ps;
}

// The stretches of a page worth reading for a query: around each key word Pagefind located.
function stretches(data, reach, query) {
  const out = [];
  const last = pageWords(data).length - 1;
  const keys = query.words.filter((_, j) => query.key[j]);
  const located = [...data.locations].sort((a, b) => a - b);
  const near = located.filter(loc => termsAt(piecesAt(data, loc), keys).length);
  for (const loc of near.length ? near : located) {
    const a = Math.max(0, loc - reach), b = Math.min(last, loc + reach);
    if (out.length && a <= out[out.length - 1][1] + 1) out[out.length - 1][1] = Math.max(out[out.length - 1][1], b);
    else out.push([a, b]);
  }
  return out;
}

// The longest run of the query's words in the query's order, word after word (punctuation between them
// aside): [length, first position, last position].
function longestRun(data, hits, sequence) {
  let best = [0, -1, -1];
  let previous = new Map(), prevPos = -2;
  for (const hit of hits) {
    let back = hit.pos - 1;
    while (back > prevPos && back >= 0 && !piecesAt(data, back).length) back -= 1;  // punctuation only: no word
    const runs = new Map();
    sequence.forEach((t, i) => {
      if (!hit.terms.includes(t)) return;
      const before = back === prevPos && i > 0 ? previous.get(i - 1) : undefined;
      const run = before ? [before[0] + 1, before[1], hit.pos] : [1, hit.pos, hit.pos];
      runs.set(i, run);
      if (run[0] > best[0]) best = run;
    });
    previous = runs;
    prevPos = hit.pos;
  }
  return best;
}

// The best passage of located words: the most distinct query words within a few dozen words, then the
// shortest such stretch. It may run over adjacent turns.
function bestWindow(hits, k) {
  const cap = Math.max(24, 4 * k);
  const counts = new Array(k).fill(0);
  let distinct = 0, i = 0;
  let best = { covered: 0, span: Infinity, from: -1 };
  const drop = hit => { for (const t of hit.terms) if (--counts[t] === 0) distinct -= 1; };
  for (let j = 0; j < hits.length; j++) {
    for (const t of hits[j].terms) if (counts[t]++ === 0) distinct += 1;
    while (hits[j].pos - hits[i].pos + 1 > cap) drop(hits[i++]);
    while (i < j && hits[i].terms.every(t => counts[t] > 1)) drop(hits[i++]);
    const span = hits[j].pos - hits[i].pos + 1;
    if (distinct > best.covered || (distinct === best.covered && span < best.span)) {
      best = { covered: distinct, span, from: hits[i].pos };
    }
  }
  return best;
}

// Where a phrase (its pieces) is in the page's words, whatever punctuation is between or inside them
// ("woo hoo", "woo-hoo" and "woohoo" are one): [first, last] word positions of each place.
function phrasePlaces(data, phrase, parts) {
  if (!data.joined) {
    let joined = "";
    const starts = new Map(), ends = new Map();
    for (const [a, b] of parts) {
      for (let i = a; i <= b; i++) {
        const ps = pieces(data.words[i]);
        for (const p of ps) {
          if (!starts.has(joined.length)) starts.set(joined.length, i);
          joined += p;
          ends.set(joined.length, i);
        }
      }
      joined += "\u0000";  // no phrase runs from one stretch into the next
    }
    data.joined = { text: joined, starts, ends };
  }
  const { text, starts, ends } = data.joined;
  const key = phrase.join("");
  const places = [];
  for (let at = text.indexOf(key); at >= 0; at = text.indexOf(key, at + 1)) {
    if (starts.has(at) && ends.has(at + key.length)) places.push([starts.get(at), ends.get(at + key.length)]);
  }
  return places;
}

// The words of a page from one position to another, as the page has them (for its find box: ?find=).
function textOf(words, from, to) {
  return words.slice(from, to + 1).join(" ").replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

// The words to mark: those of the query's key words, and the common ones only in the places a key word is.
function keyMarks(hits, query, secs) {
  const places = new Set(hits.filter(h => h.terms.some(t => query.key[t])).map(h => sectionAt(secs, h.pos)));
  return hits.filter(h => h.terms.some(t => query.key[t]) || places.has(sectionAt(secs, h.pos))).map(h => h.pos);
}

// How well a page answers the query: null when it does not (a phrase missing, only prefixes of the words,
// or none of them said by the chosen speaker); else its best passage's score and start, and the words to mark.
function analyse(data, query, speaker) {
  const words = pageWords(data);
  const secs = regions(data);
  const allowed = pos => {
    if (!speaker) return true;
    const sec = sectionAt(secs, pos);
    return Boolean(sec && sec.kind === "turn" && sec.speaker === speaker);
  };
  const inPhrase = new Set(query.phrases.flat());
  // Every place of a query word in the page (Pagefind's locations leave out the common words it was not asked).
  const parts = stretches(data, Math.max(24, 4 * query.words.length), query);
  const hits = [];
  for (const [a, b] of parts) {
    for (let pos = a; pos <= b; pos++) {
      const ps = piecesAt(data, pos);
      if (!ps.length || !allowed(pos)) continue;
      const found = termsAt(ps, query.words);
      if (found.length) hits.push({ pos, terms: found });
    }
  }
  if (!query.phrases.length) {
    const best = bestWindow(hits, query.words.length);
    if (!best.covered || !hits.some(h => h.terms.some(t => query.key[t]))) return null;
    const [run, start, end] = longestRun(data, hits, query.sequence);
    const from = run >= 2 && run >= best.covered ? start : best.from;
    // What the episode's find box is given: the run, or else the passage when it is short, or its first word.
    const find = run >= 2 && run >= best.covered ? textOf(words, start, end)
      : textOf(words, best.from, best.span <= 12 ? best.from + best.span - 1 : best.from);
    // A passage with the whole query, word after word, cannot be beaten (up to punctuation between its words).
    return { score: best.covered * 10000 + run * 100 - Math.min(best.span, 99), from, find,
             whole: best.covered === query.words.length && run === query.sequence.length,
             marks: keyMarks(hits, query, secs), secs, words };
  }
  const marks = [];
  let first = null;
  for (const phrase of query.phrases) {
    const places = phrasePlaces(data, phrase, parts).filter(([a]) => allowed(a));
    if (!places.length) return null;
    for (const [a, b] of places) for (let p = a; p <= b; p++) marks.push(p);
    if (!first) first = places[0];
  }
  const others = query.words.map((t, j) => inPhrase.has(t) ? -1 : j).filter(j => j >= 0);
  for (const h of hits) if (h.terms.some(t => others.includes(t) && query.key[t])) marks.push(h.pos);
  return { score: 1000 * query.words.length - (first[1] - first[0] + 1), from: first[0], find: textOf(words, ...first),
           whole: true, marks: [...new Set(marks)].sort((a, b) => a - b), secs, words };
}

// What a page offers for the query: its title (marked) and the passages that matched, the best first.
function entryOf(data, found) {
  const { words, secs, marks } = found;
  const groups = new Map();
  const before = [];
  for (const loc of marks) {
    const sec = sectionAt(secs, loc);
    if (!sec || sec.kind === "other") { before.push(loc); continue; }
    if (!groups.has(sec.id)) groups.set(sec.id, { sec, locs: [] });
    groups.get(sec.id).locs.push(loc);
  }
  const bestSec = sectionAt(secs, found.from);
  const ordered = [...groups.values()];
  const top = ordered.findIndex(g => bestSec && g.sec.id === bestSec.id);
  if (top > 0) ordered.unshift(...ordered.splice(top, 1));
  const passages = ordered.map(({ sec, locs }) => passage(words, sec, locs));
  const title = data.meta.title || data.url;
  const titleWords = title.split(/\s+/);
  const inTitle = before.filter(loc => loc < titleWords.length);
  const rest = before.filter(loc => loc >= titleWords.length);
  if (rest.length) passages.unshift({ id: "", kind: "page", head: "", html: snippet(words, rest, 0, words.length) });
  if (!passages.length && !inTitle.length) return null;
  const marked = new Set(inTitle);
  const titleHtml = titleWords.map((w, i) => marked.has(i) ? `<mark>${escapeHtml(w)}</mark>` : escapeHtml(w)).join(" ");
  return { data, titleHtml, passages, score: found.score, whole: found.whole, find: found.find };
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

// A hit opens the episode at its turn, with the page's find box showing the words found (?find=).
function hitItem(data, p, find) {
  const page = find && data.meta.type !== "speaker" ? `${pageUrl(data)}?find=${encodeURIComponent(find)}` : pageUrl(data);
  const href = p.id ? `${page}#${encodeURIComponent(p.id)}` : page;
  const head = p.head ? `<span class="hit-head">${p.head}</span> ` : "";
  return `<li class="hit hit-${p.kind}"><a class="hit-link" href="${escapeHtml(href)}">` +
    `${head}<span class="hit-text">${p.html}</span></a></li>`;
}

let format = null;
function dateFormat() {
  format ??= new Intl.DateTimeFormat(document.documentElement.lang || undefined,
    { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" });
  return format;
}

function resultMeta(meta) {
  if (meta.type === "speaker") return "Speaker";
  const bits = [];
  if (meta.season) bits.push(`Season ${escapeHtml(meta.season)}`);
  if (meta.number) bits.push(`Episode ${escapeHtml(meta.number)}`);
  if (meta.date) {
    let shown = meta.date;
    try {
      shown = dateFormat().format(new Date(meta.date + "T00:00:00Z"));
    } catch { /* keep the ISO date */ }
    bits.push(`<time datetime="${escapeHtml(meta.date)}">${escapeHtml(shown)}</time>`);
  }
  return bits.join(" · ");
}

function renderEntry({ data, titleHtml, passages, find }) {
  const items = passages.map(p => hitItem(data, p, p.kind === "turn" ? find : ""));
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
  const done = state.cursor - state.queue.length;
  const left = done < state.results.length;
  const who = state.speaker ? ` said by ${names[state.speaker] || state.speaker}` : "";
  if (!state.episodes && !state.speakers) {
    if (left) return `No matches${who} in the first ${plural(done, "episode")} checked.`;
    return `No matches${who}.`;
  }
  const found = [state.episodes && plural(state.episodes, "episode"), state.speakers && plural(state.speakers, "speaker")]
    .filter(Boolean).join(" and ");
  const text = `${plural(state.passages, "match", "matches")}${who} in ${found}`;
  if (!left) return text + ".";
  return state.speaker || state.phrases
    ? `${text}, from the first ${done} of ${state.results.length} ${state.speaker ? "episodes" : "pages"} checked.`
    : `${text}, the best ${done} of ${state.results.length} shown.`;
}

// Read and score a batch of results: the entries of those that match, in the batch's order.
async function analyseBatch(state, batch) {
  const datas = await Promise.all(batch.map(dataOf));
  const entries = [];
  for (const data of datas) {
    const found = analyse(data, state.query, state.speaker);
    const entry = found && entryOf(data, found);
    if (entry) entries.push(entry);
  }
  return entries;
}

function show(state, entry) {
  list.insertAdjacentHTML("beforeend", renderEntry(entry));
  if (entry.data.meta.type === "speaker") state.speakers += 1; else state.episodes += 1;
  state.passages += Math.max(1, entry.passages.length);
}

const byScore = (a, b) => b.score - a.score;  // (a stable sort: equal scores keep the candidates' order)

// Add the next results to the list: up to PAGE of them, checking at most SCAN pages. The first step
// scores the passages of the RERANK best candidates and shows them best passage first; those of the
// first best candidates (FIRST, or those tied: see tied) whose passage holds the whole query are shown before
// the others are read.
async function more(focus) {
  const state = job;
  if (!state) return;
  moreButton.disabled = true;
  const first = list.children.length;
  let added = 0;
  let checked = 0;
  if (!state.ranked) {
    const batch = state.results.slice(0, state.sorted ? PAGE : RERANK);
    let entries = [];
    let read = 0;
    if (!state.sorted) {
      read = state.first;
      entries = await analyseBatch(state, batch.slice(0, read));
      if (state !== job) return;
      for (const entry of entries.filter(e => e.whole).sort(byScore)) {
        show(state, entry);
        added += 1;
      }
      if (added) performance.mark("search-first");
      entries = entries.filter(e => !e.whole);
    }
    entries.push(...await analyseBatch(state, batch.slice(read)));
    if (state !== job) return;
    state.ranked = true;
    state.cursor = checked = batch.length;
    if (!state.sorted) entries.sort(byScore);
    state.queue = entries;
    performance.mark("search-ranked");
  }
  const picky = state.speaker || state.phrases;
  while (added < PAGE) {
    if (state.queue.length) {
      show(state, state.queue.shift());
      added += 1;
      continue;
    }
    if (checked >= SCAN || state.cursor >= state.results.length) break;
    const batch = state.results.slice(state.cursor, state.cursor + (picky ? BATCH : Math.min(BATCH, PAGE - added)));
    const entries = await analyseBatch(state, batch);
    if (state !== job) return;
    state.cursor += batch.length;
    checked += batch.length;
    state.queue.push(...entries);
  }
  const left = state.queue.length || state.cursor < state.results.length;
  statusLine.textContent = describe(state);
  moreButton.hidden = !left;
  moreButton.textContent = picky ? "Check more episodes" : "More results";
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
  const query = parseQuery(values.q);
  if (!query.words.length) {
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  performance.mark("search-start");
  let results;
  let later = null;
  let first = FIRST;
  try {
    const pf = await loadPagefind();
    const filters = {};
    for (const name of FILTERS) if (values[name]) filters[name] = values[name];
    // With two uncommon words or more, the pages holding them all, and where. With fewer, those pages are
    // too many to read (one word "in 961 pages of 1,000"): first the pages with the words in a row
    // (Pagefind's phrase search, cheap whatever its words), then those with the uncommon word; when no page
    // has them in a row, every word is looked up, so their places tell where they are together (slow:
    // common words have many places).
    // Two or more: the two longest first; when more pages than are read first have those as together as
    // the best, or none has them where the query has them, all of the uncommon words; when that still
    // leaves it open, which pages have the words in a row is asked too.
    let keyed = [];
    if (query.keys >= 2) {
      const few = firstAsked(query);
      keyed = ranked(await lookup(pf, few, filters), query, few);
      if (few.length < query.ask.length && keyed.length && (tied(keyed) > TIES || keyed[0].d < few.length)) {
        keyed = ranked(await lookup(pf, query.ask, filters), query, query.ask);
      }
    }
    const ambiguous = tied(keyed) > TIES;
    const inRow = (query.keys < 2 || ambiguous) && query.phrase ? (await pf.search(query.phrase, { filters })).results : [];
    const ask = query.keys >= 2 || !inRow.length ? query.ask : query.keyWords;
    const seen = new Set(inRow.map(r => r.id));
    const others = async () => query.keys >= 2 ? keyed.map(x => x.r).filter(r => !seen.has(r.id))
      : ask.length ? prerank(await lookup(pf, ask, filters), query, ask).filter(r => !seen.has(r.id)) : [];
    // No page can have a better passage than one with the words in a row: those are shown without waiting.
    results = inRow;
    if (!inRow.length && keyed.length) first = Math.max(FIRST, Math.min(TIES, tied(keyed)));
    if (!inRow.length || values.sort) results = [...results, ...await others()];
    else later = others;
    performance.mark("search-found");
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
  const state = { results, query, cursor: 0, queue: [], ranked: false, sorted: Boolean(values.sort), first,
                  speaker: values.speaker, phrases: query.phrases.length > 0, episodes: 0, speakers: 0, passages: 0 };
  job = state;
  await more(false);
  if (!later) return;
  // The other pages, looked up after the first results are shown: after those, in order of their word places.
  let rest = [];
  try { rest = await later(); } catch { return; }
  if (job !== state || !rest.length) return;
  state.results.push(...rest);
  if (!list.children.length) await more(false);
  else {
    statusLine.textContent = describe(state);
    moreButton.hidden = false;
  }
}

let timer = 0;
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, WAIT); });
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
else {
  // The index loads when the reader shows they are about to search (a key, a tap), not with the page:
  // a visit that only looks costs no index, and it is ready by the time the first word is typed.
  const warm = () => loadPagefind().catch(() => {});
  for (const type of ["keydown", "pointerdown"]) form.addEventListener(type, warm, { once: true, passive: true });
}
input.focus();
