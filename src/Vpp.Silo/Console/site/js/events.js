// The fleet's events timeline, newest first: the last 100 from GET /events, then live from /events/stream.
import { api, stream } from "./api.js";
import { h, kw, utcTime } from "./format.js";

const SHOWN = 200;
const KIND_LABELS = { dispatch: "dispatch", assetStatus: "asset status", reallocation: "reallocation", membership: "membership", resubscribed: "resubscribed" };

export function eventsTimeline(fleetId, signal, onEvent = () => {}) {
  const list = h("ol", { class: "timeline", id: "events", "aria-live": "polite" });
  const state = h("span", { class: "muted", id: "events-state" }, "connecting");
  // Drift reallocations (a battery at its SoC limit, a cloud) can come every few seconds; each kind can be hidden.
  const filters = h("fieldset", { class: "event-filters" }, h("legend", {}, "Show"),
    Object.entries(KIND_LABELS).filter(([kind]) => kind !== "resubscribed").map(([kind, label]) =>
      h("label", {}, h("input", { type: "checkbox", checked: true, name: `show-${kind}`,
        onchange: (e) => list.classList.toggle(`hide-${kind}`, !e.target.checked) }), ` ${label}`)));
  const section = h("section", { class: "card", "aria-labelledby": "events-title" }, h("h2", { id: "events-title" }, "Events ", state), filters, list);
  const seen = new Set();

  const show = (event, { live }) => {
    if (seen.has(event.sequence) && event.kind !== "resubscribed") return;
    seen.add(event.sequence);
    const item = item_(event);
    if (live) list.prepend(item); else list.append(item);
    while (list.children.length > SHOWN) list.lastElementChild.remove();
    if (live) onEvent(event);
  };

  (async () => {
    const path = `/fleets/${encodeURIComponent(fleetId)}/events`;
    const recent = await api(`${path}?limit=100`, { signal });
    recent.forEach((e) => show(e, { live: false }));
    await stream(`${path}/stream`, {
      signal,
      onState: (text) => { state.textContent = text; },
      onFatal: (error) => { state.textContent = `stream refused: ${error.message}`; },
      onEvent: (message) => show(JSON.parse(message.data), { live: true }),
    });
  })().catch((error) => { if (!signal.aborted) state.textContent = `unavailable: ${error.message}`; });
  return section;
}

function item_(e) {
  const details = [];
  if (e.kind === "reallocation") {
    if (e.lostKw != null) details.push(h("span", { dataset: { field: "lostKw", value: e.lostKw } }, `lost ${kw(e.lostKw)}`));
    if (e.pickedUpKw != null) details.push(h("span", { dataset: { field: "pickedUpKw", value: e.pickedUpKw } }, `picked up ${kw(e.pickedUpKw)}`));
    if (e.shortfallKw != null) details.push(h("span", { class: Math.abs(e.shortfallKw) > 0.5 ? "warn-text" : "", dataset: { field: "shortfallKw", value: e.shortfallKw } }, `shortfall ${kw(e.shortfallKw)}`));
  } else if (e.kind === "dispatch") {
    if (e.targetKw != null) details.push(h("span", {}, `target ${kw(e.targetKw)}`));
    if (e.allocatedKw != null) details.push(h("span", {}, `allocated ${kw(e.allocatedKw)}`));
    if (e.shortfallKw) details.push(h("span", { class: "warn-text" }, `shortfall ${kw(e.shortfallKw)}`));
  }
  const assets = e.assetIds?.length ? e.assetIds : e.assetId ? [e.assetId] : [];
  const pickers = e.pickedUpBy ?? [];
  return h("li", { class: `event kind-${e.kind}`, dataset: { kind: e.kind, sequence: e.sequence } },
    h("time", { datetime: e.at }, utcTime(e.at)),
    h("span", { class: `badge kind-${e.kind}` }, KIND_LABELS[e.kind] ?? e.kind),
    h("span", { class: "message" }, e.message),
    details.length ? h("span", { class: "details" }, ...details) : null,
    assets.length ? h("span", { class: "assets" }, `${e.kind === "reallocation" ? "after a status change of" : "asset"}: ${assets.slice(0, 12).join(", ")}${assets.length > 12 ? ` and ${assets.length - 12} more` : ""}`) : null,
    pickers.length ? h("span", { class: "picked-up-by" }, `picked up by: ${pickers.map((p) => `${p.assetId} ${p.changeKw > 0 ? "+" : ""}${kw(p.changeKw)}`).join(", ")}`) : null);
}
