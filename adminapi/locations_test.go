package adminapi_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

// sites are north (front_desk) and south (south_desk and front_desk).
var sites = bridge.Locations{
	{ID: "north", Name: "North Street Clinic", Numbers: []string{"+12015550100"}, Admins: []string{"front_desk"}},
	{ID: "south", Name: "South Avenue Clinic", Numbers: []string{"+12015550101"}, Admins: []string{"south_desk", "front_desk"}},
}

func newSitesEnv(t *testing.T) *env {
	t.Helper()
	return newEnvAt(t, map[string]string{"front_desk": adminHash, "south_desk": adminHash}, sites)
}

func TestTheLoginAnswerNamesTheAdminsLocations(t *testing.T) {
	v := newSitesEnv(t)
	rec := v.login("south_desk", password)
	var body struct {
		Locations []struct {
			ID, Name string
			Numbers  []string
		}
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("login = %d %s", rec.Code, rec.Body)
	}
	if len(body.Locations) != 1 || body.Locations[0].ID != "south" || body.Locations[0].Name != "South Avenue Clinic" ||
		len(body.Locations[0].Numbers) != 1 || body.Locations[0].Numbers[0] != "+12015550101" {
		t.Errorf("locations = %+v, want south only", body.Locations)
	}
}

func TestAReminderOrPreviewForAnotherSitesLocationIs403AndAnUnknownOne400(t *testing.T) {
	for _, path := range []string{"/send-reminder", "/sms-preview"} {
		for _, tt := range []struct {
			location string
			status   int
			code     string
		}{
			{"north", http.StatusForbidden, "location_forbidden"},
			{"east", http.StatusBadRequest, "unknown_location"},
		} {
			v := newSitesEnv(t)
			body := `{"phoneNumber":"+12015550142","messageText":"See you tomorrow","location":"` + tt.location + `"}`
			rec := v.do(http.MethodPost, path, body, "Authorization", "Bearer "+sitesToken(t, "south_desk"))
			var got struct{ Code string }
			_ = json.Unmarshal(rec.Body.Bytes(), &got)
			if rec.Code != tt.status || got.Code != tt.code {
				t.Errorf("%s for %s = %d %s, want %d %s", path, tt.location, rec.Code, rec.Body, tt.status, tt.code)
			}
			if len(v.reminders.got) != 0 {
				t.Errorf("%s for %s: a reminder was sent", path, tt.location)
			}
		}
	}
}

func TestAReminderWithoutALocationGoesForTheAdminsOnlyOrFirstOne(t *testing.T) {
	for admin, want := range map[string]string{"south_desk": "south", "front_desk": "north"} {
		v := newSitesEnv(t)
		rec := v.remind(sitesToken(t, admin), `{"phoneNumber":"+12015550142","messageText":"See you tomorrow"}`)
		if rec.Code != http.StatusOK || v.reminders.got[0].Location != want {
			t.Errorf("%s: %d %s, location %q, want %q", admin, rec.Code, rec.Body, v.reminders.got[0].Location, want)
		}
	}
}

// sitesToken is a token of an admin of newSitesEnv, from a login.
func sitesToken(t *testing.T, id string) string {
	t.Helper()
	rec := newSitesEnv(t).login(id, password)
	var body struct{ Token string }
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Token == "" {
		t.Fatalf("login of %s: %d %s", id, rec.Code, rec.Body)
	}
	return body.Token
}
