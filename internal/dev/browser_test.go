package dev

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The pictures of the console the docs show, on a desktop and on a phone.
// The test rewrites them only when UPDATE_SCREENSHOT=1, so CI leaves the
// tree clean.
const (
	screenshotPath      = "../../docs/console.png"
	phoneScreenshotPath = "../../docs/console-phone.png"
)

// browserFor returns a tab of headless Chromium (Debian's chromium), or
// skips the test where it is missing. Under CI it must be there: .ci/run
// installs it.
func browserFor(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	// On this closed network Chromium must not reach out for updates, sync
	// or QUIC, or it stalls on refused connections.
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(alloc)
	t.Cleanup(cancelTab)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx
}

// chromiumPath finds Debian's chromium, or skips the test where it is
// missing (and fails it under CI).
func chromiumPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if ci := os.Getenv("CI"); ci != "" && ci != "false" {
			t.Fatalf("CI is set but chromium is not installed (.ci/run installs Debian's chromium): %v", err)
		}
		t.Skip("chromium is not installed: apt-get install chromium to run the browser test (CI does)")
	}
	return path
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// see waits until the page shows text in one of the elements sel matches.
func see(sel, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll(`+js(sel)+`)].some((e) => e.textContent === `+js(text)+`)`,
		chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

// pageErrors collects what the page's script throws or logs as an error:
// the console must run without either.
type pageErrors struct {
	mu   sync.Mutex
	list []string
}

func watchPageErrors(t *testing.T, ctx context.Context) *pageErrors {
	t.Helper()
	pe := &pageErrors{}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg = ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type != runtime.ConsoleAPICalledTypeError {
				return
			}
			msg = "console.error"
			for _, a := range ev.Args {
				msg += " " + string(a.Value)
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry.Level != cdplog.EntryLevelError {
				return
			}
			msg = ev.Entry.Text + " " + ev.Entry.URL
		default:
			return
		}
		pe.mu.Lock()
		pe.list = append(pe.list, msg)
		pe.mu.Unlock()
	})
	if err != nil {
		t.Fatal(err)
	}
	return pe
}

// drop forgets the errors a test expects, such as the browser's line for
// an answer the test asked to be refused.
func (pe *pageErrors) drop(expected func(string) bool) {
	pe.mu.Lock()
	defer pe.mu.Unlock()
	pe.list = slices.DeleteFunc(pe.list, expected)
}

func (pe *pageErrors) check(t *testing.T) {
	t.Helper()
	pe.mu.Lock()
	defer pe.mu.Unlock()
	for _, e := range pe.list {
		t.Errorf("the console's page reported an error: %s", e)
	}
}

// pick chooses number in the phone picker, as a person does.
func pick(number string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll("#phone-number option")].some((o) => o.value === `+js(number)+`)`,
			chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const s = document.querySelector("#phone-number"); s.value = `+js(number)+
				`; s.dispatchEvent(new Event("change")); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
	)
}

// holds waits until expression is true in the page.
func holds(expression string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](expression,
		chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
}

func TestTheConsoleShowsBothSidesOfAConversationInABrowser(t *testing.T) {
	ctx := browserFor(t)
	errs := watchPageErrors(t, ctx)
	r := startSandbox(t)
	const (
		question = "Hi! Can I move my appointment to Friday?"
		answer   = "Friday at 10am works. See you then!"
	)
	r.keepPrivate("2015550123", question, answer)
	err := chromedp.Do(ctx,
		chromedp.Navigate(r.sb.URL+"/"),
		chromedp.WaitVisible("#phone-send"),
		// First load, nothing typed: the picker, the phone's header and
		// the failing numbers are filled in.
		holds(`document.querySelectorAll("#phone-number option").length === 6`),
		holds(`document.querySelector("#phone-shown").textContent !== ""`),
		holds(`document.querySelectorAll("#failing li").length === 2`),
		pick("+12015550123"),
		see("#phone-shown", "+1 201-555-0123"),
		chromedp.SendKeys("#phone-text", question),
		chromedp.Click("#phone-send"),
		see("#phone-screen .bubble.mine", question),
		see("#chat .message .text", question),
		chromedp.SendKeys("#reply-text", answer),
		chromedp.Click("#reply-send"),
		see("#phone-screen .bubble.theirs", answer),
		see("#chat .message .status", "delivered"),
	)
	if err != nil {
		t.Fatalf("conversation in the browser: %v", err)
	}
	sendReminderInBrowser(t, ctx, r)
	answerTheReminderInBrowser(t, ctx)
	sendScheduledReminderInBrowser(t, ctx, r)
	saveScreenshot(t, ctx, screenshotPath)
	optOutShowsAtTheReplyBox(t, ctx)
	fitsAPhone(t, ctx)
	whatsAppInBrowser(t, ctx, r)
	errs.check(t)
}

// whatsAppInBrowser sends a WhatsApp text from the console's WhatsApp phone
// and answers it in the chat: the reply reaches the phone and ends "read".
func whatsAppInBrowser(t *testing.T, ctx context.Context, r *running) {
	const (
		question = "Hello from WhatsApp, is parking free?"
		answer   = "Yes, parking is free for patients."
	)
	r.keepPrivate("2015550155", question, answer)
	err := chromedp.Do(ctx,
		pick("whatsapp:+12015550155"),
		chromedp.SendKeys("#phone-text", question),
		chromedp.Click("#phone-send"),
		see("#phone-screen .bubble.mine", question),
		see("#chat .message .text", question),
		chromedp.SendKeys("#reply-text", answer),
		chromedp.Click("#reply-send"),
		see("#phone-screen .bubble.theirs", answer),
		see("#chat .message .status", "read"),
	)
	if err != nil {
		t.Fatalf("WhatsApp conversation in the browser: %v", err)
	}
}

// sendReminderInBrowser logs in through the console's form and sends a
// reminder, as the tutorial's dashboard does.
func sendReminderInBrowser(t *testing.T, ctx context.Context, r *running) {
	t.Helper()
	const reminder = "Reminder: cleaning on Friday at 10am. Reply here with any question."
	r.keepPrivate(reminder)
	err := chromedp.Do(ctx,
		chromedp.SendKeys("#login-password", r.sb.AdminPassword),
		chromedp.Click("#login-submit"),
		chromedp.WaitVisible("#reminder-text"),
		chromedp.SendKeys("#reminder-text", reminder),
		chromedp.Click("#reminder-submit"),
		see("#phone-screen .bubble.theirs", reminder),
		see("#chat .message .badge", "reminder"),
	)
	if err != nil {
		t.Fatalf("reminder in the browser: %v", err)
	}
}

// answerTheReminderInBrowser texts R, then C, from the reminded phone and
// expects the clinic's view to show each answer on the reminder
// (docs/replies.md).
func answerTheReminderInBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	const onReminder = `[...document.querySelectorAll("#chat .message")].some((m) => [...m.querySelectorAll(".badge")].some((b) => b.textContent === "reminder") && m.querySelector(".badge.reply") && m.querySelector(".badge.reply").textContent === `
	err := chromedp.Do(ctx,
		chromedp.Click(`.keyword[data-text="R"]`),
		holds(onReminder+`"patient asks to reschedule")`),
		chromedp.Click(`.keyword[data-text="C"]`),
		holds(onReminder+`"patient confirmed")`),
		holds(`[...document.querySelectorAll("#chat .message")].filter((m) => m.querySelector(".badge.answer")).length === 2`),
	)
	if err != nil {
		t.Fatalf("answering the reminder in the browser: %v", err)
	}
}

// sendScheduledReminderInBrowser schedules a reminder with the form's
// "Send at" (the placeholder's example time), sees it wait, then skips
// ahead so the simulated Twilio sends it.
func sendScheduledReminderInBrowser(t *testing.T, ctx context.Context, r *running) {
	t.Helper()
	const reminder = "Reminder: your check-up is next Tuesday at 9am."
	r.keepPrivate(reminder)
	err := chromedp.Do(ctx,
		chromedp.SendKeys("#reminder-text", reminder),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const i = document.querySelector("#reminder-sendat"); i.value = i.placeholder; return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		chromedp.Click("#reminder-submit"),
		holds(`[...document.querySelectorAll("#chat .message")].some((m) => m.textContent.includes(`+js(reminder)+`) && m.querySelector(".status") && m.querySelector(".status").textContent === "scheduled")`),
		chromedp.Click("#send-scheduled"),
		see("#phone-screen .bubble.theirs", reminder),
		holds(`[...document.querySelectorAll("#chat .message")].some((m) => m.textContent.includes(`+js(reminder)+`) && m.querySelector(".status").textContent === "delivered")`),
	)
	if err != nil {
		t.Fatalf("scheduled reminder in the browser: %v", err)
	}
}

// optOutShowsAtTheReplyBox texts STOP from the phone and expects the reply
// box to say so and refuse input.
func optOutShowsAtTheReplyBox(t *testing.T, ctx context.Context) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(`.keyword[data-text="STOP"]`),
		chromedp.WaitVisible("#reply-optout"),
		holds(`document.querySelector("#reply-text").disabled && document.querySelector("#reply-send").disabled`),
		// The earlier reply's neutral "Posted in the chat" no longer shows under the warning.
		holds(`document.querySelector("#reply-result").offsetParent === null`),
	)
	if err != nil {
		t.Fatalf("opt-out at the reply box: %v", err)
	}
}

// fitsAPhone shows the console at 390x844 and expects no sideways scroll.
func fitsAPhone(t *testing.T, ctx context.Context) {
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
		t.Errorf("at 390x844 the page is %d px wide: it scrolls sideways", width)
	}
	// Both panes show their newest message at the phone's width: the last
	// bubble and the last chat message lie inside their pane's visible box.
	for _, pane := range []string{"#phone-screen", "#chat"} {
		geometry := `(() => { const pane = document.querySelector("` + pane + `"), last = pane.lastElementChild;
			if (!last) return "empty";
			const p = pane.getBoundingClientRect(), m = last.getBoundingClientRect();
			return m.bottom <= p.bottom + 1 && m.top >= p.top - 1 ? "in view" :
				"pane " + p.top + "-" + p.bottom + ", newest " + m.top + "-" + m.bottom + ", scrollTop " + pane.scrollTop; })()`
		err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](geometry+` === "in view"`, chromedp.WithPollingTimeout(3*time.Second)))
		if err != nil {
			got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](geometry))
			t.Errorf("at 390x844 the newest message of %s is not in view: %s", pane, got)
		}
	}
	saveScreenshot(t, ctx, phoneScreenshotPath)
}

func saveScreenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if os.Getenv("UPDATE_SCREENSHOT") != "1" {
		return
	}
	// Let the last status settle so the picture shows the loop's end.
	err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](
		`[...document.querySelectorAll("#chat .status")].every((e) => e.textContent === "delivered")`,
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("statuses did not settle: %v", err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", path)
}
