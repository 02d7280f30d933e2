package streamhook_test

import (
	"maps"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"

	"github.com/smsbridge/smsbridge/streamhook"
	"github.com/smsbridge/smsbridge/streamhook/streamtest"
)

func TestSetWebhookURLSendsOnlyTheWebhookURLAndLeavesRevokedTokensRevoked(t *testing.T) {
	fake := streamtest.NewServer(streamtest.Options{APIKey: postKey, APISecret: postSecret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	revoked := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	before := streamtest.AppSettings{WebhookURL: "https://old.example/hook", Name: "Riverside Clinic",
		Organization: "Riverside", RevokeTokensIssuedBefore: revoked}
	fake.SetApp(before)
	c, err := stream.NewClient(postKey, postSecret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = fake.URL()
	console := streamhook.NewChat(c, "sms", nil).PostDirectly(postKey, postSecret).Console()

	const hook = "https://bridge.example/stream-outgoing-sms"
	if err := console.SetWebhookURL(t.Context(), hook); err != nil {
		t.Fatal(err)
	}
	if ups := fake.AppUpdates(); len(ups) != 1 || !maps.Equal(ups[0], map[string]any{"webhook_url": hook}) {
		t.Errorf("PATCH /app bodies = %v, want exactly one with the one field webhook_url", ups)
	}
	want := before
	want.WebhookURL = hook
	if got := fake.App(); got != want {
		t.Errorf("app after the change = %+v, want %+v (only the webhook moved)", got, want)
	}
}

func TestAConsoleWithoutDirectCallsRefusesToChangeSettings(t *testing.T) {
	fake := streamtest.NewServer(streamtest.Options{APIKey: postKey, APISecret: postSecret, Fail: t.Errorf})
	t.Cleanup(fake.Close)
	c, err := stream.NewClient(postKey, postSecret)
	if err != nil {
		t.Fatal(err)
	}
	c.BaseURL = fake.URL()
	if err := streamhook.NewChat(c, "sms", nil).Console().SetWebhookURL(t.Context(), "https://bridge.example/x"); err == nil {
		t.Error("no error; want a refusal rather than the SDK's whole-settings PATCH")
	}
	if n := len(fake.AppUpdates()); n != 0 {
		t.Errorf("%d PATCH /app sent", n)
	}
}
