package streamtest

import (
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

func TestTheAppsWebhookAndAuthChecksAreReadAndChangedThroughTheAPI(t *testing.T) {
	srv, c := newFake(t)
	seedSMS(t, c)
	srv.SetApp(AppSettings{WebhookURL: "https://old.example/hook", DisableAuthChecks: true})

	got, err := c.GetAppSettings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if a := got.App; a.WebhookURL == nil || *a.WebhookURL != "https://old.example/hook" || a.DisableAuth == nil || !*a.DisableAuth || a.ConfigNameMap[smsType] == nil {
		t.Errorf("app = %+v", a)
	}
	if _, err := c.UpdateAppSettings(t.Context(), stream.NewAppSettings().SetWebhookURL("https://bridge.example/stream-outgoing-sms")); err != nil {
		t.Fatal(err)
	}
	if a := srv.App(); a.WebhookURL != "https://bridge.example/stream-outgoing-sms" || !a.DisableAuthChecks {
		t.Errorf("after the update: %+v (auth checks must stay as they were)", a)
	}
}

func TestUsersAreFoundByID(t *testing.T) {
	_, c := newFake(t)
	seedSMS(t, c)
	resp, err := c.QueryUsers(t.Context(), &stream.QueryOption{
		Filter: map[string]any{"id": map[string]any{"$in": []string{admin, "nobody"}}}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Users) != 1 || resp.Users[0].ID != admin || resp.Users[0].Role != "admin" {
		t.Errorf("users = %+v, want the admin only", resp.Users)
	}
}

func TestAPatchSetsEveryFieldItCarriesSoTheSDKsWholeSettingsObjectUndoesARevocation(t *testing.T) {
	srv, c := newFake(t)
	revoked := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	srv.SetApp(AppSettings{Name: "Riverside Clinic", Organization: "Riverside", RevokeTokensIssuedBefore: revoked})

	if _, err := c.UpdateAppSettings(t.Context(), stream.NewAppSettings().SetWebhookURL("https://bridge.example/stream-outgoing-sms")); err != nil {
		t.Fatal(err)
	}
	ups := srv.AppUpdates()
	if len(ups) != 1 || ups[0]["webhook_url"] != "https://bridge.example/stream-outgoing-sms" {
		t.Fatalf("PATCH /app bodies = %v", ups)
	}
	if v, ok := ups[0]["revoke_tokens_issued_before"]; !ok || v != nil {
		t.Errorf("stream-chat-go v6.11.0 sent revoke_tokens_issued_before = %v (present %v); the fake's model of it is out of date", v, ok)
	}
	if a := srv.App(); a.Name != "" || !a.RevokeTokensIssuedBefore.IsZero() {
		t.Errorf("after the SDK's update: %+v; want the name blanked and the revocation lifted, as Stream would", a)
	}
}
