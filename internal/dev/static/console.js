// smsbridge sandbox console. It polls the sandbox's state (what the simulated
// phones and the simulated chat hold) and drives the patient phone, the
// admin's replies and the dashboard API. Plain JavaScript, no build step.
// Every text is shown with textContent, never as HTML.
"use strict";

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);
const view = { raw: "", state: null, phone: "", to: "", channel: "", token: "", templates: [], refused: null, previewTimer: 0 };

async function call(method, path, body, headers) {
  const init = { method, headers: Object.assign({ "Content-Type": "application/json" }, headers || {}) };
  if (body !== undefined) init.body = JSON.stringify(body);
  const res = await fetch(path, init);
  let data = {};
  try { data = await res.json(); } catch (e) { /* an empty answer */ }
  return { ok: res.ok, status: res.status, data };
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function say(id, text, isError) {
  $(id).textContent = text;
  $(id).classList.toggle("error", !!isError);
}

const digits = (number) => number.replace(/\D/g, "");
// channelOf is the bridge's channel id of a phone: its digits, or "wa_" and them on WhatsApp.
const channelOf = (number) => (number.startsWith("whatsapp:") ? "wa_" : "") + digits(number);
const clock = (at) => new Date(at).toLocaleTimeString();

async function refresh() {
  let raw;
  try {
    const res = await fetch("/dev/api/state", { cache: "no-store" });
    if (!res.ok) return;
    raw = await res.text();
  } catch (e) { return; /* the sandbox is restarting; try again at the next tick */ }
  if (raw === view.raw) return;
  view.raw = raw;
  view.state = JSON.parse(raw);
  render(); // not inside the catch: a fault in the page must show, not hide
}

function render() {
  const s = view.state;
  if (!view.to && s.clinics.length) view.to = s.clinics[0].number;
  renderClinics(s.clinics);
  $("clinic-number").textContent = (s.clinics.find((c) => c.number === view.to) || { label: s.clinic }).label;
  $("admin-name").textContent = s.admin;
  if (!view.phone && s.phones.length) view.phone = s.phones[0].number;
  if (!view.channel && s.channels.length) view.channel = s.channels[0].id;
  renderPicker(s.phones);
  renderScreen(s.phones.find((p) => p.number === view.phone));
  renderFailing(s.phones);
  renderChannels(s.channels);
  renderChat(s.channels.find((c) => c.id === view.channel));
}

function renderPicker(phones) {
  const select = $("phone-number");
  const numbers = phones.map((p) => p.number);
  if (!numbers.includes(view.phone)) numbers.push(view.phone);
  if (select.dataset.numbers !== numbers.join()) {
    select.replaceChildren(...numbers.map((n) => {
      const p = phones.find((x) => x.number === n);
      const name = p ? p.label : n;
      return el("option", "", p && p.note ? name + " (fails on purpose)" : name);
    }));
    numbers.forEach((n, i) => { select.options[i].value = n; });
    select.dataset.numbers = numbers.join();
  }
  select.value = view.phone;
}

// renderClinics fills the number chooser: each clinic number with its location's name.
function renderClinics(clinics) {
  const select = $("phone-to");
  const numbers = clinics.map((c) => c.number).join();
  if (select.dataset.numbers !== numbers) {
    select.replaceChildren(...clinics.map((c) => {
      const option = el("option", "", c.label + " \u00b7 " + c.name);
      option.value = c.number;
      return option;
    }));
    select.dataset.numbers = numbers;
  }
  select.value = view.to;
}

// conversationOf is the channel of the phone with the chosen clinic number:
// the first location's keeps the phone's own id, another's adds "-" and its id.
function conversationOf(number) {
  const s = view.state;
  const id = channelOf(number);
  if (!s || !s.clinics.length || number.startsWith("whatsapp:") || view.to === s.clinics[0].number) return id;
  const c = s.clinics.find((x) => x.number === view.to);
  return c ? id + "-" + c.location : id;
}

function renderScreen(phone) {
  $("phone-shown").textContent = phone ? phone.label : view.phone;
  const note = phone && phone.note;
  $("phone-note").hidden = !note;
  $("phone-note").textContent = note || "";
  const texts = (phone && phone.texts) || [];
  $("phone-screen").replaceChildren(...texts.map((t) => {
    const li = el("li", "bubble " + (t.mine ? "mine" : "theirs"), t.body);
    li.title = clock(t.at);
    return li;
  }));
  showNewest("phone-screen");
}

function renderFailing(phones) {
  $("failing").replaceChildren(...phones.filter((p) => p.note).map((p) => {
    const li = el("li");
    li.append(el("code", "", p.label), " " + p.note);
    return li;
  }));
}

function lastActivity(channel) {
  const m = channel.messages[channel.messages.length - 1];
  return m ? m.at : "";
}

function renderChannels(channels) {
  const sorted = channels.slice().sort((a, b) => lastActivity(b).localeCompare(lastActivity(a)));
  $("channels").replaceChildren(...sorted.map((c) => {
    const button = el("button", "", "");
    button.type = "button";
    button.dataset.channel = c.id;
    button.setAttribute("aria-current", String(c.id === view.channel));
    button.append(el("span", "", c.label || c.id));
    if (c.optedOut) button.append(el("span", "badge opted-out", "opted out"));
    button.addEventListener("click", () => { view.channel = c.id; render(); });
    const li = el("li");
    li.append(button);
    return li;
  }));
}

function renderChat(channel) {
  const optedOut = !!(channel && channel.optedOut);
  $("reply-send").disabled = !channel || optedOut;
  $("reply-text").disabled = optedOut;
  $("reply-optout").hidden = !optedOut;
  // The last reply's "Posted in the chat" would read as if replies still go out.
  $("reply-result").hidden = optedOut;
  if (!channel) {
    if (view.channel) $("channel-title").textContent = "No conversation with " + view.phone + " yet.";
    $("chat").replaceChildren();
    return;
  }
  $("channel-title").textContent = channel.label + " \u00b7 sms:" + channel.id + (channel.optedOut ? " (patient opted out)" : "");
  $("chat").replaceChildren(...channel.messages.map(renderMessage));
  showNewest("chat");
}

// The two panes keep their newest message in view: after each render, and
// when their size changes (a phone's width wraps every message anew, a
// rotation, a window resized), unless the person scrolled up to read.
const pinned = { "phone-screen": true, chat: true };

function showNewest(id) {
  pinned[id] = true;
  $(id).scrollTop = $(id).scrollHeight;
}

function keepNewestInView() {
  const observer = new ResizeObserver(() => {
    for (const id of Object.keys(pinned)) if (pinned[id]) $(id).scrollTop = $(id).scrollHeight;
  });
  for (const id of Object.keys(pinned)) {
    const pane = $(id);
    pane.addEventListener("scroll", () => { pinned[id] = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 8; });
    observer.observe(pane);
  }
}

function renderMessage(m) {
  const li = el("li", "message");
  li.dataset.id = m.id;
  const meta = el("div", "meta");
  meta.append(el("strong", "", m.author), el("span", "", clock(m.at)));
  if (m.direction) meta.append(el("span", "badge", m.direction === "inbound" ? "SMS in" : "SMS out"));
  if (m.origin) meta.append(el("span", "badge", m.origin));
  if (m.status) meta.append(el("span", "badge status status-" + m.status, m.status));
  if (m.reply) {
    const answer = el("span", "badge reply reply-" + m.reply, m.reply === "confirmed" ? "patient confirmed" : "patient asks to reschedule");
    answer.title = "answered " + new Date(m.replyAt).toLocaleString();
    meta.append(answer);
  }
  if (m.replyTo) meta.append(el("span", "badge answer", "answers the reminder"));
  li.append(meta, el("div", "text", m.text));
  if (m.error) li.append(el("div", "reason", m.error + (m.errorCode ? " (" + m.errorCode + ")" : "")));
  return li;
}

async function sendText(body) {
  if (!body.trim()) return;
  say("phone-result", "Sending…");
  const r = await call("POST", "/dev/api/text", { from: view.phone, to: view.to, body });
  if (!r.ok) return say("phone-result", r.data.error || "Not sent.", true);
  if (r.data.from) view.phone = r.data.from;
  view.channel = r.data.channelId || conversationOf(view.phone);
  const status = r.data.webhookStatus;
  say("phone-result", status === 200
    ? "Twilio delivered it to the bridge (200)."
    : "The bridge answered " + status + " after " + r.data.attempts + " attempt(s).", status !== 200);
  $("phone-text").value = "";
  refresh();
}

async function sendReply(event) {
  event.preventDefault();
  const text = $("reply-text").value;
  if (!text.trim() || !view.channel) return;
  const r = await call("POST", "/dev/api/reply", { channelId: view.channel, text });
  if (!r.ok) return say("reply-result", r.data.error || "Not sent.", true);
  say("reply-result", "Posted in the chat; Stream's webhook takes it to the bridge.");
  $("reply-text").value = "";
  refresh();
}

function wire() {
  $("reminder-sendat").placeholder = sendAtExample();
  $("send-scheduled").addEventListener("click", sendScheduled);
  $("phone-number").addEventListener("change", (e) => { view.phone = e.target.value; view.channel = conversationOf(view.phone); render(); });
  $("phone-to").addEventListener("change", (e) => { view.to = e.target.value; view.channel = conversationOf(view.phone); render(); });
  $("phone-use").addEventListener("click", () => {
    const typed = $("phone-custom").value.trim();
    if (typed) { view.phone = typed; $("phone-custom").value = ""; render(); }
  });
  $("phone-form").addEventListener("submit", (e) => { e.preventDefault(); sendText($("phone-text").value); });
  document.querySelectorAll(".keyword").forEach((b) => b.addEventListener("click", () => sendText(b.dataset.text)));
  $("reply-form").addEventListener("submit", sendReply);
  $("login-form").addEventListener("submit", logIn);
  $("reminder-form").addEventListener("submit", sendReminder);
  $("reminder-template").addEventListener("change", pickTemplate);
  $("reminder-text").addEventListener("input", previewSoon);
  $("reminder-when-allowed").addEventListener("click", sendWhenAllowed);
  refresh();
  keepNewestInView();
  setInterval(refresh, POLL_MS);
}

document.addEventListener("DOMContentLoaded", wire);
