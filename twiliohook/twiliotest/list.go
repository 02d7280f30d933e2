package twiliotest

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// pageMeta is the paging envelope every API v2010 list answer carries.
type pageMeta struct {
	End             int     `json:"end"`
	FirstPageURI    string  `json:"first_page_uri"`
	NextPageURI     *string `json:"next_page_uri"`
	Page            int     `json:"page"`
	PageSize        int     `json:"page_size"`
	PreviousPageURI *string `json:"previous_page_uri"`
	Start           int     `json:"start"`
	URI             string  `json:"uri"`
}

// listPage is the ListMessage response schema (ListMessageResponse).
type listPage struct {
	pageMeta
	Messages []apiMessage `json:"messages"`
}

// listQuery is a ListMessage request: filters and paging.
type listQuery struct {
	to, from                string
	dateSent, before, after string // raw DateSent, DateSent<, DateSent> values
	pageSize, page          int
	pageToken               string
}

const defaultPageSize = 50

func parseListQuery(q url.Values) listQuery {
	lq := listQuery{
		to: q.Get("To"), from: q.Get("From"),
		dateSent: q.Get("DateSent"), before: q.Get("DateSent<"), after: q.Get("DateSent>"),
		pageSize: defaultPageSize, pageToken: q.Get("PageToken"),
	}
	if n, err := strconv.Atoi(q.Get("PageSize")); err == nil && n > 0 {
		lq.pageSize = n
	}
	if n, err := strconv.Atoi(q.Get("Page")); err == nil && n >= 0 {
		lq.page = n
	}
	return lq
}

// list serves ListMessage: newest first, like Twilio. Page tokens ("PA"/"PB" + the sid the
// page continues from, Twilio's own shape) keep paging stable while messages are added.
func (s *Server) list(w http.ResponseWriter, r *http.Request, params map[string]string) {
	account := params["AccountSid"]
	lq := parseListQuery(r.URL.Query())
	sids, msgs := s.matching(account, lq)
	start, end := lq.window(sids)

	path := "/2010-04-01/Accounts/" + account + "/Messages.json"
	page := listPage{
		pageMeta: pageMeta{
			Start:        start,
			End:          max(start, end-1),
			Page:         lq.page,
			PageSize:     lq.pageSize,
			URI:          lq.uri(path, lq.page, lq.pageToken),
			FirstPageURI: lq.uri(path, 0, ""),
		},
		Messages: append([]apiMessage{}, msgs[start:end]...), // [] rather than null when empty
	}
	if end < len(sids) && end > start {
		next := lq.uri(path, lq.page+1, "PA"+sids[end-1])
		page.NextPageURI = &next
	}
	if start > 0 && start < len(sids) {
		prev := lq.uri(path, max(0, lq.page-1), "PB"+sids[start])
		page.PreviousPageURI = &prev
	}
	s.respond(w, r, opList, params, http.StatusOK, page)
}

// window picks the page's slice [start, end) of the matching sids. A token that names a
// sid no longer listed falls back to Page * PageSize.
func (lq listQuery) window(sids []string) (start, end int) {
	if sid, ok := strings.CutPrefix(lq.pageToken, "PB"); ok && slices.Contains(sids, sid) {
		end = slices.Index(sids, sid)
		return max(0, end-lq.pageSize), end
	}
	start = lq.page * lq.pageSize
	if sid, ok := strings.CutPrefix(lq.pageToken, "PA"); ok && slices.Contains(sids, sid) {
		start = slices.Index(sids, sid) + 1
	}
	start = min(start, len(sids))
	return start, min(start+lq.pageSize, len(sids))
}

// uri renders a page URI with the parameters in the order Twilio's examples use.
func (lq listQuery) uri(path string, page int, token string) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	add("To", lq.to)
	add("From", lq.from)
	add("DateSent", lq.dateSent)
	add("DateSent<", lq.before)
	add("DateSent>", lq.after)
	add("PageSize", strconv.Itoa(lq.pageSize))
	add("Page", strconv.Itoa(page))
	add("PageToken", token)
	return path + "?" + strings.Join(parts, "&")
}

// matching returns the account's messages that pass the filters, newest first.
func (s *Server) matching(account string, lq listQuery) (sids []string, msgs []apiMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var recs []*record
	for _, r := range s.records {
		if r.accountSid == account && lq.matches(r.Message) {
			recs = append(recs, r)
		}
	}
	slices.SortFunc(recs, func(a, b *record) int {
		return cmp.Or(b.DateCreated.Compare(a.DateCreated), cmp.Compare(b.seq, a.seq))
	})
	for _, r := range recs {
		sids = append(sids, r.Sid)
		msgs = append(msgs, r.api())
	}
	return sids, msgs
}

// matches applies the To, From and DateSent filters. A date alone (YYYY-MM-DD) means the
// whole UTC day, as Twilio documents; a full timestamp is compared to the instant.
// Messages not sent yet have no date_sent and never match a date filter.
func (lq listQuery) matches(m Message) bool {
	if (lq.to != "" && m.To != lq.to) || (lq.from != "" && m.From != lq.from) {
		return false
	}
	if lq.dateSent == "" && lq.before == "" && lq.after == "" {
		return true
	}
	if m.DateSent.IsZero() {
		return false
	}
	sent := m.DateSent.UTC()
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	if t, _, err := parseDateFilter(lq.dateSent); lq.dateSent != "" && (err != nil || !day(sent).Equal(day(t.UTC()))) {
		return false
	}
	if t, dateOnly, err := parseDateFilter(lq.after); lq.after != "" {
		if dateOnly {
			t = day(t)
		}
		if err != nil || sent.Before(t) {
			return false
		}
	}
	if t, dateOnly, err := parseDateFilter(lq.before); lq.before != "" {
		if dateOnly {
			t = day(t).Add(24*time.Hour - time.Nanosecond)
		}
		if err != nil || sent.After(t) {
			return false
		}
	}
	return true
}

// fetch serves FetchMessage.
func (s *Server) fetch(w http.ResponseWriter, r *http.Request, params map[string]string) {
	s.mu.Lock()
	rec, ok := s.bySid[params["Sid"]]
	ok = ok && rec.accountSid == params["AccountSid"]
	var msg apiMessage
	if ok {
		msg = rec.api()
	}
	s.mu.Unlock()
	if !ok {
		writeError(w, Error{Status: http.StatusNotFound, Code: codeNotFound,
			Message: "The requested resource " + r.URL.Path + " was not found"})
		return
	}
	s.respond(w, r, opFetch, params, http.StatusOK, msg)
}
