// Operator actions, each with a confirmation step and the API's own validation messages next to the fields.
// The page offers an action only to a key holding the role the API requires for it; the API enforces it anyway.
import { api, ApiError } from "./api.js";
import { h, kw } from "./format.js";

/** Shows the problem's `errors` next to the matching fields; anything not tied to a field goes to `general`. */
export function showProblem(error, fields, general) {
  for (const element of Object.values(fields)) element.textContent = "";
  general.textContent = "";
  const byField = error instanceof ApiError ? error.fieldErrors : {};
  let placed = false;
  for (const [name, messages] of Object.entries(byField)) {
    const target = fields[name];
    if (target) { target.textContent = `${name} ${messages.join("; ")}`; placed = true; }
  }
  if (!placed) general.textContent = error.message;
}

/** The raw text as a JSON value: a number literal stays a number (the API judges its range), anything else a string. */
function jsonNumberOrText(text) {
  const trimmed = text.trim();
  if (trimmed === "") return "null";
  return /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed) ? trimmed : JSON.stringify(trimmed);
}

export function dispatchForm(fleetId, onDone) {
  const target = h("input", { id: "dispatch-target", name: "targetKw", type: "text", inputmode: "decimal", autocomplete: "off", "aria-describedby": "dispatch-target-error", required: true });
  const strategy = h("select", { id: "dispatch-strategy", name: "strategy", "aria-describedby": "dispatch-strategy-error" },
    h("option", { value: "meritOrder" }, "merit order (cheapest first)"),
    h("option", { value: "proRata" }, "pro rata (by headroom)"));
  const errors = {
    targetKw: h("p", { class: "field-error", id: "dispatch-target-error", role: "alert" }),
    strategy: h("p", { class: "field-error", id: "dispatch-strategy-error", role: "alert" }),
  };
  const general = h("p", { class: "field-error", id: "dispatch-error", role: "alert" });
  const result = h("p", { class: "ok", id: "dispatch-result", role: "status" });
  const confirmText = h("p", { id: "dispatch-confirm-text" });
  const confirmBox = h("div", { class: "confirm", id: "dispatch-confirm", hidden: true },
    confirmText,
    h("button", { type: "button", class: "primary danger", id: "dispatch-confirm-button", onclick: send }, "Confirm dispatch"),
    h("button", { type: "button", id: "dispatch-cancel-button", onclick: () => { confirmBox.hidden = true; target.focus(); } }, "Cancel"));

  const form = h("form", { class: "card actions", id: "dispatch-form", "aria-labelledby": "dispatch-title", onsubmit: (e) => { e.preventDefault(); ask(); } },
    h("h2", { id: "dispatch-title" }, "Dispatch the fleet"),
    h("div", { class: "field" }, h("label", { for: "dispatch-target" }, "Target (kW, + export)"), target, errors.targetKw),
    h("div", { class: "field" }, h("label", { for: "dispatch-strategy" }, "Strategy"), strategy, errors.strategy),
    h("button", { type: "submit", id: "dispatch-button" }, "Dispatch…"),
    general, confirmBox, result);

  function ask() {
    result.textContent = "";
    showProblem({ message: "" }, errors, general);
    confirmText.textContent = `Send fleet ${fleetId} a standing target of ${target.value.trim() || "(empty)"} kW, ${strategy.selectedOptions[0].textContent}? Every online asset gets a new setpoint.`;
    confirmBox.hidden = false;
    confirmBox.querySelector("button").focus();
  }

  async function send() {
    confirmBox.hidden = true;
    try {
      const answer = await api(`/fleets/${encodeURIComponent(fleetId)}/dispatch?setpoints=false`, {
        method: "POST",
        body: `{"targetKw": ${jsonNumberOrText(target.value)}, "strategy": ${JSON.stringify(strategy.value)}}`,
      });
      result.textContent = `Dispatched ${kw(answer.targetKw)}: ${kw(answer.allocatedKw)} allocated, shortfall ${kw(answer.shortfallKw)} (${answer.acknowledgedCount} assets acknowledged).`;
      onDone(answer);
    } catch (error) {
      showProblem(error, errors, general);
      target.focus();
    }
  }

  return form;
}

/** A modal confirmation for putting one asset into maintenance or back online (POST /assets/{id}/status). */
export function confirmStatusChange(asset, status, onDone) {
  const reason = h("input", { id: "status-reason", name: "reason", type: "text", maxlength: 600, "aria-describedby": "status-reason-error",
    value: status === "maintenance" ? "maintenance by operator" : "back in service" });
  const errors = {
    reason: h("p", { class: "field-error", id: "status-reason-error", role: "alert" }),
    status: h("p", { class: "field-error", id: "status-status-error", role: "alert" }),
  };
  const general = h("p", { class: "field-error", id: "status-error", role: "alert" });
  const dialog = h("dialog", { id: "status-dialog", "aria-labelledby": "status-title" },
    h("form", { method: "dialog", onsubmit: async (e) => {
      e.preventDefault();
      try {
        const view = await api(`/assets/${encodeURIComponent(asset.assetId)}/status`, { method: "POST", body: { status, reason: reason.value } });
        dialog.close();
        onDone(view);
      } catch (error) {
        showProblem(error, errors, general);
      }
    } },
      h("h2", { id: "status-title" }, status === "maintenance" ? `Put ${asset.assetId} into maintenance?` : `Bring ${asset.assetId} back online?`),
      h("p", {}, status === "maintenance"
        ? `The fleet re-dispatches its target without this asset (it delivered ${kw(asset.setpointKw)}).`
        : "The fleet re-dispatches its target with this asset available again."),
      h("div", { class: "field" }, h("label", { for: "status-reason" }, "Reason"), reason, errors.reason),
      errors.status, general,
      h("div", { class: "buttons" },
        h("button", { type: "submit", class: "primary danger", id: "status-confirm-button" }, status === "maintenance" ? "Confirm maintenance" : "Confirm online"),
        h("button", { type: "button", id: "status-cancel-button", onclick: () => dialog.close() }, "Cancel"))));
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  reason.focus();
}
