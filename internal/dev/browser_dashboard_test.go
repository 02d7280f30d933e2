package dev

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Where the docs show examples/dashboard, on a desktop and on a phone
// (rewritten only with UPDATE_SCREENSHOT=1).
const (
	dashboardShot      = "../../docs/dashboard.png"
	dashboardPhoneShot = "../../docs/dashboard-phone.png"
)

// TestTheDashboardRunsTheClinicsDayAgainstTheSandbox runs examples/dashboard
// (stream-chat 9, stream-chat-react 13) in Chromium against smsbridge dev,
// through the steps: login, a patient's text arriving live, a reply
// with its delivery status, a reminder from a template sent once despite a
// double click, a second text in the open channel, and an opted-out
// patient's refusal reason.
func TestTheDashboardRunsTheClinicsDayAgainstTheSandbox(t *testing.T) {
	app := openNpmApp(t, "dashboard")
	ctx, r, errs := app.Browser, app.Sandbox, app.Errors
	const (
		first    = "Hello, can I bring my daughter to the appointment?"
		reply    = "Of course, see you both on Friday."
		second   = "Great, thank you!"
		refusing = "Is my test result in?"
		toRefuse = "Yes, all clear. Call us if you want the details."
	)
	r.keepPrivate("2015550123", "2015550142", "2015550166", first, reply, second, refusing, toRefuse)
	inList := func(text string) chromedp.Action[chromedp.Void] {
		return holds(`[...document.querySelectorAll(".str-chat__channel-preview-messenger")].some((e) => e.textContent.includes(` + js(text) + `))`)
	}
	inChannel := func(text string) chromedp.Action[chromedp.Void] {
		return see(".str-chat__main-panel .str-chat__message-text-inner", text)
	}
	statusOf := func(text, status string) chromedp.Action[chromedp.Void] {
		return holds(`[...document.querySelectorAll(".sms-message")].some((m) => m.textContent.includes(` + js(text) +
			`) && m.querySelector(".sms-status") && m.querySelector(".sms-status").dataset.status === ` + js(status) + `)`)
	}
	openChannel := func(label string) chromedp.Action[chromedp.Void] {
		return chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const p = [...document.querySelectorAll(".str-chat__channel-preview-messenger")]
				.find((e) => e.textContent.includes(`+js(label)+`)); p.click(); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		})
	}
	typeInChat := func(text string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.WaitVisible(".str-chat__main-panel textarea"),
			chromedp.SendKeys(".str-chat__main-panel textarea", text),
			chromedp.SendKeys(".str-chat__main-panel textarea", "\r"),
		)
	}
	// A link cannot point the login at another server: only a loopback
	// ?api= is taken, else the build's SMSBRIDGE_URL.
	err := chromedp.Do(ctx,
		chromedp.Navigate(app.Origin+"/?api=https%3A%2F%2Fsmsbridge.example.org"),
		see(".login .server", "smsbridge: http://127.0.0.1:8080"),
	)
	if err != nil {
		t.Fatalf("a non-loopback ?api=: %v", err)
	}
	// 1. logs in with the banner's admin and password.
	err = chromedp.Do(ctx,
		chromedp.Navigate(app.URL()),
		see(".login .server", "smsbridge: "+r.sb.URL),
		chromedp.WaitVisible(`input[name="adminId"]`),
		chromedp.SendKeys(`input[name="adminId"]`, r.sb.AdminID),
		chromedp.SendKeys(`input[name="password"]`, r.sb.AdminPassword),
		chromedp.Click(`.login button[type="submit"]`),
		chromedp.WaitVisible(".str-chat__channel-list"),
		chromedp.WaitVisible(`.reminder-form select[name="template"]`),
	)
	if err != nil {
		t.Fatalf("1. login: %v", err)
	}
	// 2. and 3. a patient's first text makes a new channel: it appears in
	// the list without a reload, and opening it shows the text.
	r.text("+12015550123", first)
	if err := chromedp.Do(ctx, inList(first), openChannel(first), inChannel(first)); err != nil {
		t.Fatalf("2-3. the patient's text in the list and the channel: %v", err)
	}
	// 4. a reply typed in MessageInput reaches the phone and shows its status.
	if err := chromedp.Do(ctx, typeInChat(reply), inChannel(reply)); err != nil {
		t.Fatalf("4. typing the reply: %v", err)
	}
	r.waitUntil("the reply reaches the phone", func(v stateView) bool { return received(v, "+12015550123", reply) })
	if err := chromedp.Do(ctx, statusOf(reply, "delivered")); err != nil {
		t.Fatalf("4. the reply's delivery status: %v", err)
	}
	// 5. a reminder from a template, its cost shown, double-clicked: one SMS.
	sendReminderFromTheDashboard(t, ctx, r)
	// 6. a second text appears live in the open channel.
	r.text("+12015550123", second)
	// The open channel is read as it arrives: no unread badge on it.
	openPreview := `[...document.querySelectorAll(".str-chat__channel-preview-messenger")].find((e) => e.textContent.includes(` + js(second) + `))`
	if err := chromedp.Do(ctx, inChannel(second), inList(second),
		holds(`!`+openPreview+`.querySelector(".str-chat__channel-preview-unread-badge")`)); err != nil {
		t.Fatalf("6. the second text in the open channel: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 860), holds(`window.innerWidth === 1280`)); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, dashboardShot)
	// 7. a patient Twilio refuses (opted out, 21610): the reply shows why, and
	// the channel is marked opted out.
	r.text("+12015550166", refusing)
	err = chromedp.Do(ctx, inList(refusing), openChannel(refusing), inChannel(refusing), typeInChat(toRefuse),
		statusOf(toRefuse, "failed"),
		holds(`[...document.querySelectorAll(".sms-message")].some((m) => m.textContent.includes(`+js(toRefuse)+
			`) && m.querySelector(".sms-error").textContent.includes("opted out of text messages"))`),
		chromedp.WaitVisible(".opted-out-notice"),
		chromedp.WaitVisible(".opted-out-badge"),
	)
	if err != nil {
		t.Fatalf("7. the opted-out patient's refusal: %v", err)
	}
	dashboardFitsAPhone(t, ctx)
	// The double click's second request may find the first still being
	// sent: 409 idempotency_in_progress, which the browser logs as a failed
	// load and the page answers by asking again.
	errs.drop(func(e string) bool { return strings.Contains(e, "409") && strings.Contains(e, "/send-reminder") })
	errs.check(t)
}

// sendReminderFromTheDashboard picks the appointment template, fills it,
// waits for the cost, and clicks Send twice in one go: both requests carry
// one Idempotency-Key, and the phone gets the reminder once.
func sendReminderFromTheDashboard(t *testing.T, ctx context.Context, r *running) {
	t.Helper()
	const filled = "Hi Ana, this is Elm Street Clinic: your appointment is on May 6 at 10:30. Reply here with any question."
	r.keepPrivate(filled)
	keys := make(chan string, 8)
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok && e.Request.Method == "POST" && strings.HasSuffix(e.Request.URL, "/send-reminder") {
			k, _ := e.Request.Headers["Idempotency-Key"].(string)
			select {
			case keys <- k:
			default:
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(`.reminder-form input[name="phoneNumber"]`, "+1 201-555-0142"),
		holds(`[...document.querySelectorAll(".reminder-form select[name=template] option")].some((o) => o.value === "appointment")`),
		chromedp.SetValue(`.reminder-form select[name="template"]`, "appointment"),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const s = document.querySelector(".reminder-form select[name=template]");
				s.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		chromedp.WaitVisible(`input[name="param-time"]`),
		chromedp.SendKeys(`input[name="param-first_name"]`, "Ana"),
		chromedp.SendKeys(`input[name="param-date"]`, "May 6"),
		chromedp.SendKeys(`input[name="param-time"]`, "10:30"),
		see(".reminder-form .cost", "1 segment · GSM-7 · 103 of 160 characters"),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const b = document.querySelector(".reminder-form button[name=send]");
				b.click(); b.click(); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		holds(`(document.querySelector(".reminder-result.sent") || {textContent: ""}).textContent.startsWith("Sent to +12015550142 · 1 segment · GSM-7")`),
		// The second click's request is answered with the first's answer,
		// marked Idempotent-Replayed, which the page reads through CORS.
		holds(`(document.querySelector(".reminder-result.sent") || {dataset: {}}).dataset.replayed === "true"`),
		// The patient never wrote: the bridge made the channel, and the
		// list shows it with the reminder.
		holds(`[...document.querySelectorAll(".str-chat__channel-preview-messenger")].some((e) => e.textContent.includes("+1 201-555-0142") && e.textContent.includes("Hi Ana"))`),
	)
	if err != nil {
		t.Fatalf("5. the reminder: %v", err)
	}
	// Both requests are answered: a second SMS, had one been sent, is on
	// the phone by the time the first one is.
	v := r.waitUntil("the reminder reaches the phone", func(v stateView) bool { return received(v, "+12015550142", filled) })
	n := 0
	for _, tx := range screen(v, "+12015550142") {
		if !tx.Mine && tx.Body == filled {
			n++
		}
	}
	if n != 1 {
		t.Errorf("the phone got the reminder %d times, want once", n)
	}
	var got []string
	for len(got) < 2 {
		select {
		case k := <-keys:
			got = append(got, k)
		case <-time.After(5 * time.Second):
			t.Fatalf("the double click sent %d requests (%q), want 2 with one key", len(got), got)
		}
	}
	if got[0] == "" || got[0] != got[1] {
		t.Errorf("the two requests carried Idempotency-Keys %q, want one key", got)
	}
}

// dashboardFitsAPhone shows the dashboard at 390 px wide: no sideways
// scroll, and the conversation still shows its messages.
func dashboardFitsAPhone(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), holds(`window.innerWidth === 390`))
	if err != nil {
		t.Fatalf("phone viewport: %v", err)
	}
	width, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if err != nil {
		t.Fatal(err)
	}
	if width > 390 {
		t.Errorf("at 390 px the dashboard is %d px wide: it scrolls sideways", width)
	}
	saveScreenshot(t, ctx, dashboardPhoneShot)
}
