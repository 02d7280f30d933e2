package twiliotest

import (
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
)

// Media is one media file of a message: an entry of Twilio's Media subresource.
type Media struct {
	Sid         string // "ME" + 32 hex digits; AddInbound assigns one when empty
	ContentType string // the MIME type Twilio detected, e.g. "image/jpeg"
}

// MediaURL is the URL Twilio gives a message's media in the incoming-message webhook
// (MediaUrl0, ...): the media resource's uri on https://api.twilio.com, without ".json".
func MediaURL(accountSid, messageSid, mediaSid string) string {
	return "https://api.twilio.com" + messagePath(accountSid, messageSid) + "/Media/" + mediaSid
}

// defaultMediaType is what the fake assumes when nothing says what a media file is.
const defaultMediaType = "application/octet-stream"

// inboundMedia completes the media of a message AddInbound records: each gets a sid, and
// MediaURLs become Twilio's URLs for them, as a phone's MMS would have them. MediaURLs given
// without Media stand for media of the type their extension suggests.
func (s *Server) inboundMedia(m *Message) {
	if len(m.Media) == 0 {
		for _, u := range m.MediaURLs {
			m.Media = append(m.Media, Media{ContentType: guessType(u)})
		}
	}
	m.MediaURLs = nil
	for i := range m.Media {
		if m.Media[i].Sid == "" {
			m.Media[i].Sid = NewMediaSid()
		}
		if m.Media[i].ContentType == "" {
			m.Media[i].ContentType = defaultMediaType
		}
		m.MediaURLs = append(m.MediaURLs, MediaURL(s.opts.AccountSID, m.Sid, m.Media[i].Sid))
	}
}

func guessType(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return defaultMediaType
	}
	if t := mime.TypeByExtension(path.Ext(u.Path)); t != "" {
		return t
	}
	return defaultMediaType
}

// mediaPage is the ListMedia response schema (ListMediaResponse).
type mediaPage struct {
	pageMeta
	MediaList []apiMedia `json:"media_list"`
}

// apiMedia is the api.v2010.account.message.media schema.
type apiMedia struct {
	AccountSid  string `json:"account_sid"`
	ContentType string `json:"content_type"`
	DateCreated string `json:"date_created"`
	DateUpdated string `json:"date_updated"`
	ParentSid   string `json:"parent_sid"`
	Sid         string `json:"sid"`
	URI         string `json:"uri"`
}

// listMedia serves ListMedia: the message's media in the order they were attached, paged
// by PageSize and Page. The DateCreated filters are not modelled; using them is reported.
func (s *Server) listMedia(w http.ResponseWriter, r *http.Request, params map[string]string) {
	account, sid := params["AccountSid"], params["MessageSid"]
	q := r.URL.Query()
	for _, f := range []string{"DateCreated", "DateCreated<", "DateCreated>"} {
		if q.Has(f) {
			s.violation("ListMedia: the fake does not model the %s filter", f)
		}
	}
	all, ok := s.mediaOf(account, sid)
	if !ok {
		writeError(w, Error{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	lq := parseListQuery(q)
	start := min(lq.page*lq.pageSize, len(all))
	end := min(start+lq.pageSize, len(all))
	p := "/2010-04-01/Accounts/" + account + "/Messages/" + sid + "/Media.json"
	page := mediaPage{pageMeta: pageMeta{Start: start, End: max(start, end-1), Page: lq.page, PageSize: lq.pageSize,
		URI: lq.uri(p, lq.page, ""), FirstPageURI: lq.uri(p, 0, "")}, MediaList: append([]apiMedia{}, all[start:end]...)}
	if end < len(all) {
		next := lq.uri(p, lq.page+1, "")
		page.NextPageURI = &next
	}
	if start > 0 {
		prev := lq.uri(p, lq.page-1, "")
		page.PreviousPageURI = &prev
	}
	s.respond(w, r, opMedia, params, http.StatusOK, page)
}

// mediaOf returns a message's media resources. A message created through the API gets its
// media resources on first listing, with types guessed from the URLs, and keeps them.
func (s *Server) mediaOf(account, sid string) ([]apiMedia, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.bySid[sid]
	if !ok || rec.accountSid != account {
		return nil, false
	}
	for i := len(rec.Media); i < len(rec.MediaURLs); i++ {
		rec.Media = append(rec.Media, Media{Sid: NewMediaSid(), ContentType: guessType(rec.MediaURLs[i])})
	}
	out := make([]apiMedia, 0, len(rec.Media))
	for _, m := range rec.Media {
		out = append(out, apiMedia{
			AccountSid: account, ContentType: m.ContentType, ParentSid: sid, Sid: m.Sid,
			DateCreated: rfc2822(rec.DateCreated), DateUpdated: rfc2822(rec.DateCreated),
			URI: messagePath(account, sid) + "/Media/" + m.Sid + ".json",
		})
	}
	return out, true
}

// InboundWebhookFor builds the incoming-message webhook Twilio sends for a message recorded
// with AddInbound: InboundSMS's parameters plus NumMedia, MediaUrlN and MediaContentTypeN of
// its media, and MessagingServiceSid when it has one. So a test's webhook and the message log
// describe the same message. It returns nil, and reports through Options.Fail, when sid is
// unknown.
func (s *Server) InboundWebhookFor(sid string) url.Values {
	m, ok := s.recorded(sid, "InboundWebhookFor")
	if !ok {
		return nil
	}
	f := InboundSMS(s.opts.AccountSID, m.Sid, m.From, m.To, m.Body)
	f.Set("NumMedia", strconv.Itoa(len(m.Media)))
	for i, media := range m.Media {
		f.Set("MediaUrl"+strconv.Itoa(i), MediaURL(s.opts.AccountSID, m.Sid, media.Sid))
		f.Set("MediaContentType"+strconv.Itoa(i), media.ContentType)
	}
	if m.MessagingServiceSid != "" {
		f.Set("MessagingServiceSid", m.MessagingServiceSid)
	}
	return f
}
