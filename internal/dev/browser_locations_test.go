package dev

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/smsbridge/smsbridge/bridge"
)

// TestTheConsolesPhoneTextsBothLocations texts the north number, then the
// south one, from the same phone in the browser: the bridge keeps two
// conversations, north's with the phone's digits as id and south's with
// "-south", each with its location and clinic number, and the console
// shows each in its own channel.
func TestTheConsolesPhoneTextsBothLocations(t *testing.T) {
	ctx := browserFor(t)
	errs := watchPageErrors(t, ctx)
	r := startSandbox(t)
	const (
		toNorth = "Hello north, is my prescription ready?"
		toSouth = "Hello south, do you open on Saturday?"
	)
	r.keepPrivate("2015550142", toNorth, toSouth)
	err := chromedp.Do(ctx,
		chromedp.Navigate(r.sb.URL+"/"),
		chromedp.WaitVisible("#phone-send"),
		// Both numbers are offered with their location's name, north first and chosen.
		holds(`[...document.querySelectorAll("#phone-to option")].map((o) => o.textContent).join("|") === "+1 201-555-0100 \u00b7 North Street Clinic|+1 201-555-0101 \u00b7 South Avenue Clinic"`),
		holds(`document.querySelector("#phone-to").value === "+12015550100"`),
		pick("+12015550142"),
		chromedp.SendKeys("#phone-text", toNorth),
		chromedp.Click("#phone-send"),
		see("#chat .message .text", toNorth),
		see("#channel-title", "+1 201-555-0142 \u00b7 North Street Clinic \u00b7 sms:12015550142"),
		chromedp.Action[chromedp.Void](func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := chromedp.Evaluate[bool](`(() => { const s = document.querySelector("#phone-to"); s.value = "+12015550101"; s.dispatchEvent(new Event("change")); return true; })()`)(ctx, tg)
			return chromedp.Void{}, err
		}),
		see("#clinic-number", "+1 201-555-0101"),
		chromedp.SendKeys("#phone-text", toSouth),
		chromedp.Click("#phone-send"),
		see("#channel-title", "+1 201-555-0142 \u00b7 South Avenue Clinic \u00b7 sms:12015550142-south"),
		see("#chat .message .text", toSouth),
		// The south conversation holds only south's text.
		holds(`![...document.querySelectorAll("#chat .message .text")].some((e) => e.textContent === `+js(toNorth)+`)`),
	)
	if err != nil {
		t.Fatalf("texting both locations in the browser: %v", err)
	}
	for _, want := range []struct{ id, location, clinic, text string }{
		{"12015550142", "north", "+12015550100", toNorth},
		{"12015550142-south", "south", "+12015550101", toSouth},
	} {
		ch, ok := r.sb.stream.Channel(r.sb.cfg.SMSChannelType, want.id)
		if !ok {
			t.Errorf("no channel %s in the simulated Stream", want.id)
			continue
		}
		if got := ch.Custom[bridge.FieldLocation]; got != want.location {
			t.Errorf("channel %s: sms_location = %v, want %s", want.id, got, want.location)
		}
		if got := ch.Custom[bridge.FieldClinicNumber]; got != want.clinic {
			t.Errorf("channel %s: sms_clinic_number = %v, want %s", want.id, got, want.clinic)
		}
		msgs := r.sb.stream.Messages(ch.Type, ch.ID)
		if len(msgs) != 1 || msgs[0].Text != want.text {
			t.Errorf("channel %s holds %d messages, want only %q", want.id, len(msgs), want.text)
		}
	}
	// Twilio's log has each text addressed to the number chosen.
	for _, m := range r.sb.twilio.Conversation("+12015550142") {
		if (m.Body == toNorth && m.To != "+12015550100") || (m.Body == toSouth && m.To != "+12015550101") {
			t.Errorf("the text %q went to %s", m.Body, m.To)
		}
	}
	errs.check(t)
}
