// Display helpers. Numbers keep their raw value in data-value so tests and scripts read what the API said.

const kwFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: "UTC", hourCycle: "h23" });

export const kw = (value) => (value === null || value === undefined ? "—" : `${kwFormat.format(value)} kW`);
export const percent = (value) => (value === null || value === undefined ? "—" : `${kwFormat.format(value)} %`);
export const utcTime = (value) => (value ? `${timeFormat.format(new Date(value))} UTC` : "—");

/** An element with attributes and children; strings become text nodes (never HTML). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** A number shown formatted, carrying its raw value for machines. */
export const figure = (field, value, text = kw(value)) =>
  h("span", { class: "figure", dataset: { field, value: value ?? "" } }, text);
