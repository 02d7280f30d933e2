// Package logsafe decides which caller-supplied values may go into logs as
// they are. It imports only the standard library.
package logsafe

// ID returns id when it is short and plain (letters, digits, '-' and '_', at
// most 64 bytes), so it cannot inject anything into a log line, and "" when
// it is not. Request ids and Stream's webhook ids pass through it.
func ID(id string) string {
	if len(id) > 64 {
		return ""
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return ""
		}
	}
	return id
}
