// Virtual batteries. A trader's key sees its own slices (#/virtual-batteries) and each slice's page
// (#/virtual-batteries/{id}): power, energy, virtual SoC, the SoC chart over its settlement and plan, the next quarter
// hours and its curtailments. The operator's key also sees how each fleet is sliced (GET /virtual-batteries/books).
import { api, pause, session } from "./api.js";
import { h, kw, percent, figure, utcTime } from "./format.js";

const REFRESH_MS = 5000;
const HISTORY_MS = 6 * 60 * 60 * 1000;
const kwh = (value) => (value === null || value === undefined ? "—" : `${Number(value).toFixed(1)} kWh`);
const cell = (label, ...content) => h("td", { "data-label": label }, ...content);
const headings = (...titles) => h("thead", {}, h("tr", {}, titles.map((t) => h("th", { scope: "col" }, t))));

export async function showVirtualBatteries(app, signal) {
  const rows = h("tbody", { id: "vb-rows" });
  const updated = h("p", { class: "muted", id: "vb-updated" }, "Loading…");
  const books = h("div", { id: "slice-books" });
  app.replaceChildren(
    h("section", { class: "card", "aria-labelledby": "vb-title" },
      h("h1", { id: "vb-title" }, session.me?.trader ? `Virtual batteries of ${session.me.trader}` : "Virtual batteries"),
      updated,
      h("div", { class: "table-wrap" }, h("table", { class: "cards-on-phone", id: "virtual-batteries" },
        h("caption", { class: "visually-hidden" }, "Virtual batteries with their virtual SoC and setpoints"),
        headings("Virtual battery", "Trader", "Fleet", "Power", "Energy", "Virtual SoC", "Requested", "Setpoint", "Curtailment"),
        rows))),
    session.me?.trader ? null : h("section", { class: "card", "aria-labelledby": "books-title" }, h("h2", { id: "books-title" }, "How the fleets are sliced"), books));

  for (let round = 0; !signal.aborted && round < 1_000_000; round++) {
    const slices = await api("/virtual-batteries", { signal });
    rows.replaceChildren(...(slices.length ? slices.map(sliceRow) : [h("tr", {}, h("td", { colspan: 9 }, "No virtual batteries for this key."))]));
    if (!session.me?.trader) books.replaceChildren(...(await api("/virtual-batteries/books", { signal })).map(bookCard));
    updated.textContent = `${slices.length} virtual batter${slices.length === 1 ? "y" : "ies"}, updated ${utcTime(new Date())}`;
    await pause(REFRESH_MS, signal);
  }
}

function sliceRow(v) {
  return h("tr", { dataset: { vbId: v.virtualBatteryId } },
    cell("Virtual battery", h("a", { href: `#/virtual-batteries/${encodeURIComponent(v.virtualBatteryId)}` }, v.virtualBatteryId)),
    cell("Trader", v.traderId),
    cell("Fleet", v.fleetId),
    cell("Power", figure("powerKw", v.powerKw, `±${kw(v.powerKw)}`)),
    cell("Energy", figure("energyKwh", v.energyKwh, kwh(v.energyKwh))),
    cell("Virtual SoC", figure("socPercent", v.socPercent, percent(v.socPercent))),
    cell("Requested", figure("requestedKw", v.requestedKw)),
    cell("Setpoint", figure("setpointKw", v.setpointKw)),
    cell("Curtailment", v.curtailmentReason ? h("span", { class: "badge warn" }, v.curtailmentReason) : h("span", { class: "muted" }, "none")));
}

/** One fleet's book: sold against free, then per trader. */
function bookCard(b) {
  return h("div", { class: "slice-book", dataset: { fleetId: b.fleetId } },
    h("h3", {}, `Fleet ${b.fleetId}`),
    h("dl", { class: "figures" },
      h("div", {}, h("dt", {}, "Power sold"), h("dd", {}, figure("soldPowerKw", b.soldPowerKw))),
      h("div", {}, h("dt", {}, "Power free"), h("dd", {}, figure("freePowerKw", b.freePowerKw))),
      h("div", {}, h("dt", {}, "Energy sold"), h("dd", {}, figure("soldEnergyKwh", b.soldEnergyKwh, kwh(b.soldEnergyKwh)))),
      h("div", {}, h("dt", {}, "Energy free"), h("dd", {}, figure("freeEnergyKwh", b.freeEnergyKwh, kwh(b.freeEnergyKwh)))),
      h("div", {}, h("dt", {}, "Slices' net now"), h("dd", {}, figure("netKw", b.netKw)))),
    h("div", { class: "table-wrap" }, h("table", { class: "cards-on-phone" },
      h("caption", { class: "visually-hidden" }, `Slices of fleet ${b.fleetId} per trader`),
      headings("Trader", "Slices", "Power", "Energy"),
      h("tbody", {}, ...(b.traders.length ? b.traders.map((t) => h("tr", { dataset: { traderId: t.traderId } },
        cell("Trader", t.traderId),
        cell("Slices", figure("sliceCount", t.sliceCount, String(t.sliceCount))),
        cell("Power", figure("powerKw", t.powerKw)),
        cell("Energy", figure("energyKwh", t.energyKwh, kwh(t.energyKwh)))))
        : [h("tr", {}, h("td", { colspan: 4 }, "Not sliced."))])))));
}

export async function showVirtualBattery(app, vbId, signal) {
  const path = `/virtual-batteries/${encodeURIComponent(vbId)}`;
  const figures = h("dl", { class: "figures", id: "vb-figures" });
  const updated = h("p", { class: "muted", id: "vb-updated" });
  const slots = h("tbody", { id: "vb-slots" });
  const curtailments = h("ol", { class: "timeline", id: "vb-curtailments" });
  const canvas = h("canvas", { id: "soc-chart", role: "img", "aria-label": "Virtual SoC: settled quarter hours, then where the plan leads" });
  app.replaceChildren(
    h("nav", { class: "crumbs", "aria-label": "Breadcrumb" }, h("a", { href: "#/virtual-batteries" }, "Virtual batteries"), " / ", h("span", {}, vbId)),
    h("section", { class: "card", "aria-labelledby": "vb-title" }, h("h1", { id: "vb-title" }, `Virtual battery ${vbId}`), figures, updated),
    h("section", { class: "card", "aria-labelledby": "soc-title" }, h("h2", { id: "soc-title" }, "Virtual SoC"), h("div", { class: "chart-box" }, canvas)),
    h("div", { class: "two-columns" },
      h("section", { class: "card", "aria-labelledby": "curtailments-title" }, h("h2", { id: "curtailments-title" }, "Curtailments"), curtailments),
      h("section", { class: "card", "aria-labelledby": "slots-title" }, h("h2", { id: "slots-title" }, "Next quarter hours"),
        h("div", { class: "table-wrap" }, h("table", { class: "cards-on-phone", id: "vb-next-slots" },
          headings("Quarter hour", "Target", "SoC at start", "Available discharge", "Available charge"), slots)))));

  const chart = new window.Chart(canvas, {
    type: "line",
    data: { datasets: [
      { label: "Settled (end of quarter hour)", data: [], borderColor: "#1c7ed6", backgroundColor: "#1c7ed6", pointRadius: 2, borderWidth: 2 },
      { label: "Plan (start of quarter hour)", data: [], borderColor: "#d9480f", backgroundColor: "#d9480f", borderDash: [6, 4], pointRadius: 2, borderWidth: 2 },
    ] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
      scales: {
        x: { type: "linear", ticks: { maxTicksLimit: 8, callback: (v) => utcTime(v).replace(" UTC", "") }, title: { display: true, text: "time (UTC)" } },
        y: { min: 0, max: 100, title: { display: true, text: "virtual SoC (%)" } },
      },
      plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { title: (items) => utcTime(items[0].parsed.x), label: (i) => `${i.dataset.label}: ${percent(i.parsed.y)}` } } },
    },
  });
  signal.addEventListener("abort", () => chart.destroy(), { once: true });

  for (let round = 0; !signal.aborted && round < 10_000_000; round++) {
    const now = new Date();
    const [v, settlement, events] = await Promise.all([
      api(path, { signal }),
      api(`${path}/settlement?from=${encodeURIComponent(new Date(now - HISTORY_MS).toISOString())}&to=${encodeURIComponent(now.toISOString())}`, { signal }),
      api(`${path}/events`, { signal }),
    ]);
    const item = (label, ...value) => h("div", {}, h("dt", {}, label), h("dd", {}, ...value));
    figures.replaceChildren(
      item("Trader", v.traderId), item("Fleet", v.fleetId),
      item("Power", figure("powerKw", v.powerKw, `±${kw(v.powerKw)}`)),
      item("Energy", figure("energyKwh", v.energyKwh, kwh(v.energyKwh))),
      item("Virtual SoC", figure("socPercent", v.socPercent, percent(v.socPercent))),
      item("Requested", figure("requestedKw", v.requestedKw)),
      item("Setpoint", figure("setpointKw", v.setpointKw), v.curtailmentReason ? h("span", { class: "badge warn" }, ` ${v.curtailmentReason}`) : null),
      item("Available now", figure("availableDischargeKw", v.availableDischargeKw), " out, ", figure("availableChargeKw", v.availableChargeKw), " in"));
    updated.textContent = `Updated ${utcTime(now)}`;
    slots.replaceChildren(...v.nextSlots.map((s) => h("tr", { dataset: { start: s.start } },
      cell("Quarter hour", `${utcTime(s.start)}${s.scheduled ? " (scheduled)" : ""}`),
      cell("Target", figure("targetKw", s.targetKw)),
      cell("SoC at start", figure("socStartPercent", s.socStartPercent, percent(s.socStartPercent))),
      cell("Available discharge", figure("availableDischargeKw", s.availableDischargeKw)),
      cell("Available charge", figure("availableChargeKw", s.availableChargeKw)))));
    chart.data.datasets[0].data = settlement.slots.map((r) => ({ x: Date.parse(r.end), y: r.socEndPercent }));
    chart.data.datasets[1].data = v.nextSlots.map((s) => ({ x: Date.parse(s.start), y: s.socStartPercent }));
    chart.update("none");
    curtailments.replaceChildren(...(events.length ? [...events].reverse().map((e) => h("li", { class: "event", dataset: { kind: e.kind, sequence: e.sequence } },
      h("time", { datetime: e.at }, utcTime(e.at)),
      h("span", { class: "message" }, e.message))) : [h("li", { class: "muted" }, "No curtailments.")]));
    await pause(REFRESH_MS, signal);
  }
}
