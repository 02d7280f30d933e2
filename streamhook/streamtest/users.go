package streamtest

import (
	"encoding/json"
	"net/http"
	"slices"
)

// upsertUsers serves POST /users ({"users": {"<id>": {...}}}). Each user is
// created or replaced: name and custom fields take the new values, a missing
// role keeps the old one ("user" for a new user), created_at is kept.
func (s *Server) upsertUsers(c *call) (int, map[string]any, error) {
	users := obj(c.obj, "users")
	if len(users) == 0 {
		return 0, nil, inputError(c.operationID, "users is a required field")
	}
	out := map[string]any{}
	for key, v := range users {
		fields, _ := v.(map[string]any)
		// Stream replaces the user: teams not sent are teams no more.
		u := User{ID: stringOr(fields, "id", key), Role: str(fields, "role"), Name: str(fields, "name"),
			Teams: stringList(fields, "teams")}
		u.Custom = splitCustom(fields, s.spec.schemas("UserRequest", "FullUserResponse")...)
		if old, ok := s.st.users[u.ID]; ok && u.Role == "" {
			u.Role = old.Role
		}
		s.st.putUser(u)
		out[u.ID] = s.st.fullUserJSON(u.ID)
	}
	return http.StatusCreated, map[string]any{"users": out, "membership_deletion_task_id": ""}, nil
}

// PutUser seeds or replaces a user; an empty Role means "user".
func (s *Server) PutUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.putUser(u)
}

// User returns a copy of the user with that id.
func (s *Server) User(id string) (User, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.st.users[id]
	if !ok {
		return User{}, false
	}
	return copyUser(u.User), true
}

// missingUsers returns the ids, in order and without repeats, that are not
// known users.
func (st *state) missingUsers(ids ...string) []string {
	var missing []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := st.users[id]; !ok && !seen[id] {
			missing = append(missing, id)
		}
		seen[id] = true
	}
	return missing
}

// queryUsers serves GET /users for the filters smsbridge sends: by id
// ({"id": "x"} or {"id": {"$in": [...]}}). Other filters match nobody and
// are reported: the fake would otherwise answer wrongly.
func (s *Server) queryUsers(c *call) (int, map[string]any, error) {
	var p struct {
		Filter map[string]any `json:"filter_conditions"`
	}
	if err := json.Unmarshal([]byte(c.query.Get("payload")), &p); err != nil {
		return 0, nil, inputError(c.operationID, "payload is not JSON: %v", err)
	}
	var ids []string
	switch f := p.Filter["id"].(type) {
	case string:
		ids = []string{f}
	case map[string]any:
		ids = stringList(f, "$in")
	}
	if len(p.Filter) != 1 || ids == nil {
		s.violationLocked("QueryUsers: the fake filters by id only, got %v", p.Filter)
	}
	users := []any{}
	for _, id := range slices.Sorted(slices.Values(ids)) {
		if _, ok := s.st.users[id]; ok {
			users = append(users, s.st.fullUserJSON(id))
		}
	}
	return http.StatusOK, map[string]any{"users": users}, nil
}
