// smsbridge sandbox console: the reminder form, as a dashboard would build
// it on the API: log in, pick a template and fill its placeholders, see the
// cost (POST /sms-preview) while typing, send, and offer to schedule a
// reminder refused for quiet hours. Uses console.js's helpers; console.js
// wires the form's events.
"use strict";

async function logIn(event) {
  event.preventDefault();
  const r = await call("POST", "/admin-login", { adminId: $("login-id").value, password: $("login-password").value });
  if (!r.ok) return say("reminder-result", "Login refused: " + (r.data.error || r.status), true);
  view.token = r.data.token;
  $("login-password").value = "";
  $("login-form").hidden = true;
  $("reminder-form").hidden = false;
  $("reminder-phone").value = view.phone;
  say("reminder-result", "Logged in as " + r.data.adminName + " until " + new Date(r.data.expiresAt).toLocaleString() + ".");
  loadTemplates();
}

// loadTemplates fills the template picker from GET /reminder-templates.
async function loadTemplates() {
  const r = await call("GET", "/reminder-templates", undefined, { Authorization: "Bearer " + view.token });
  if (!r.ok) return;
  view.templates = r.data.templates;
  for (const t of view.templates) {
    const option = el("option", "", t.name);
    option.value = t.name;
    $("reminder-template").append(option);
  }
}

// pickTemplate shows one input per placeholder of the chosen template; the
// free text box is for reminders without one.
function pickTemplate() {
  const t = view.templates.find((x) => x.name === $("reminder-template").value);
  const box = $("reminder-params");
  box.replaceChildren();
  $("reminder-text").disabled = !!t;
  $("reminder-text").value = "";
  $("reminder-text").placeholder = t ? t.text : "Reminder: your appointment is tomorrow at 3pm.";
  for (const name of t ? t.placeholders : []) {
    const input = el("input");
    input.id = "param-" + name;
    input.dataset.param = name;
    input.placeholder = name.replace(/_/g, " ");
    input.setAttribute("aria-label", name);
    input.autocomplete = "off";
    input.addEventListener("input", previewSoon);
    box.append(input);
  }
  previewSoon();
}

// reminderText is the text part of a reminder request: a template and its
// params, or the typed text.
function reminderText() {
  const template = $("reminder-template").value;
  if (!template) return { messageText: $("reminder-text").value };
  const params = {};
  document.querySelectorAll("#reminder-params input").forEach((i) => { params[i.dataset.param] = i.value; });
  return { template, params };
}

function previewSoon() {
  clearTimeout(view.previewTimer);
  view.previewTimer = setTimeout(preview, 200);
}

// preview shows what the text will cost, from POST /sms-preview.
async function preview() {
  const body = reminderText();
  if (body.messageText === "") return say("reminder-cost", "");
  const empty = Object.keys(body.params || {}).filter((name) => !body.params[name]);
  if (empty.length) return say("reminder-cost", "Fill in " + empty.map((n) => "{" + n + "}").join(", ") + " to see the cost.");
  const r = await call("POST", "/sms-preview", body, { Authorization: "Bearer " + view.token });
  if (!r.ok) return say("reminder-cost", r.data.error || "");
  const d = r.data;
  const limit = d.segments === 1 ? (d.encoding === "GSM-7" ? 160 : 70) : (d.encoding === "GSM-7" ? 153 : 67) * d.segments;
  say("reminder-cost", d.segments + (d.segments === 1 ? " segment" : " segments") + " · " + d.encoding + " · " +
    d.characters + " of " + limit + " characters");
}

async function sendReminder(event) {
  event.preventDefault();
  const body = Object.assign({ phoneNumber: $("reminder-phone").value }, reminderText());
  if ($("reminder-sendat").value.trim()) body.sendAt = $("reminder-sendat").value.trim();
  postReminder(body);
}

// postReminder sends body; a quiet-hours refusal offers to schedule it for
// when it is allowed (whenAllowed).
async function postReminder(body) {
  $("reminder-quiet").hidden = true;
  const r = await call("POST", "/send-reminder", body, { Authorization: "Bearer " + view.token });
  if (r.data.code === "quiet_hours" && r.data.nextAllowedAt) {
    view.refused = body;
    say("reminder-result", "");
    say("reminder-quiet-text", "Not sent: it is quiet hours for this patient until " +
      new Date(r.data.nextAllowedAt).toLocaleString() + " (QUIET_HOURS in their time zone). ");
    $("reminder-quiet").hidden = false;
    return;
  }
  if (!r.ok) return say("reminder-result", (r.data.error || "Refused") + " (" + r.status + " " + (r.data.code || "") + ")", true);
  const when = r.data.sendAt ? " for " + new Date(r.data.sendAt).toLocaleString() : "";
  say("reminder-result", (r.data.status === "scheduled" ? "Scheduled" + when + ": " : "Sent: ") + r.data.sid + ", " +
    r.data.status + " (" + r.data.segments + (r.data.segments === 1 ? " segment, " : " segments, ") + r.data.encoding + ").");
  view.channel = r.data.channelId;
  view.phone = "+" + r.data.channelId;
  $("reminder-text").value = "";
  document.querySelectorAll("#reminder-params input").forEach((i) => { i.value = ""; });
  say("reminder-cost", "");
  refresh();
}

function sendWhenAllowed() {
  if (view.refused) postReminder(Object.assign({}, view.refused, { whenAllowed: true }));
}

// sendAtExample is a valid sendAt for the placeholder: tomorrow, on the hour.
function sendAtExample() {
  const t = new Date(Date.now() + 24 * 3600 * 1000);
  t.setUTCMinutes(0, 0, 0);
  return t.toISOString().replace(".000Z", "Z");
}

async function sendScheduled() {
  const r = await call("POST", "/dev/api/send-scheduled", {});
  if (!r.ok) return say("reminder-result", r.data.error || "Refused.", true);
  say("reminder-result", r.data.sent + " scheduled message(s) sent now, as at their time.");
  refresh();
}
