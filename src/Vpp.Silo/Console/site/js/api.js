// The HTTP API seen from the page: every call carries the signed-in key as X-Api-Key, every refusal becomes an
// ApiError holding the problem document (status, detail, errors by field) so forms can show it next to the field.

const KEY_STORAGE = "vpp.console.apiKey";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
  }

  /** Messages per field ("targetKw" → ["must be a number"]), from the problem's `errors`. */
  get fieldErrors() {
    return this.problem.errors ?? {};
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_STORAGE); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_STORAGE, value); else sessionStorage.removeItem(KEY_STORAGE);
  },
  me: null,
  has(role) { return this.me?.roles?.includes(role) ?? false; },
};

async function problemOf(response) {
  try {
    return await response.json();
  } catch {
    return { title: response.statusText };
  }
}

/** GET (or any method) a JSON answer; `body` is sent as given when it is a string, else as JSON. */
export async function api(path, { method = "GET", body, signal, key = session.key } = {}) {
  const headers = { Accept: "application/json", "X-Api-Key": key ?? "" };
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, { method, headers, body: payload, signal, cache: "no-store" });
  if (!response.ok) throw new ApiError(response.status, await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/**
 * Reads a Server-Sent Events stream with fetch (EventSource cannot send the key header). Reconnects after a drop
 * with a growing, capped delay and resumes after the last event id; stops for good on 401/403/404 or on abort.
 * `onEvent({event, id, data})` gets each message; `onState(text)` hears of connects and drops.
 */
export async function stream(path, { signal, onEvent, onState = () => {}, onFatal = () => {} }) {
  let lastEventId = null;
  let delayMs = 1000;
  for (let attempt = 0; !signal.aborted && attempt < 10_000; attempt++) {
    try {
      const headers = { Accept: "text/event-stream", "X-Api-Key": session.key ?? "" };
      if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
      const response = await fetch(`/api/v1${path}`, { headers, signal, cache: "no-store" });
      if (!response.ok) {
        const error = new ApiError(response.status, await problemOf(response));
        if ([400, 401, 403, 404].includes(response.status)) { onFatal(error); return; }
        throw error;
      }
      onState("live");
      delayMs = 1000;
      for await (const message of messages(response.body, signal)) {
        if (message.id !== undefined) lastEventId = message.id;
        if (message.data !== undefined) onEvent(message);
      }
    } catch (error) {
      if (signal.aborted) return;
      onState(`reconnecting (${error.message})`);
    }
    await pause(delayMs, signal);
    delayMs = Math.min(delayMs * 2, 10_000);
  }
}

async function* messages(body, signal) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  const abort = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", abort, { once: true });
  let buffer = "";
  let message = {};
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, "");
        buffer = buffer.slice(newline + 1);
        if (line === "") {
          if (message.data !== undefined || message.id !== undefined) yield message;
          message = {};
        } else if (!line.startsWith(":")) {
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") message.data = message.data === undefined ? text : `${message.data}\n${text}`;
          else if (field === "event") message.event = text;
          else if (field === "id") message.id = text;
        }
      }
    }
  } finally {
    signal.removeEventListener("abort", abort);
  }
}

export function pause(ms, signal) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
