// Fleets overview: one row per fleet from GET /fleets, refreshed every 5 s (one request, whatever the fleet sizes).
import { api, pause } from "./api.js";
import { h, kw, figure, utcTime } from "./format.js";

const REFRESH_MS = 5000;

export async function showOverview(app, signal) {
  const body = h("tbody", { id: "fleet-rows" });
  const updated = h("p", { class: "muted", id: "fleets-updated" }, "Loading…");
  app.replaceChildren(h("section", { class: "card" },
    h("h1", {}, "Fleets"),
    updated,
    h("div", { class: "table-wrap" },
      h("table", { class: "cards-on-phone", id: "fleets" },
        h("caption", { class: "visually-hidden" }, "Fleets with their capacity, target and output"),
        h("thead", {}, h("tr", {},
          ["Fleet", "Assets", "Online", "Feasible range", "Target", "Allocated", "Measured", "Shortfall", "FCR contract"]
            .map((t) => h("th", { scope: "col" }, t)))),
        body))));

  for (let round = 0; !signal.aborted && round < 1_000_000; round++) {
    const fleets = await api("/fleets", { signal });
    body.replaceChildren(...(fleets.length ? fleets.map(row) : [h("tr", {}, h("td", { colspan: 9 }, "No fleets yet: register an asset (PUT /api/v1/assets/{id}) or start the silo with --demo."))]));
    updated.textContent = `${fleets.length} fleet(s), updated ${utcTime(new Date())}`;
    await pause(REFRESH_MS, signal);
  }
}

function row(f) {
  const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
  return h("tr", { dataset: { fleetId: f.fleetId } },
    cell("Fleet", h("a", { href: `#/fleets/${encodeURIComponent(f.fleetId)}` }, f.fleetId)),
    cell("Assets", figure("assetCount", f.assetCount, String(f.assetCount))),
    cell("Online", figure("onlineCount", f.onlineCount, String(f.onlineCount))),
    cell("Feasible range", figure("minPowerKw", f.minPowerKw), " … ", figure("maxPowerKw", f.maxPowerKw)),
    cell("Target", figure("targetKw", f.targetKw ?? null, f.targetKw == null ? "none" : kw(f.targetKw))),
    cell("Allocated", figure("allocatedKw", f.allocatedKw)),
    cell("Measured", figure("measuredKw", f.measuredKw ?? null)),
    cell("Shortfall", figure("shortfallKw", f.shortfallKw), Math.abs(f.shortfallKw) > 0.5 ? h("span", { class: "badge warn" }, "short") : null),
    cell("FCR contract", fcrText(f.fcr)));
}

/** The grid helper's FleetView.Fcr ({contractedKw, frequencyHz, responseKw}) when the silo has it. */
export function fcrText(fcr) {
  if (!fcr) return h("span", { class: "muted" }, "none");
  return h("span", { class: "fcr" },
    figure("fcrContractedKw", fcr.contractedKw, `±${kw(fcr.contractedKw)}`),
    fcr.frequencyHz != null ? ` at ${Number(fcr.frequencyHz).toFixed(3)} Hz` : "",
    fcr.responseKw != null ? `, response ${kw(fcr.responseKw)}` : "");
}
