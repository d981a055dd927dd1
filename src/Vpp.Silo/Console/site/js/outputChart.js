// The fleet's output over the last hour: target, allocated and measured kW. History from
// GET /fleets/{id}/output?minutes=60, then one sample every 2 s from the SSE stream /output/stream. A silo without
// the output history (404 on the history) is sampled through GET /fleets/{id} every 2 s instead — one request,
// never one per asset.
import { api, stream, pause, ApiError } from "./api.js";
import { h, kw, utcTime } from "./format.js";

const WINDOW_MS = 60 * 60 * 1000;
const FALLBACK_PERIOD_MS = 2000;
const SERIES = [
  { key: "targetKw", label: "Target", color: "#d9480f", stepped: true, dash: [6, 4] },
  { key: "allocatedKw", label: "Allocated", color: "#1c7ed6", stepped: true },
  { key: "measuredKw", label: "Measured", color: "#2b8a3e", stepped: false },
];

export function outputChart(fleetId, signal) {
  const canvas = h("canvas", { id: "output-chart", role: "img", "aria-label": "Fleet output over the last hour: target, allocated and measured kW" });
  const latest = h("p", { class: "latest", id: "chart-latest" }, "Waiting for samples…");
  const state = h("span", { class: "muted", id: "chart-state" }, "connecting");
  const section = h("section", { class: "card chart-card", "aria-labelledby": "chart-title" },
    h("h2", { id: "chart-title" }, "Output, last hour ", state),
    h("div", { class: "chart-box" }, canvas),
    latest);

  const chart = new window.Chart(canvas, {
    type: "line",
    data: {
      datasets: SERIES.map((s) => ({
        label: s.label, data: [], borderColor: s.color, backgroundColor: s.color, stepped: s.stepped,
        borderDash: s.dash, pointRadius: 0, borderWidth: 2, spanGaps: true,
      })),
    },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: { type: "linear", ticks: { maxTicksLimit: 7, callback: (v) => utcTime(v).replace(" UTC", "") }, title: { display: true, text: "time (UTC)" } },
        y: { title: { display: true, text: "kW (+ export)" } },
      },
      plugins: { legend: { position: "bottom" }, tooltip: { callbacks: { title: (items) => utcTime(items[0].parsed.x), label: (i) => `${i.dataset.label}: ${kw(i.parsed.y)}` } } },
    },
  });
  signal.addEventListener("abort", () => chart.destroy(), { once: true });

  const add = (samples) => {
    for (const sample of samples) {
      const x = Date.parse(sample.at);
      SERIES.forEach((s, i) => {
        const data = chart.data.datasets[i].data;
        if (data.length && data[data.length - 1].x >= x) return; // a sample seen twice (history + stream)
        data.push({ x, y: sample[s.key] ?? null });
      });
    }
    const cutoff = Date.now() - WINDOW_MS;
    for (const dataset of chart.data.datasets) {
      const firstKept = dataset.data.findIndex((p) => p.x >= cutoff);
      if (firstKept > 0) dataset.data.splice(0, firstKept);
    }
    const last = samples[samples.length - 1];
    if (last) {
      latest.replaceChildren(...SERIES.flatMap((s) => [
        h("span", { class: "legend-value", dataset: { series: s.key, value: last[s.key] ?? "" } }, `${s.label} ${kw(last[s.key])}`), " "]),
        h("span", { class: "muted" }, `at ${utcTime(last.at)}`));
    }
    chart.update("none");
  };

  run(fleetId, signal, add, (text) => { state.textContent = text; });
  return { section, add };
}

async function run(fleetId, signal, add, setState) {
  const path = `/fleets/${encodeURIComponent(fleetId)}/output`;
  try {
    const history = await api(`${path}?minutes=60`, { signal });
    add(history.samples ?? []);
  } catch (error) {
    if (signal.aborted) return;
    if (error instanceof ApiError && error.status === 404) { await sampleFleetView(fleetId, signal, add, setState); return; }
    setState(`history unavailable: ${error.message}`);
  }
  await stream(`${path}/stream`, {
    signal,
    onState: setState,
    onFatal: (error) => setState(`stream refused: ${error.message}`),
    onEvent: (message) => { if (message.event === "sample") add([JSON.parse(message.data)]); },
  });
}

async function sampleFleetView(fleetId, signal, add, setState) {
  setState("live (sampled from the fleet view)");
  for (let round = 0; !signal.aborted && round < 10_000_000; round++) {
    try {
      const f = await api(`/fleets/${encodeURIComponent(fleetId)}`, { signal });
      add([{ at: new Date().toISOString(), targetKw: f.targetKw ?? null, allocatedKw: f.allocatedKw, measuredKw: f.measuredKw ?? null }]);
    } catch (error) {
      if (signal.aborted) return;
      setState(`retrying (${error.message})`);
    }
    await pause(FALLBACK_PERIOD_MS, signal);
  }
}
