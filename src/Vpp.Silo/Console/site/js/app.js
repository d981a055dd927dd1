// Entry point: sign-in, then a hash router (#/ fleets overview, #/fleets/{id} fleet detail). Each view gets an
// AbortSignal that ends its streams and timers when the operator navigates away or signs out.
import { api, session, ApiError } from "./api.js";
import { h } from "./format.js";
import { showOverview } from "./overview.js";
import { showFleet } from "./fleet.js";
import { showVirtualBatteries, showVirtualBattery } from "./virtualBatteries.js";

const app = document.getElementById("app");
let current = null;

function showSignIn(message) {
  document.getElementById("who").hidden = true;
  const error = h("p", { class: "field-error", id: "signin-error", role: "alert" }, message ?? "");
  const input = h("input", {
    id: "api-key", name: "apiKey", type: "password", autocomplete: "current-password", required: true,
    "aria-describedby": "signin-error", spellcheck: "false",
  });
  const form = h("form", { class: "card signin", id: "signin-form", onsubmit: (e) => { e.preventDefault(); signIn(input.value.trim(), error); } },
    h("h1", {}, "Sign in"),
    h("p", {}, "Paste an API key of this VPP (the same keys and roles as the HTTP API). It stays in this browser tab only."),
    h("label", { for: "api-key" }, "API key"),
    input,
    error,
    h("button", { type: "submit", class: "primary" }, "Sign in"));
  app.replaceChildren(form);
  input.focus();
}

async function signIn(key, errorElement) {
  if (!key) { errorElement.textContent = "Enter a key."; return; }
  try {
    session.me = await api("/me", { key });
    session.key = key;
    route();
  } catch (error) {
    errorElement.textContent = !(error instanceof ApiError) ? `Sign-in failed: ${error.message}`
      : error.status === 401 ? "This key was refused: it is not a key of this VPP."
      : error.status === 403 ? "This key was refused: the console needs a key with the read role."
      : `Sign-in failed: ${error.message}`;
  }
}

function signOut() {
  session.key = null;
  session.me = null;
  current?.abort();
  location.hash = "#/";
  showSignIn();
}

function showWho() {
  document.getElementById("who").hidden = false;
  document.getElementById("who-name").textContent = session.me.name;
  document.getElementById("who-roles").textContent = session.me.roles.join(", ") || "no roles";
  document.getElementById("who-fleets").textContent = session.me.trader ? `trader: ${session.me.trader}`
    : session.me.fleets ? "fleets: " + session.me.fleets.join(", ") : "all fleets";
}

async function route() {
  current?.abort();
  current = new AbortController();
  const signal = current.signal;
  if (!session.key) { showSignIn(); return; }
  try {
    session.me ??= await api("/me", { signal });
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      session.key = null;
      showSignIn(error.status === 401 ? "The key is no longer accepted; sign in again." : "The key no longer has the read role; sign in with another.");
    }
    else app.replaceChildren(h("p", { class: "card field-error" }, `The VPP does not answer: ${error.message}`));
    return;
  }
  showWho();
  const fleet = /^#\/fleets\/([^/]+)$/.exec(location.hash);
  const slice = /^#\/virtual-batteries\/([^/]+)$/.exec(location.hash);
  const onError = (error) => {
    if (error instanceof ApiError && error.status === 401) { signOut(); return; }
    if (!signal.aborted) app.replaceChildren(h("p", { class: "card field-error", role: "alert" }, error.message));
  };
  try {
    if (fleet) await showFleet(app, decodeURIComponent(fleet[1]), signal);
    else if (slice) await showVirtualBattery(app, decodeURIComponent(slice[1]), signal);
    else if (location.hash === "#/virtual-batteries" || session.me.trader) await showVirtualBatteries(app, signal);
    else await showOverview(app, signal);
  } catch (error) {
    if (!signal.aborted) onError(error);
  }
}

document.getElementById("sign-out").addEventListener("click", signOut);
window.addEventListener("hashchange", route);
route();
