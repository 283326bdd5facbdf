// Renders /openapi.json as a list of endpoints. Text from the document is set with
// textContent only, never parsed as HTML.
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function renderOperation(path, method, op) {
  const s = el("section");
  const h = el("h2");
  h.append(el("span", method.toUpperCase(), "method " + method), el("code", path));
  s.append(h);
  if (op.summary) s.append(el("p", op.summary));
  if (op.description && op.description !== op.summary) s.append(el("p", op.description));
  const params = op.parameters || [];
  if (params.length) {
    const t = el("table");
    const head = el("tr");
    head.append(el("th", "parameter"), el("th", "in"), el("th", "meaning"));
    t.append(head);
    for (const p of params) {
      const r = el("tr");
      r.append(el("td", p.name + (p.required ? " *" : "")), el("td", p.in), el("td", p.description || ""));
      t.append(r);
    }
    s.append(t);
  }
  if (op.requestBody) s.append(el("p", "Body: JSON (see components in the document).", "responses"));
  const codes = Object.entries(op.responses || {}).map(([c, r]) => c + " " + (r.description || ""));
  s.append(el("p", "Responses: " + codes.join("; "), "responses"));
  return s;
}

async function main() {
  const main = document.getElementById("endpoints");
  try {
    const doc = await (await fetch("/openapi.json")).json();
    main.textContent = "";
    main.append(el("p", (doc.info && doc.info.description) || ""));
    for (const [path, item] of Object.entries(doc.paths || {})) {
      for (const [method, op] of Object.entries(item)) {
        main.append(renderOperation(path, method, op));
      }
    }
  } catch (e) {
    main.textContent = "Cannot read /openapi.json: " + e;
  }
}

main();
