// A tiny DOM, enough for navigator-page.js to run in Node: elements, text nodes, attributes, ids,
// a few selectors, focus and events. No markup parser (the page script must never need one): a
// document is built from a tree, [tag, {attributes}, ...children] with strings for text, and turned
// back into HTML with serialize().

const VOID = new Set(["br", "hr", "img", "input", "link", "meta"]);

function escape(text, quote) {
  const escaped = String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return quote ? escaped.replace(/"/g, "&quot;") : escaped;
}

class Node {
  constructor(document) {
    this.ownerDocument = document;
    this.parentNode = null;
    this.childNodes = [];
  }

  get firstChild() {
    return this.childNodes[0] || null;
  }

  appendChild(child) {
    if (child.parentNode) child.parentNode.removeChild(child);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }

  removeChild(child) {
    const index = this.childNodes.indexOf(child);
    if (index < 0) throw new Error("not a child");
    this.childNodes.splice(index, 1);
    child.parentNode = null;
    return child;
  }

  remove() {
    if (this.parentNode) this.parentNode.removeChild(this);
  }

  get textContent() {
    return this.childNodes.map((c) => c.textContent).join("");
  }
}

class Text extends Node {
  constructor(document, data) {
    super(document);
    this.data = String(data);
  }

  get textContent() {
    return this.data;
  }
}

export class Element extends Node {
  constructor(document, tag) {
    super(document);
    this.tagName = tag.toUpperCase();
    this.localName = tag.toLowerCase();
    this.attributes = new Map();
    this.listeners = {};
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  hasAttribute(name) {
    return this.attributes.has(name);
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  get id() {
    return this.getAttribute("id") || "";
  }

  get lang() {
    return this.getAttribute("lang") || "";
  }

  get hidden() {
    return this.hasAttribute("hidden");
  }

  set hidden(value) {
    if (value) this.setAttribute("hidden", "");
    else this.removeAttribute("hidden");
  }

  get value() {
    return this.getAttribute("value") || "";
  }

  get text() {
    return this.textContent;
  }

  get options() {
    return this.descendants().filter((e) => e.localName === "option");
  }

  addEventListener(type, listener) {
    (this.listeners[type] = this.listeners[type] || []).push(listener);
  }

  dispatch(type, event = {}) {
    const full = { type, target: this, defaultPrevented: false, ...event };
    full.preventDefault = () => {
      full.defaultPrevented = true;
    };
    (this.listeners[type] || []).forEach((listener) => listener(full));
    return full;
  }

  click() {
    return this.dispatch("click");
  }

  focus() {
    this.ownerDocument.activeElement = this;
  }

  descendants() {
    const found = [];
    const walk = (node) => {
      node.childNodes.forEach((child) => {
        if (child instanceof Element) {
          found.push(child);
          walk(child);
        }
      });
    };
    walk(this);
    return found;
  }

  /* Selectors of the forms tag, #id, .class and [attribute], combined (".error[data-offline]") and listed. */
  matches(selector) {
    return selector.split(",").some((one) => {
      const parts = one.trim().match(/[#.]?[\w-]+|\[[\w-]+\]/g) || [];
      return parts.every((part) => {
        if (part[0] === "#") return this.id === part.slice(1);
        if (part[0] === ".") return (this.getAttribute("class") || "").split(/\s+/).includes(part.slice(1));
        if (part[0] === "[") return this.hasAttribute(part.slice(1, -1));
        return this.localName === part.toLowerCase();
      });
    });
  }

  querySelectorAll(selector) {
    return this.descendants().filter((e) => e.matches(selector));
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] || null;
  }
}

export class Document {
  constructor(tree) {
    this.activeElement = null;
    this.readyState = "complete";
    this.documentElement = this.build(tree);
    this.documentElement.parentNode = null;
  }

  createElement(tag) {
    return new Element(this, tag);
  }

  createTextNode(data) {
    return new Text(this, data);
  }

  build(tree) {
    if (typeof tree === "string") return this.createTextNode(tree);
    const [tag, attributes, ...children] = tree;
    const element = this.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => element.setAttribute(name, value ?? ""));
    children.forEach((child) => element.appendChild(this.build(child)));
    return element;
  }

  getElementById(id) {
    if (this.documentElement.id === id) return this.documentElement;
    return this.documentElement.descendants().find((e) => e.id === id) || null;
  }

  querySelectorAll(selector) {
    return [this.documentElement, ...this.documentElement.descendants()].filter((e) => e.matches(selector));
  }
}

/* The HTML of a node: what a browser would serialise, text escaped, attributes in the order set. */
export function serialize(node) {
  if (node instanceof Text) return escape(node.data, false);
  const attributes = [...node.attributes].map(([name, value]) => ` ${name}="${escape(value, true)}"`).join("");
  if (VOID.has(node.localName)) return `<${node.localName}${attributes}>`;
  return `<${node.localName}${attributes}>${node.childNodes.map(serialize).join("")}</${node.localName}>`;
}

/* Call ``visit`` on ``node`` and every node under it. */
export function everyNode(node, visit) {
  visit(node);
  node.childNodes.forEach((child) => everyNode(child, visit));
}
