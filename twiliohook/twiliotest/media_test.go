package twiliotest_test

import (
	"net/http"
	"testing"

	openapi "github.com/twilio/twilio-go/rest/api/v2010"

	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

func TestListMediaReturnsTheMediaOfAnInboundMMSInOrder(t *testing.T) {
	fake := newFake(t)
	api := newAPI(t, fake, testToken)
	sid := fake.AddInbound(twiliotest.Message{From: patient, To: clinic, Media: []twiliotest.Media{
		{ContentType: "image/jpeg"}, {ContentType: "application/pdf"}, {ContentType: "video/mp4"},
	}})
	got, err := api.ListMedia(sid, (&openapi.ListMediaParams{}).SetPageSize(2))
	if err != nil {
		t.Fatalf("ListMedia: %v", err)
	}
	want := []string{"image/jpeg", "application/pdf", "video/mp4"}
	if len(got) != len(want) {
		t.Fatalf("ListMedia returned %d media, want %d (two pages)", len(got), len(want))
	}
	form := fake.InboundWebhookFor(sid)
	for i, m := range got {
		idx := string(rune('0' + i))
		if *m.ContentType != want[i] || *m.ParentSid != sid || *m.AccountSid != testAccount {
			t.Errorf("media %d = %+v", i, m)
		}
		if url := twiliotest.MediaURL(testAccount, sid, *m.Sid); form.Get("MediaUrl"+idx) != url ||
			form.Get("MediaContentType"+idx) != want[i] || *m.Uri != url[len("https://api.twilio.com"):]+".json" {
			t.Errorf("media %d: webhook has %s (%s), list has %s", i, form.Get("MediaUrl"+idx), form.Get("MediaContentType"+idx), *m.Uri)
		}
	}
	if form.Get("NumMedia") != "3" || form.Get("MessageSid") != sid || form.Get("From") != patient {
		t.Errorf("webhook form = %v", form)
	}
	msgs, err := api.ListMessage(nil)
	if err != nil || len(msgs) != 1 || *msgs[0].NumMedia != "3" || sid[:2] != "MM" {
		t.Errorf("listed %+v, %v; want one MMS with num_media 3", msgs, err)
	}
}

func TestListMediaOfAMessageCreatedWithMediaUrlsIsStable(t *testing.T) {
	fake := newFake(t)
	api := newAPI(t, fake, testToken)
	m, err := api.CreateMessage(hello().SetMediaUrl([]string{"https://cdn.example.com/map.png"}))
	if err != nil {
		t.Fatal(err)
	}
	first, err := api.ListMedia(*m.Sid, nil)
	if err != nil || len(first) != 1 || *first[0].ContentType != "image/png" {
		t.Fatalf("first listing = %+v, %v", first, err)
	}
	second, err := api.ListMedia(*m.Sid, nil)
	if err != nil || len(second) != 1 || *second[0].Sid != *first[0].Sid {
		t.Errorf("second listing = %+v, %v; want the same media sid", second, err)
	}
}

func TestListMediaOfAnUnknownMessageIs404(t *testing.T) {
	fake := newFake(t)
	_, err := newAPI(t, fake, testToken).ListMedia(twiliotest.NewMessageSid(), nil)
	if re := restError(t, err); re.Status != http.StatusNotFound || re.Code != 20404 {
		t.Errorf("error = %+v, want 404 20404", re)
	}
}

func TestInboundWebhookForAnUnknownSidIsReported(t *testing.T) {
	fake, rec := newRecordingFake(t)
	if fake.InboundWebhookFor(twiliotest.NewMessageSid()) != nil || len(rec.reports()) != 1 {
		t.Errorf("reports = %q, want one and a nil form", rec.reports())
	}
}
