// Proposed schedule against prices (POST /fleets/{id}/optimise): the operator picks a price series — one of the two
// shipped synthesised days placed on a chosen UTC day, or a pasted/uploaded CSV of `from,eurPerMwh` — and the
// objective (the most profit, or self-consumption: the least energy imported), asks for a proposal, sees the energy
// the fleet would import and export, prices, the proposed fleet kW and each battery group's SoC per quarter hour, the expected revenue and
// the binding limits, and (dispatch role) applies it: the same request with ?apply=true stores it as the schedule.
import { api, session, ApiError } from "./api.js";
import { h, kw, figure, utcTime } from "./format.js";
import { showProblem } from "./actions.js";

const SLOT_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const SHIPPED = [
  { value: "spring-volatile", label: "Spring day, volatile (synthesised)" },
  { value: "winter-flat", label: "Winter day, flat (synthesised)" },
];
const OBJECTIVES = [
  { value: "arbitrage", label: "Arbitrage: the most profit" },
  { value: "selfConsumption", label: "Self-consumption: the least energy imported" },
];
const SOC_COLORS = ["#2b8a3e", "#5f3dc4", "#e67700", "#0b7285", "#862e9c", "#5c940d"];
const eur = new Intl.NumberFormat("en-US", { style: "currency", currency: "EUR", maximumFractionDigits: 2 });

/** `from,eurPerMwh` lines (an optional header line) as [{from, eurPerMwh}]; throws with the line number of a bad one. */
export function parsePriceCsv(text) {
  const points = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length && i < 10_000; i++) {
    const line = lines[i].trim();
    if (line === "" || (points.length === 0 && /^from\s*,/i.test(line))) continue;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const eurPerMwh = Number(cells[1]);
    if (cells.length !== 2 || cells[1] === "" || !Number.isFinite(eurPerMwh) || Number.isNaN(Date.parse(cells[0]))) {
      throw new Error(`line ${i + 1}: expected "from,eurPerMwh" (a UTC instant and a number), got "${line.slice(0, 60)}"`);
    }
    points.push({ from: cells[0], eurPerMwh });
  }
  if (points.length === 0) throw new Error("no prices: one line \"from,eurPerMwh\" per quarter hour");
  return points;
}

/** The request for a price series: the horizon runs from its first quarter hour to the end of its last. */
function requestFor(points, endSocText, objective) {
  const starts = points.map((p) => Date.parse(p.from));
  const body = {
    from: new Date(Math.min(...starts)).toISOString(),
    to: new Date(Math.max(...starts) + SLOT_MS).toISOString(),
    prices: points,
    objective,
  };
  const endSoc = endSocText.trim();
  if (endSoc !== "") body.endSocPercent = Number.isFinite(Number(endSoc)) ? Number(endSoc) : endSoc;
  return body;
}

/** A shipped day moved onto `day` (yyyy-mm-dd, UTC): each price keeps its time of day. */
function placeOnDay(points, day) {
  const first = Date.parse(points[0].from);
  const shift = Date.parse(`${day}T00:00:00Z`) - (first - (first % DAY_MS));
  return points.map((p) => ({ from: new Date(Date.parse(p.from) + shift).toISOString(), eurPerMwh: p.eurPerMwh }));
}

const tomorrowUtc = () => new Date(Date.now() + DAY_MS).toISOString().slice(0, 10);

export function optimisePanel(fleetId, signal) {
  const source = h("select", { id: "optimise-source", name: "prices" },
    ...SHIPPED.map((s) => h("option", { value: s.value }, s.label)),
    h("option", { value: "csv" }, "Pasted or uploaded CSV"));
  const objective = h("select", { id: "optimise-objective", name: "objective" },
    ...OBJECTIVES.map((o) => h("option", { value: o.value }, o.label)));
  const day = h("input", { id: "optimise-day", name: "day", type: "date", value: tomorrowUtc(), required: true });
  const csv = h("textarea", { id: "optimise-csv", name: "csv", rows: 6, spellcheck: "false", "aria-describedby": "optimise-prices-error",
    placeholder: "from,eurPerMwh\n2026-04-19T00:00:00Z,64.60\n2026-04-19T00:15:00Z,68.20" });
  const file = h("input", { id: "optimise-file", name: "file", type: "file", accept: ".csv,text/csv,text/plain" });
  const endSoc = h("input", { id: "optimise-end-soc", name: "endSocPercent", type: "text", inputmode: "decimal", autocomplete: "off",
    "aria-describedby": "optimise-end-soc-error", placeholder: "as at the start" });
  const errors = {
    prices: h("p", { class: "field-error", id: "optimise-prices-error", role: "alert" }),
    endSocPercent: h("p", { class: "field-error", id: "optimise-end-soc-error", role: "alert" }),
  };
  const general = h("p", { class: "field-error", id: "optimise-error", role: "alert" });
  const status = h("p", { class: "ok", id: "optimise-result", role: "status" });
  const dayField = h("div", { class: "field" }, h("label", { for: "optimise-day" }, "Day (UTC)"), day);
  const csvField = h("div", { class: "field wide", hidden: true },
    h("label", { for: "optimise-csv" }, "Prices CSV (one quarter hour a line)"), csv,
    h("label", { for: "optimise-file" }, "…or upload a file"), file);
  const summary = h("dl", { class: "figures", id: "optimise-figures" });
  const binding = h("ul", { class: "binding", id: "optimise-binding" });
  const canvas = h("canvas", { id: "optimise-chart", role: "img", "aria-label": "Proposed schedule: price, fleet kW and battery SoC per quarter hour" });
  const confirmText = h("p", { id: "optimise-confirm-text" });
  const confirmBox = h("div", { class: "confirm", id: "optimise-confirm", hidden: true }, confirmText,
    h("button", { type: "button", class: "primary danger", id: "optimise-apply-confirm", onclick: () => propose(true) }, "Confirm: store as schedule"),
    h("button", { type: "button", id: "optimise-apply-cancel", onclick: () => { confirmBox.hidden = true; } }, "Cancel"));
  const applyButton = session.has("dispatch")
    ? h("button", { type: "button", id: "optimise-apply", disabled: true, onclick: askApply }, "Apply as schedule…")
    : null;
  const output = h("div", { class: "proposal", id: "optimise-proposal", hidden: true },
    summary, h("div", { class: "chart-box" }, canvas),
    h("h3", {}, "Binding limits"), binding);

  const form = h("form", { class: "card actions", id: "optimise-form", "aria-labelledby": "optimise-title", onsubmit: (e) => { e.preventDefault(); propose(false); } },
    h("h2", { id: "optimise-title" }, "Optimise against prices"),
    h("div", { class: "field" }, h("label", { for: "optimise-source" }, "Price series"), source),
    h("div", { class: "field" }, h("label", { for: "optimise-objective" }, "Objective"), objective),
    dayField,
    h("div", { class: "field" }, h("label", { for: "optimise-end-soc" }, "Battery end SoC (%)"), endSoc, errors.endSocPercent),
    csvField, errors.prices,
    h("button", { type: "submit", id: "optimise-button", class: "primary" }, "Propose"),
    applyButton, general, status, confirmBox, output);

  let chart = null;
  let lastBody = null;
  signal.addEventListener("abort", () => chart?.destroy(), { once: true });
  source.addEventListener("change", () => {
    const pasted = source.value === "csv";
    csvField.hidden = !pasted;
    dayField.hidden = pasted;
  });
  file.addEventListener("change", async () => { if (file.files?.[0]) csv.value = await file.files[0].text(); });

  async function pricePoints() {
    if (source.value === "csv") return parsePriceCsv(csv.value);
    const response = await fetch(`prices/${source.value}.csv`, { signal, cache: "no-store" });
    if (!response.ok) throw new Error(`the shipped price series is missing (HTTP ${response.status})`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day.value)) throw new Error("pick the day (UTC) to place the prices on");
    return placeOnDay(parsePriceCsv(await response.text()), day.value);
  }

  async function propose(apply) {
    confirmBox.hidden = true;
    status.textContent = "";
    showProblem({ message: "" }, errors, general);
    let body;
    try {
      body = apply ? lastBody : requestFor(await pricePoints(), endSoc.value, objective.value);
    } catch (error) {
      errors.prices.textContent = error.message;
      return;
    }
    if (!apply && applyButton) applyButton.disabled = true;
    status.textContent = apply ? "Storing…" : "Solving…";
    try {
      const proposal = await api(`/fleets/${encodeURIComponent(fleetId)}/optimise${apply ? "?apply=true" : ""}`, { method: "POST", body, signal });
      lastBody = body;
      render(proposal);
      if (applyButton) applyButton.disabled = false;
      status.textContent = proposal.applied
        ? `Stored as the schedule of fleet ${fleetId}: ${proposal.slots.length} quarter hours from ${proposal.from}.`
          + (proposal.scheduleWarnings?.length ? ` Warnings: ${proposal.scheduleWarnings.join(" ")}` : "")
        : `Proposal for ${proposal.slots.length} quarter hours (${proposal.objective}); nothing is stored until it is applied.`;
    } catch (error) {
      if (signal.aborted) return;
      status.textContent = "";
      if (error instanceof ApiError && error.status === 422) {
        output.hidden = true;
        general.textContent = `Infeasible (${error.problem.constraint ?? "constraint"}): ${error.message}`;
        general.dataset.constraint = error.problem.constraint ?? "";
        return;
      }
      showProblem(error, errors, general);
      const other = Object.entries(error instanceof ApiError ? error.fieldErrors : {}).filter(([name]) => !(name in errors));
      if (other.length) general.textContent = other.map(([name, messages]) => `${name} ${messages.join("; ")}`).join(" · ");
    }
  }

  function askApply() {
    if (!lastBody) return;
    confirmText.textContent = `Store this proposal as fleet ${fleetId}'s schedule from ${lastBody.from} to ${lastBody.to}? `
      + "It is solved again with the fleet's state now, and the fleet then follows it slot by slot.";
    confirmBox.hidden = false;
    confirmBox.querySelector("button").focus();
  }

  function render(p) {
    output.hidden = false;
    const item = (label, ...value) => h("div", {}, h("dt", {}, label), h("dd", {}, ...value));
    const money = (field, value) => figure(field, value, value == null ? "—" : eur.format(value));
    const energy = (field, value) => figure(field, value, `${Math.round(value * 10) / 10} kWh`);
    summary.replaceChildren(
      item("Objective", h("span", { dataset: { field: "objective" } }, OBJECTIVES.find((o) => o.value === p.objective)?.label ?? p.objective)),
      item("Imported from the grid", energy("importKwh", p.importKwh)),
      item("Exported to the grid", energy("exportKwh", p.exportKwh)),
      item("Expected revenue", money("revenueEur", p.revenueEur)),
      item("Operating cost", money("operatingCostEur", p.operatingCostEur)),
      item("Profit", money("profitEur", p.profitEur)),
      item("Greedy baseline profit", money("greedyProfitEur", p.greedyProfitEur ?? null),
        p.greedyProfitEur == null ? " (the price-driven baseline does not pursue self-consumption)" : ""),
      item("Battery throughput", figure("energyThroughputKwh", p.energyThroughputKwh, `${Math.round(p.energyThroughputKwh)} kWh`)),
      item("Solution", figure("optimal", p.optimal ? 1 : 0, p.optimal ? "optimal" : "feasible (time limit)")));

    const counts = new Map();
    for (const slot of p.slots) {
      for (const limit of slot.binding) {
        const seen = counts.get(limit) ?? { count: 0, first: slot.start };
        seen.count++;
        counts.set(limit, seen);
      }
    }
    binding.replaceChildren(...(counts.size === 0 ? [h("li", {}, "No limit binds: the prices alone shape the schedule.")]
      : [...counts].sort((a, b) => b[1].count - a[1].count).map(([limit, seen]) =>
        h("li", { dataset: { constraint: limit, slots: seen.count } }, h("code", {}, limit), ` in ${seen.count} quarter hours, first at ${utcTime(seen.first)}`))));

    const x = (slot) => Date.parse(slot.start);
    const batteries = p.groups.filter((g) => g.kind === "battery");
    const datasets = [
      { label: "Price (EUR/MWh)", yAxisID: "price", borderColor: "#868e96", backgroundColor: "#868e96", stepped: true, data: p.slots.map((s) => ({ x: x(s), y: s.priceEurPerMwh })) },
      { label: "Proposed fleet kW", yAxisID: "kw", borderColor: "#d9480f", backgroundColor: "#d9480f", stepped: true, borderWidth: 2, data: p.slots.map((s) => ({ x: x(s), y: s.targetKw })) },
      ...batteries.map((g, i) => ({
        label: `SoC ${g.name} (%)`, yAxisID: "soc", borderColor: SOC_COLORS[i % SOC_COLORS.length], backgroundColor: SOC_COLORS[i % SOC_COLORS.length], borderDash: [4, 3],
        data: p.slots.map((s) => ({ x: x(s) + SLOT_MS, y: s.groups.find((gs) => gs.group === g.name)?.socPercent ?? null })),
      })),
    ];
    chart?.destroy();
    chart = new window.Chart(canvas, {
      type: "line",
      data: { datasets: datasets.map((d) => ({ pointRadius: 0, borderWidth: 1.5, spanGaps: true, ...d })) },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: "nearest", axis: "x", intersect: false },
        scales: {
          x: { type: "linear", ticks: { maxTicksLimit: 9, callback: (v) => utcTime(v).replace(":00 UTC", "") }, title: { display: true, text: "time (UTC)" } },
          kw: { position: "left", title: { display: true, text: "kW (+ export)" } },
          price: { position: "right", title: { display: true, text: "EUR/MWh" }, grid: { drawOnChartArea: false } },
          soc: { position: "right", min: 0, max: 100, title: { display: true, text: "SoC %" }, grid: { drawOnChartArea: false }, display: batteries.length > 0 },
        },
        plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { title: (items) => utcTime(items[0].parsed.x),
          label: (i) => `${i.dataset.label}: ${i.dataset.yAxisID === "kw" ? kw(i.parsed.y) : Math.round(i.parsed.y * 10) / 10}` } } },
      },
    });
  }

  return form;
}
