package streamtest

import "net/http"

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
		u := User{ID: stringOr(fields, "id", key), Role: str(fields, "role"), Name: str(fields, "name")}
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
