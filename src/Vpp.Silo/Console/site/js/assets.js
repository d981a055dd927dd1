// The fleet's assets, one page at a time from GET /fleets/{id}/assets: the server filters, sorts and pages, so
// 100,000 assets cost one request per page. Refreshed every 5 s while shown.
import { api, pause, session } from "./api.js";
import { h, kw, percent, figure, utcTime } from "./format.js";
import { confirmStatusChange } from "./actions.js";

const REFRESH_MS = 5000;
const COLUMNS = [
  { key: "assetId", label: "Asset", sort: "assetId" },
  { key: "kind", label: "Kind", sort: "kind" },
  { key: "status", label: "Status", sort: "status" },
  { key: "lastSeen", label: "Last seen" },
  { key: "activePowerKw", label: "Active power", sort: "activePowerKw" },
  { key: "setpointKw", label: "Setpoint", sort: "setpointKw" },
  { key: "stateOfChargePercent", label: "SoC" },
  { key: "range", label: "Range now", sort: "maxPowerKw" },
];

export function assetsTable(fleetId, signal) {
  const query = { page: 1, pageSize: 20, sort: "assetId", desc: false, kind: "", status: "", q: "" };
  // The status endpoint takes a gateway's (telemetry) or an operator's (admin) key.
  const canChangeStatus = session.has("telemetry") || session.has("admin");
  const body = h("tbody", { id: "asset-rows" });
  const summary = h("p", { class: "muted", id: "assets-summary", role: "status" }, "Loading…");
  const error = h("p", { class: "field-error", id: "assets-error", role: "alert" });
  const headRow = h("tr", {});
  const prev = h("button", { type: "button", id: "assets-prev", onclick: () => go(query.page - 1) }, "← Previous");
  const next = h("button", { type: "button", id: "assets-next", onclick: () => go(query.page + 1) }, "Next →");
  let wake = null;
  let version = 0; // bumped by every change of the query, so an answer to an older query is never shown

  const select = (id, label, name, options) => h("div", { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name, onchange: (e) => { query[name] = e.target.value; go(1); } },
      options.map(([value, text]) => h("option", { value }, text))));
  let searchTimer;
  const search = h("input", { id: "assets-search", type: "search", name: "q", maxlength: 64, autocomplete: "off",
    oninput: (e) => { clearTimeout(searchTimer); searchTimer = setTimeout(() => { query.q = e.target.value.trim(); go(1); }, 300); } });

  const section = h("section", { class: "card", "aria-labelledby": "assets-title" },
    h("h2", { id: "assets-title" }, "Assets"),
    h("div", { class: "filters" },
      h("div", { class: "field" }, h("label", { for: "assets-search" }, "Asset id contains"), search),
      select("assets-kind", "Kind", "kind", [["", "all kinds"], ["battery", "battery"], ["solar", "solar"], ["wind", "wind"], ["flexibleLoad", "flexible load"], ["chp", "CHP"]]),
      select("assets-status", "Status", "status", [["", "any status"], ["online", "online"], ["offline", "offline"], ["maintenance", "maintenance"]]),
      select("assets-page-size", "Rows per page", "pageSize", [["20", "20"], ["50", "50"], ["100", "100"], ["200", "200"]])),
    summary, error,
    h("div", { class: "table-wrap" },
      h("table", { class: "cards-on-phone", id: "assets" },
        h("caption", { class: "visually-hidden" }, "Assets of the fleet; column headers sort"),
        h("thead", {}, headRow), body)),
    h("div", { class: "pager" }, prev, next));

  function header() {
    headRow.replaceChildren(...COLUMNS.map((c) => {
      if (!c.sort) return h("th", { scope: "col" }, c.label);
      const active = query.sort === c.sort;
      return h("th", { scope: "col", "aria-sort": active ? (query.desc ? "descending" : "ascending") : "none" },
        h("button", { type: "button", class: "sort", dataset: { sort: c.sort }, onclick: () => {
          query.desc = active ? !query.desc : false;
          query.sort = c.sort;
          go(1);
        } }, c.label, active ? (query.desc ? " ▼" : " ▲") : ""));
    }), ...(canChangeStatus ? [h("th", { scope: "col" }, "Action")] : []));
  }

  function go(page) {
    query.page = Math.max(1, page);
    version++;
    header();
    wake?.();
  }

  const row = (a) => {
    const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
    return h("tr", { dataset: { assetId: a.assetId } },
      cell("Asset", a.assetId),
      cell("Kind", a.kind ?? "—"),
      cell("Status", h("span", { class: `badge status-${a.status}`, title: a.statusReason ?? "" }, a.status)),
      cell("Last seen", utcTime(a.lastSeen)),
      cell("Active power", figure("activePowerKw", a.activePowerKw)),
      cell("Setpoint", figure("setpointKw", a.setpointKw)),
      cell("SoC", figure("stateOfChargePercent", a.stateOfChargePercent, percent(a.stateOfChargePercent))),
      cell("Range now", `${kw(a.minPowerKw)} … ${kw(a.maxPowerKw)}`),
      canChangeStatus ? cell("Action", a.status === "maintenance" || a.status === "offline"
        ? h("button", { type: "button", class: "small", dataset: { action: "online" }, onclick: () => confirmStatusChange(a, "online", () => go(query.page)) }, "Back online…")
        : h("button", { type: "button", class: "small", dataset: { action: "maintenance" }, onclick: () => confirmStatusChange(a, "maintenance", () => go(query.page)) }, "Maintenance…")) : null);
  };

  (async () => {
    header();
    for (let round = 0; !signal.aborted && round < 10_000_000; round++) {
      const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== "" && v !== false).map(([k, v]) => [k, String(v)]));
      const asked = version;
      try {
        const page = await api(`/fleets/${encodeURIComponent(fleetId)}/assets?${params}`, { signal });
        error.textContent = "";
        if (asked !== version) continue;
        body.replaceChildren(...page.items.map(row));
        summary.textContent = `${page.matchCount.toLocaleString("en-US")} asset(s) match · page ${page.page} of ${page.pageCount} · updated ${utcTime(new Date())}`;
        prev.disabled = page.page <= 1;
        next.disabled = page.page >= page.pageCount;
      } catch (e) {
        if (signal.aborted) return;
        error.textContent = e.message;
      }
      await new Promise((resolve) => { wake = resolve; pause(REFRESH_MS, signal).then(resolve); });
    }
  })();
  return section;
}
