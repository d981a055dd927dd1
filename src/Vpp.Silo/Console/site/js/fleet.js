// Fleet detail: figures, actions (for keys that may use them), the live output chart, a proposed schedule against prices, the events timeline and the
// assets table. The figures refresh every 5 s and at once after each live event.
import { api, pause, session } from "./api.js";
import { h, kw, figure, utcTime } from "./format.js";
import { fcrText } from "./overview.js";
import { outputChart } from "./outputChart.js";
import { eventsTimeline } from "./events.js";
import { assetsTable } from "./assets.js";
import { dispatchForm } from "./actions.js";
import { optimisePanel } from "./optimise.js";

const REFRESH_MS = 5000;

export async function showFleet(app, fleetId, signal) {
  const first = await api(`/fleets/${encodeURIComponent(fleetId)}`, { signal });
  const figures = h("dl", { class: "figures", id: "fleet-figures" });
  const updated = h("p", { class: "muted", id: "fleet-updated" });
  let wake = null;

  const render = (f) => {
    const item = (label, ...value) => h("div", {}, h("dt", {}, label), h("dd", {}, ...value));
    figures.replaceChildren(
      item("Assets", figure("assetCount", f.assetCount, String(f.assetCount))),
      item("Online", figure("onlineCount", f.onlineCount, String(f.onlineCount))),
      item("Feasible range", figure("minPowerKw", f.minPowerKw), " … ", figure("maxPowerKw", f.maxPowerKw)),
      item("Target", figure("targetKw", f.targetKw ?? null, f.targetKw == null ? "none" : kw(f.targetKw)), ` (${f.strategy})`),
      item("Allocated", figure("allocatedKw", f.allocatedKw)),
      item("Measured", figure("measuredKw", f.measuredKw ?? null)),
      item("Shortfall", figure("shortfallKw", f.shortfallKw)),
      item("FCR contract", fcrText(f.fcr)));
    updated.textContent = `Last dispatch ${f.lastDispatchId ?? "none"} at ${utcTime(f.lastDispatchAt)} · figures updated ${utcTime(new Date())}`;
  };
  render(first);

  const chart = outputChart(fleetId, signal);
  const refreshSoon = () => wake?.();
  app.replaceChildren(
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/" }, "Fleets"), " / ", h("span", {}, fleetId)),
    h("section", { class: "card", "aria-labelledby": "fleet-title" }, h("h1", { id: "fleet-title" }, `Fleet ${fleetId}`), figures, updated),
    session.has("dispatch") ? dispatchForm(fleetId, refreshSoon) : null,
    chart.section,
    optimisePanel(fleetId, signal),
    h("div", { class: "two-columns" },
      eventsTimeline(fleetId, signal, refreshSoon),
      assetsTable(fleetId, signal)));

  for (let round = 0; !signal.aborted && round < 10_000_000; round++) {
    await new Promise((resolve) => { wake = resolve; pause(REFRESH_MS, signal).then(resolve); });
    if (signal.aborted) return;
    try {
      render(await api(`/fleets/${encodeURIComponent(fleetId)}`, { signal }));
    } catch (error) {
      if (signal.aborted) return;
      updated.textContent = `Figures not updated: ${error.message}`;
    }
  }
}
