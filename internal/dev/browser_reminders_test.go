package dev

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// quietNow sets QUIET_HOURS to a window from two hours before to two hours
// after New York's present wall-clock time (the sandbox's patients have
// +1 201 numbers), so a reminder sent now is refused.
func quietNow(t *testing.T) {
	t.Helper()
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(ny)
	t.Setenv("QUIET_HOURS", now.Add(-2*time.Hour).Format("15:04")+"-"+now.Add(2*time.Hour).Format("15:04"))
}

func TestTheReminderFormPicksATemplateShowsItsCostAndOffersToWaitOutQuietHours(t *testing.T) {
	ctx := browserFor(t)
	errs := watchPageErrors(t, ctx)
	quietNow(t)
	r := startSandbox(t)
	const filled = "Hi Ana, this is Elm Street Clinic: your appointment is on May 6 at 10:30. Reply here with any question."
	r.keepPrivate("2015550123", filled)
	cost := func(text string) chromedp.Action[chromedp.Void] {
		return holds(`document.querySelector("#reminder-cost").textContent.startsWith(` + js(text) + `)`)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(r.sb.URL+"/"),
		chromedp.WaitVisible("#phone-send"),
		pick("+12015550123"),
		chromedp.SendKeys("#login-password", r.sb.AdminPassword),
		chromedp.Click("#login-submit"),
		chromedp.WaitVisible("#reminder-template"),
		holds(`[...document.querySelectorAll("#reminder-template option")].some((o) => o.value === "appointment")`),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const s = document.querySelector("#reminder-template"); s.value = "appointment";
				s.dispatchEvent(new Event("change")); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		chromedp.WaitVisible("#param-time"),
		cost("Fill in {first_name}, {date}, {time}"),
		chromedp.SendKeys("#param-first_name", "Ana"),
		chromedp.SendKeys("#param-date", "May 6"),
		chromedp.SendKeys("#param-time", "10:30"),
		cost("1 segment · GSM-7 · 103 of 160 characters"),
		chromedp.SendKeys("#param-first_name", " 😀"),
		cost("2 segments · UCS-2 · 106 of 134 characters"),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const i = document.querySelector("#param-first_name"); i.value = "Ana";
				i.dispatchEvent(new Event("input")); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		cost("1 segment · GSM-7"),
		chromedp.Click("#reminder-submit"),
		chromedp.WaitVisible("#reminder-when-allowed"),
		holds(`document.querySelector("#reminder-quiet-text").textContent.includes("quiet hours for this patient until")`),
		chromedp.Click("#reminder-when-allowed"),
		holds(`document.querySelector("#reminder-result").textContent.startsWith("Scheduled for ")`),
		holds(`document.querySelector("#reminder-quiet").hidden`),
		holds(`[...document.querySelectorAll("#chat .message")].some((m) => m.textContent.includes(`+js(filled)+
			`) && m.querySelector(".status") && m.querySelector(".status").textContent === "scheduled")`),
	)
	if err != nil {
		t.Fatalf("template, cost and quiet hours in the browser: %v", err)
	}
	if bubbles, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#phone-screen").textContent`)); err != nil ||
		strings.Contains(bubbles, "Elm Street Clinic") {
		t.Errorf("the phone shows the reminder before quiet hours end: %q %v", bubbles, err)
	}
	// The refusal is a 409 the browser logs as a failed load; nothing else may be.
	errs.drop(func(e string) bool { return strings.Contains(e, "409") && strings.Contains(e, "/send-reminder") })
	errs.check(t)
}
