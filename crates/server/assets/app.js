// rasd's page: an offline map of Syria, a timeline, filters, a list of events, an event's
// detail with its Arabic evidence highlighted, and reviewers' corrections.
//
// Everything comes from this server: the boundaries from /assets/, the events from /api/.
// Text from reports and the API is only ever set with textContent (never parsed as HTML).
// The URL's query keeps the filters, the language and the selected event.
"use strict";

const SVG = "http://www.w3.org/2000/svg";

const LABELS = {
  ar: {
    title: "رصد: أحداث النزاع في سوريا", other_language: "English", api_docs: "واجهة البرمجة",
    governorate: "المحافظة", type: "النوع", actor: "الطرف", text: "نص", from: "من", to: "إلى",
    min_confidence: "أدنى ثقة", review: "المراجعة", review_default: "غير المرفوضة",
    unreviewed: "لم تُراجع", confirmed: "مؤكَّدة", corrected: "مصحَّحة", rejected: "مرفوضة",
    merged: "مدموجة", any: "الكل", all: "الكل", reset: "مسح", download_csv: "تنزيل CSV",
    map: "خريطة الأحداث", timeline: "الأحداث شهرياً",
    timeline_note: "اسحب على الخط الزمني لاختيار فترة.", events: "الأحداث", more: "المزيد",
    close: "إغلاق", evidence: "الأدلة في نص التقرير", correct: "تصحيح", token: "رمز المراجع",
    action: "الإجراء", edit: "تعديل", confirm: "تأكيد", reject: "رفض", merge: "دمج",
    sub_type: "النوع الفرعي", unchanged: "دون تغيير", date: "التاريخ",
    place_key: "رمز المكان", actor1: "الطرف الأول", fatalities: "القتلى",
    merge_into: "دمج في الحدث", split: "فصل", split_source: "فصل تقرير في حدث جديد", comment: "تعليق", save: "حفظ", history: "سجل المراجعات",
    count: (n, more) => `${n}${more ? "+" : ""} حدثاً`, saved: "حُفظ", failed: "تعذّر الحفظ",
    place: "المكان", actors: "الأطراف", injured: "الجرحى", sources: "المصادر",
    confidence: "الثقة", modality: "الصيغة", reports: "التقارير", no_events: "لا أحداث",
    placed: (n, u) => `${n} حدثاً على الخريطة، ${u} بلا إحداثيات`,
    attribution: "الحدود: OCHA Syria / UN Cartographic Section (CC BY 3.0 IGO). لا تعني الحدود والأسماء إقراراً رسمياً.",
  },
  en: {
    title: "rasd: conflict events in Syria", other_language: "العربية", api_docs: "API",
    governorate: "Governorate", type: "Type", actor: "Actor", text: "Text", from: "From", to: "To",
    min_confidence: "Min. confidence", review: "Review", review_default: "Not rejected",
    unreviewed: "Unreviewed", confirmed: "Confirmed", corrected: "Corrected", rejected: "Rejected",
    merged: "Merged", any: "Any", all: "All", reset: "Clear", download_csv: "Download CSV",
    map: "Map of events", timeline: "Events per month",
    timeline_note: "Drag across the timeline to choose a period.", events: "Events", more: "More",
    close: "Close", evidence: "Evidence in the report's text", correct: "Correct",
    token: "Reviewer's token", action: "Action", edit: "Edit", confirm: "Confirm",
    reject: "Reject", merge: "Merge", sub_type: "Sub-event type", unchanged: "unchanged",
    date: "Date", place_key: "Place key", actor1: "Actor 1", fatalities: "Fatalities",
    merge_into: "Merge into event", split: "Split", split_source: "Split a report off", comment: "Comment", save: "Save", history: "Review history",
    count: (n, more) => `${n}${more ? "+" : ""} events`, saved: "Saved", failed: "Not saved",
    place: "Place", actors: "Actors", injured: "Injured", sources: "Sources",
    confidence: "Confidence", modality: "Modality", reports: "Reports", no_events: "No events",
    placed: (n, u) => `${n} events on the map, ${u} without coordinates`,
    attribution: "Boundaries: OCHA Syria / UN Cartographic Section (CC BY 3.0 IGO). Boundaries and names do not imply official endorsement.",
  },
};

const TYPES = {
  "Battles": ["#c0392b", "معارك"],
  "Explosions/Remote violence": ["#e67e22", "انفجارات/عنف عن بعد"],
  "Violence against civilians": ["#8e44ad", "عنف ضد المدنيين"],
  "Protests": ["#2980b9", "احتجاجات"],
  "Riots": ["#16a085", "أعمال شغب"],
  "Strategic developments": ["#7f8c8d", "تطورات استراتيجية"],
};

const SUB_TYPES = [
  "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
  "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
  "Remote explosive/landmine/IED", "Grenade", "Sexual violence", "Attack",
  "Abduction/forced disappearance", "Peaceful protest", "Protest with intervention",
  "Excessive force against protesters", "Violent demonstration", "Mob violence", "Agreement",
  "Arrests", "Change to group/activity", "Disrupted weapons use",
  "Headquarters or base established", "Looting/property destruction",
  "Non-violent transfer of territory", "Other",
];

const FILTERS = ["admin1", "type", "actor", "text", "from", "to", "min_confidence", "review"];
const INPUTS = {
  admin1: "f-admin1", type: "f-type", actor: "f-actor", text: "f-text", from: "f-from",
  to: "f-to", min_confidence: "f-conf", review: "f-review",
};

const state = {
  lang: "ar",
  filters: {},
  event: null,
  view: { x: 0, y: 0, k: 1 },
  cursor: null,
  boundaries: null,
};

const $ = (id) => document.getElementById(id);

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function t(key, ...args) {
  const v = LABELS[state.lang][key];
  return typeof v === "function" ? v(...args) : v;
}

function typeName(type) {
  return state.lang === "ar" && TYPES[type] ? TYPES[type][1] : type;
}

// ---- URL ----------------------------------------------------------------------------------

function readUrl() {
  const q = new URLSearchParams(location.search);
  state.lang = q.get("lang") === "en" ? "en" : "ar";
  state.filters = {};
  for (const f of FILTERS) if (q.get(f)) state.filters[f] = q.get(f);
  state.event = q.get("event");
}

function writeUrl() {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
  if (state.lang !== "ar") q.set("lang", state.lang);
  if (state.event) q.set("event", state.event);
  const s = q.toString();
  history.replaceState(null, "", s ? `?${s}` : location.pathname);
}

function filterQuery(extra) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state.filters)) if (v) q.set(k, v);
  for (const [k, v] of Object.entries(extra || {})) if (v !== undefined && v !== null) q.set(k, v);
  return q.toString();
}

async function api(path) {
  const response = await fetch(path, { headers: { accept: "application/json" } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// ---- Labels ------------------------------------------------------------------------------

function applyLabels() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === "ar" ? "rtl" : "ltr";
  for (const e of document.querySelectorAll("[data-l]")) e.textContent = t(e.dataset.l);
  for (const o of $("f-type").options) if (o.value) o.textContent = typeName(o.value);
  for (const o of $("f-admin1").options) {
    if (o.value) o.textContent = state.lang === "ar" ? o.dataset.ar : o.dataset.en;
  }
}

// ---- Map ---------------------------------------------------------------------------------

// An equirectangular projection of Syria's extent into the 800×700 view box, with longitude
// shrunk by the cosine of the middle latitude.
const EXTENT = { west: 35.5, east: 42.5, south: 32.2, north: 37.4 };
const COS = Math.cos((34.8 * Math.PI) / 180);
const SCALE = Math.min(780 / ((EXTENT.east - EXTENT.west) * COS), 680 / (EXTENT.north - EXTENT.south));

function project(lon, lat) {
  return [10 + (lon - EXTENT.west) * COS * SCALE, 10 + (EXTENT.north - lat) * SCALE];
}

function unproject(x, y) {
  return [(x - 10) / (COS * SCALE) + EXTENT.west, EXTENT.north - (y - 10) / SCALE];
}

function pathOf(geometry) {
  const polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
  let d = "";
  for (const polygon of polygons) {
    for (const ring of polygon) {
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        d += `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
      });
      d += "Z";
    }
  }
  return d;
}

async function loadBoundaries() {
  const [adm1, adm2] = await Promise.all([
    fetch("/assets/syria_adm1.geojson").then((r) => r.json()),
    fetch("/assets/syria_adm2.geojson").then((r) => r.json()),
  ]);
  state.boundaries = { adm1, adm2 };
  const map = $("map");
  const layer = svg("g", { id: "layer" });
  const districts = svg("g", { class: "districts" });
  for (const f of adm2.features) districts.append(svg("path", { d: pathOf(f.geometry) }));
  const governorates = svg("g", { class: "governorates" });
  for (const f of adm1.features) {
    const p = svg("path", { d: pathOf(f.geometry), "data-pcode": f.properties.pcode });
    const title = svg("title");
    title.textContent = `${f.properties.name_ar} — ${f.properties.name_en}`;
    p.append(title);
    p.addEventListener("click", () => setFilter("admin1", f.properties.pcode));
    governorates.append(p);
  }
  layer.append(districts, governorates, svg("g", { id: "markers" }));
  map.append(layer);
  const select = $("f-admin1");
  for (const f of [...adm1.features].sort((a, b) => a.properties.pcode.localeCompare(b.properties.pcode))) {
    const o = el("option", f.properties.name_ar);
    o.value = f.properties.pcode;
    o.dataset.ar = f.properties.name_ar;
    o.dataset.en = f.properties.name_en;
    select.append(o);
  }
}

function applyView() {
  const { x, y, k } = state.view;
  $("layer").setAttribute("transform", `translate(${x},${y}) scale(${k})`);
  $("layer").style.setProperty("--k", k);
}

function visibleBox() {
  const { x, y, k } = state.view;
  const [west, north] = unproject(-x / k, -y / k);
  const [east, south] = unproject((800 - x) / k, (700 - y) / k);
  return [west, south, east, north].map((v) => v.toFixed(3)).join(",");
}

async function loadMap() {
  const k = state.view.k;
  const cell = Math.max(0.01, 0.4 / k).toFixed(3);
  const extra = { cell };
  if (k > 1 && !state.filters.bbox) extra.bbox = visibleBox();
  let body;
  try {
    body = await api(`/api/map?${filterQuery(extra)}`);
  } catch (e) {
    $("map-status").textContent = e.message;
    return;
  }
  $("map-status").textContent = t("placed", body.placed, body.unplaced);
  const layer = $("markers");
  layer.textContent = "";
  const max = Math.max(1, ...body.cells.map((c) => c.count));
  for (const c of body.cells) {
    const [cx, cy] = project(c.longitude, c.latitude);
    const r = (3 + 12 * Math.sqrt(c.count / max)) / k;
    const color = (TYPES[c.event_type] || ["#333"])[0];
    const m = svg("circle", {
      cx: cx.toFixed(1), cy: cy.toFixed(1), r: r.toFixed(2), fill: color,
      class: "marker", "data-count": c.count, "stroke-width": (1 / k).toFixed(2),
    });
    const title = svg("title");
    title.textContent = Object.entries(c.by_type).map(([ty, n]) => `${typeName(ty)}: ${n}`).join("\n");
    m.append(title);
    if (c.event_id) {
      m.dataset.event = c.event_id;
      m.addEventListener("click", () => openEvent(c.event_id));
    } else {
      m.addEventListener("click", () => zoomAt(cx, cy, 2));
    }
    layer.append(m);
  }
  const legend = $("legend");
  legend.textContent = "";
  for (const [type, [color]] of Object.entries(TYPES)) {
    const item = el("span", typeName(type), "legend-item");
    item.style.setProperty("--c", color);
    legend.append(item);
  }
}

function zoomAt(cx, cy, factor) {
  const v = state.view;
  const k = Math.min(64, Math.max(1, v.k * factor));
  const f = k / v.k;
  // Keep the point under (cx, cy) in the map's coordinates where it is on screen.
  const sx = v.x + cx * v.k;
  const sy = v.y + cy * v.k;
  state.view = k === 1 ? { x: 0, y: 0, k: 1 } : { x: sx - (sx - v.x) * f, y: sy - (sy - v.y) * f, k };
  applyView();
  loadMap();
}

function setupMapControls() {
  const map = $("map");
  $("zoom-in").addEventListener("click", () => zoomAt(400 / state.view.k - state.view.x / state.view.k, 350 / state.view.k - state.view.y / state.view.k, 2));
  $("zoom-out").addEventListener("click", () => zoomAt(400 / state.view.k - state.view.x / state.view.k, 350 / state.view.k - state.view.y / state.view.k, 0.5));
  let drag = null;
  map.addEventListener("pointerdown", (e) => {
    if (e.target.classList.contains("marker")) return;
    drag = { x: e.clientX, y: e.clientY, view: { ...state.view }, moved: false };
  });
  map.addEventListener("pointermove", (e) => {
    if (!drag) return;
    const box = map.getBoundingClientRect();
    const s = 800 / box.width;
    const dx = (e.clientX - drag.x) * s;
    const dy = (e.clientY - drag.y) * s;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    state.view = { ...drag.view, x: drag.view.x + dx, y: drag.view.y + dy };
    applyView();
  });
  const end = () => {
    if (drag && drag.moved) loadMap();
    drag = null;
  };
  map.addEventListener("pointerup", end);
  map.addEventListener("pointerleave", end);
}

// ---- Timeline ----------------------------------------------------------------------------

async function loadTimeline() {
  const q = { ...state.filters };
  delete q.from;
  delete q.to;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  let rows;
  try {
    rows = await api(`/api/stats/monthly?${params}`);
  } catch (e) {
    return;
  }
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const chart = $("timeline");
  chart.textContent = "";
  if (!months.length) return;
  // Every month between the first and the last, so that gaps show.
  const all = [];
  let [y, m] = months[0].split("-").map(Number);
  const [ly, lm] = months[months.length - 1].split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    all.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
  const totals = new Map(all.map((mo) => [mo, new Map()]));
  for (const r of rows) totals.get(r.month).set(r.event_type, r.events);
  const max = Math.max(1, ...[...totals.values()].map((by) => [...by.values()].reduce((a, b) => a + b, 0)));
  const w = 780 / all.length;
  all.forEach((mo, i) => {
    let top = 90;
    for (const [type, n] of totals.get(mo)) {
      const h = (80 * n) / max;
      top -= h;
      chart.append(svg("rect", {
        x: (10 + i * w).toFixed(1), y: top.toFixed(1), width: Math.max(1, w - 1).toFixed(1),
        height: h.toFixed(1), fill: (TYPES[type] || ["#333"])[0], class: "bar",
      }));
    }
  });
  const label = (i, anchor) => {
    const text = svg("text", { x: (10 + i * w).toFixed(1), y: 105, "text-anchor": anchor, class: "axis" });
    text.textContent = all[i];
    chart.append(text);
  };
  label(0, "start");
  if (all.length > 1) label(all.length - 1, "end");
  // The brush: drag across months to set from/to.
  const brush = svg("rect", { class: "brush", y: 5, height: 85, x: 0, width: 0 });
  chart.append(brush);
  const monthAt = (e) => {
    const box = chart.getBoundingClientRect();
    const x = ((e.clientX - box.left) * 800) / box.width;
    return Math.min(all.length - 1, Math.max(0, Math.floor((x - 10) / w)));
  };
  let start = null;
  const show = (a, b) => {
    const [lo, hi] = a <= b ? [a, b] : [b, a];
    brush.setAttribute("x", (10 + lo * w).toFixed(1));
    brush.setAttribute("width", ((hi - lo + 1) * w).toFixed(1));
    return [lo, hi];
  };
  if (state.filters.from || state.filters.to) {
    const lo = all.findIndex((mo) => state.filters.from && mo >= state.filters.from.slice(0, 7));
    const hi = all.findLastIndex((mo) => state.filters.to && mo <= state.filters.to.slice(0, 7));
    show(lo < 0 ? 0 : lo, hi < 0 ? all.length - 1 : hi);
  }
  chart.onpointerdown = (e) => { start = monthAt(e); show(start, start); };
  chart.onpointermove = (e) => { if (start !== null) show(start, monthAt(e)); };
  chart.onpointerup = (e) => {
    if (start === null) return;
    const [lo, hi] = show(start, monthAt(e));
    start = null;
    const last = new Date(Date.UTC(...all[hi].split("-").map(Number), 0)).toISOString().slice(0, 10);
    state.filters.from = `${all[lo]}-01`;
    state.filters.to = last;
    syncInputs();
    refresh();
  };
}

// ---- List --------------------------------------------------------------------------------

function listItem(e) {
  const li = el("li");
  li.dataset.event = e.event_id;
  const swatch = el("span", "", "swatch");
  swatch.style.setProperty("--c", (TYPES[e.event_type] || ["#333"])[0]);
  const place = state.lang === "ar" ? e.location_ar || e.location : e.location || e.location_ar;
  li.append(
    swatch,
    el("span", e.date || "—", "date"),
    el("span", typeName(e.event_type), "type"),
    el("span", place || "—", "place"),
  );
  if (e.review) li.append(el("span", t(e.review), `badge ${e.review}`));
  li.addEventListener("click", () => openEvent(e.event_id));
  return li;
}

async function loadList(append) {
  const extra = { limit: 50 };
  if (append && state.cursor) extra.cursor = state.cursor;
  let page;
  try {
    page = await api(`/api/events?${filterQuery(extra)}`);
  } catch (e) {
    $("count").textContent = e.message;
    return;
  }
  const list = $("list");
  if (!append) list.textContent = "";
  for (const e of page.events) list.append(listItem(e));
  state.cursor = page.next_cursor || null;
  $("more").hidden = !state.cursor;
  const n = list.children.length;
  $("count").textContent = n ? t("count", n, Boolean(state.cursor)) : t("no_events");
}

// ---- Detail ------------------------------------------------------------------------------

// Evidence spans are byte offsets into the report's UTF-8 text, on character boundaries. They
// nest (a sentence holds a trigger, a place, a date): the text is cut at every span's edge
// and each piece is marked with the narrowest span covering it, so a place inside its
// sentence shows as a place.
function highlighted(text, spans) {
  const bytes = new TextEncoder().encode(text);
  const decode = (a, b) => new TextDecoder().decode(bytes.subarray(a, b));
  const valid = spans.filter((s) => s.start < s.end && s.end <= bytes.length);
  const cuts = [...new Set([0, bytes.length, ...valid.flatMap((s) => [s.start, s.end])])]
    .sort((a, b) => a - b);
  const out = el("p", null, "report-text");
  out.dir = "rtl";
  out.lang = "ar";
  let last = null;
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const covering = valid.filter((s) => s.start <= a && s.end >= b);
    const narrowest = covering.sort((x, y) => (x.end - x.start) - (y.end - y.start))[0];
    const piece = decode(a, b);
    if (!narrowest) {
      out.append(document.createTextNode(piece));
      last = null;
    } else if (last && last.span === narrowest) {
      last.mark.textContent += piece;
    } else {
      const mark = el("mark", piece);
      mark.title = narrowest.field;
      mark.dataset.field = narrowest.field;
      out.append(mark);
      last = { span: narrowest, mark };
    }
  }
  return out;
}

function fieldRow(name, value) {
  const tr = el("tr");
  tr.append(el("th", name), el("td", value === null || value === undefined || value === "" ? "—" : value));
  return tr;
}

function renderDetail(d) {
  const e = d.event;
  $("detail").hidden = false;
  $("detail-title").textContent = `${typeName(e.event_type)} — ${e.sub_event_type}`;
  $("detail-review").textContent = e.review ? t(e.review) : t("unreviewed");
  $("detail-review").className = `badge ${e.review || "unreviewed"}`;
  const est = (x) => (x ? (x.low === x.high ? `${x.best}` : `${x.best} (${x.low}–${x.high})`) : null);
  const fields = $("fields");
  fields.textContent = "";
  fields.append(
    fieldRow("event_id", e.event_id),
    fieldRow(t("date"), e.date),
    fieldRow(t("place"), [e.location_ar, e.location, e.admin1].filter(Boolean).join(" · ")),
    fieldRow(t("actors"), [e.actor1, e.actor2].filter(Boolean).join(" / ")),
    fieldRow(t("fatalities"), est(e.fatalities)),
    fieldRow(t("injured"), est(e.injured)),
    fieldRow(t("modality"), e.modality),
    fieldRow(t("confidence"), e.confidence),
    fieldRow(t("reports"), d.corroboration),
    fieldRow(t("sources"), (e.sources || []).map((s) => s.name_ar || s.name).join("، ")),
  );
  $("fields").querySelector("tr:nth-child(5) td").id = "fatalities-value";
  const reports = $("reports");
  reports.textContent = "";
  for (const r of d.reports) {
    const box = el("article", null, "report");
    box.append(el("h4", [r.title, r.source, r.published].filter(Boolean).join(" — ") || r.doc_id));
    box.append(highlighted(r.text, (e.evidence || []).filter((v) => v.doc_id === r.doc_id)));
    reports.append(box);
  }
  const splittable = $("r-source");
  splittable.textContent = "";
  // Any report but the lead's can be split off into a new event.
  for (const r of d.reports.filter((r) => r.doc_id !== e.doc_id)) {
    const option = el("option", r.title || r.doc_id);
    option.value = r.doc_id;
    splittable.append(option);
  }
  const log = $("history");
  log.textContent = "";
  for (const h of d.history) {
    log.append(el("li", `${h.at} · ${h.who} · ${t(h.action) || h.action}${h.comment ? ` · ${h.comment}` : ""}`));
  }
  for (const li of $("list").children) li.classList.toggle("selected", li.dataset.event === e.event_id);
}

async function openEvent(id) {
  state.event = id;
  writeUrl();
  try {
    renderDetail(await api(`/api/events/${encodeURIComponent(id)}`));
  } catch (err) {
    $("detail").hidden = false;
    $("detail-title").textContent = err.message;
  }
}

async function submitReview(ev) {
  ev.preventDefault();
  const token = $("token").value.trim();
  sessionStorage.setItem("rasd-token", token);
  const action = $("r-action").value;
  const body = { action };
  const comment = $("r-comment").value.trim();
  if (comment) body.comment = comment;
  if (action === "edit") {
    const fields = {};
    if ($("r-sub").value) fields.sub_event_type = $("r-sub").value;
    if ($("r-date").value) fields.date = $("r-date").value;
    if ($("r-place").value.trim()) fields.place = $("r-place").value.trim();
    if ($("r-actor1").value.trim()) fields.actor1 = $("r-actor1").value.trim();
    if ($("r-fatalities").value !== "") fields.fatalities = Number($("r-fatalities").value);
    body.fields = fields;
  }
  if (action === "merge") body.into = $("r-into").value.trim();
  if (action === "split") body.source = $("r-source").value;
  const status = $("r-status");
  try {
    const response = await fetch(`/api/events/${encodeURIComponent(state.event)}/review`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error || response.statusText);
    status.textContent = t("saved");
    // A split answers with the new event: show it, and keep it in the URL.
    state.event = answer.event.event_id;
    writeUrl();
    renderDetail(answer);
    loadList(false);
    loadMap();
  } catch (err) {
    status.textContent = `${t("failed")}: ${err.message}`;
  }
}

// ---- Filters -----------------------------------------------------------------------------

function syncInputs() {
  for (const f of FILTERS) $(INPUTS[f]).value = state.filters[f] || "";
}

function setFilter(name, value) {
  state.filters[name] = value;
  syncInputs();
  refresh();
}

function refresh() {
  writeUrl();
  state.cursor = null;
  $("download").href = `/api/export/csv?${filterQuery()}`;
  loadList(false);
  loadMap();
  loadTimeline();
}

function setupFilters() {
  const type = $("f-type");
  for (const name of Object.keys(TYPES)) {
    const o = el("option", typeName(name));
    o.value = name;
    type.append(o);
  }
  const sub = $("r-sub");
  for (const name of SUB_TYPES) {
    const o = el("option", name);
    o.value = name;
    sub.append(o);
  }
  for (const f of FILTERS) {
    $(INPUTS[f]).addEventListener("change", (e) => {
      state.filters[f] = e.target.value.trim();
      refresh();
    });
  }
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("reset").addEventListener("click", () => {
    state.filters = {};
    state.view = { x: 0, y: 0, k: 1 };
    applyView();
    syncInputs();
    refresh();
  });
  $("more").addEventListener("click", () => loadList(true));
  $("close").addEventListener("click", () => {
    $("detail").hidden = true;
    state.event = null;
    writeUrl();
  });
  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "ar" ? "en" : "ar";
    applyLabels();
    writeUrl();
    refresh();
    if (state.event) openEvent(state.event);
  });
  $("review-form").addEventListener("submit", submitReview);
  $("token").value = sessionStorage.getItem("rasd-token") || "";
}

async function main() {
  readUrl();
  setupFilters();
  await loadBoundaries();
  applyLabels();
  syncInputs();
  setupMapControls();
  refresh();
  if (state.event) openEvent(state.event);
}

main();
