package twiliotest_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twilio/twilio-go/client"
	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// countingAPI is newAPI that also counts the requests twilio-go makes.
func countingAPI(t *testing.T, fake *twiliotest.Server) (*openapi.ApiService, *atomic.Int32) {
	t.Helper()
	u, _ := url.Parse(fake.URL())
	n := &atomic.Int32{}
	c := &client.Client{
		Credentials: client.NewCredentials(testAccount, testToken),
		HTTPClient: &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			return toFake{u}.RoundTrip(r)
		})},
	}
	c.SetAccountSid(testAccount)
	return openapi.NewApiServiceWithClient(c), n
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestListMessagePagesThroughTwilioGo(t *testing.T) {
	fake := newFake(t)
	api, requests := countingAPI(t, fake)
	var created []string
	for i := range 5 {
		m, err := api.CreateMessage(hello().SetBody("reminder " + string(rune('a'+i))))
		if err != nil {
			t.Fatal(err)
		}
		created = append(created, *m.Sid)
	}
	inbound := fake.AddInbound(twiliotest.Message{From: patient, To: clinic, Body: "OK thanks"})
	requests.Store(0)

	got, err := api.ListMessage((&openapi.ListMessageParams{}).SetPageSize(2))
	if err != nil {
		t.Fatalf("ListMessage: %v", err)
	}
	want := []string{inbound, created[4], created[3], created[2], created[1], created[0]} // newest first
	if len(got) != len(want) {
		t.Fatalf("ListMessage returned %d messages, want %d", len(got), len(want))
	}
	for i := range want {
		if *got[i].Sid != want[i] {
			t.Errorf("message %d = %s, want %s", i, *got[i].Sid, want[i])
		}
	}
	if *got[0].Direction != "inbound" || *got[0].Status != "received" || *got[0].DateSent == "" {
		t.Errorf("inbound message = %+v", got[0])
	}
	if n := requests.Load(); n != 3 {
		t.Errorf("twilio-go made %d list requests, want 3 pages of 2", n)
	}
	if len(fake.Messages()) != 5 {
		t.Errorf("Messages() = %d, want only the 5 created through the API", len(fake.Messages()))
	}
}

func TestListMessagePageShape(t *testing.T) {
	fake := newFake(t)
	api := newAPI(t, fake, testToken)
	for range 3 {
		if _, err := api.CreateMessage(hello()); err != nil {
			t.Fatal(err)
		}
	}
	first, err := api.PageMessage((&openapi.ListMessageParams{}).SetTo(patient).SetPageSize(2), "", "")
	if err != nil {
		t.Fatal(err)
	}
	base := "/2010-04-01/Accounts/" + testAccount + "/Messages.json?To=%2B12015550123&PageSize=2&Page="
	if first.FirstPageUri != base+"0" || first.Uri != base+"0" || first.PreviousPageUri != nil ||
		first.NextPageUri == nil || !strings.HasPrefix(*first.NextPageUri, base+"1&PageToken=PA") ||
		first.Page != 0 || first.PageSize != 2 || first.Start != 0 || first.End != 1 {
		t.Errorf("first page = %+v (next %v)", first, deref(first.NextPageUri))
	}
	second, err := api.PageMessage((&openapi.ListMessageParams{}).SetTo(patient).SetPageSize(2), strings.TrimPrefix(*first.NextPageUri, base+"1&PageToken="), "1")
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Messages) != 1 || second.NextPageUri != nil || second.PreviousPageUri == nil || second.Start != 2 {
		t.Errorf("second page = %+v", second)
	}
}

func TestListMessageFilters(t *testing.T) {
	fake := newFake(t)
	api := newAPI(t, fake, testToken)
	toPatient, err := api.CreateMessage(hello())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateMessage(hello().SetTo("+12015550124")); err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().Add(-24 * time.Hour).UTC()
	old := fake.AddInbound(twiliotest.Message{From: patient, To: clinic, Body: "old", DateCreated: yesterday.Add(-time.Hour)})
	fake.SetStatus(*toPatient.Sid, "delivered", 0)

	tests := []struct {
		name   string
		params *openapi.ListMessageParams
		want   []string
	}{
		{"To keeps the messages to that number", (&openapi.ListMessageParams{}).SetTo(patient), []string{*toPatient.Sid}},
		{"From keeps the messages from that number", (&openapi.ListMessageParams{}).SetFrom(patient), []string{old}},
		{"DateSent> keeps messages sent since then", (&openapi.ListMessageParams{}).SetDateSentAfter(yesterday), []string{*toPatient.Sid}},
		{"DateSent< keeps messages sent until then", (&openapi.ListMessageParams{}).SetDateSentBefore(yesterday), []string{old}},
		{"DateSent keeps messages sent that day", (&openapi.ListMessageParams{}).SetDateSent(yesterday.Add(-time.Hour)), []string{old}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := api.ListMessage(tt.params)
			if err != nil {
				t.Fatal(err)
			}
			var sids []string
			for _, m := range got {
				sids = append(sids, *m.Sid)
			}
			if strings.Join(sids, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", sids, tt.want)
			}
		})
	}
}

func TestListMessageAcceptsTwilioDocumentedDateForms(t *testing.T) {
	fake := newFake(t)
	fake.AddInbound(twiliotest.Message{From: patient, To: clinic, Body: "hi", DateCreated: time.Date(2019, 6, 11, 12, 0, 0, 0, time.UTC)})
	for _, q := range []string{"DateSent%3E=2019-06-11", "DateSent%3C=Wed%2C+19+Jun+2019+22%3A04%3A00+-0000", "DateSent=2019-06-11"} {
		resp := rawRequest(t, fake, http.MethodGet, "/2010-04-01/Accounts/"+testAccount+"/Messages.json?"+q, "", "")
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", q, resp.StatusCode)
		}
	}
}

func TestFetchMessageAndSetStatus(t *testing.T) {
	fake := newFake(t)
	api := newAPI(t, fake, testToken)
	m, err := api.CreateMessage(hello())
	if err != nil {
		t.Fatal(err)
	}
	fake.SetStatus(*m.Sid, "undelivered", 30003)
	got, err := api.FetchMessage(*m.Sid, nil)
	if err != nil {
		t.Fatal(err)
	}
	if *got.Status != "undelivered" || *got.ErrorCode != 30003 || *got.ErrorMessage != "Unreachable destination handset" || got.DateSent == nil {
		t.Errorf("fetched %+v", got)
	}
	if fake.Messages()[0].Status != "undelivered" || fake.Messages()[0].ErrorCode != 30003 {
		t.Errorf("Messages()[0] = %+v", fake.Messages()[0])
	}

	_, err = api.FetchMessage(twiliotest.NewMessageSid(), nil)
	if re := restError(t, err); re.Status != 404 || re.Code != 20404 {
		t.Errorf("unknown sid: %+v, want 404 20404", re)
	}
}

func TestMisuseOfTheFakeIsReported(t *testing.T) {
	fake, rec := newRecordingFake(t)
	fake.SetStatus(twiliotest.NewMessageSid(), "delivered", 0)
	fake.SetStatus(twiliotest.NewMessageSid(), "lost", 0)
	if fake.StatusCallbackFor(twiliotest.NewMessageSid()) != nil {
		t.Error("StatusCallbackFor an unknown sid returned a form")
	}
	if got := rec.reports(); len(got) != 3 || len(fake.Violations()) != 3 {
		t.Errorf("reports = %q, want 3", got)
	}
}
