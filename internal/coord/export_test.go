package coord

// SetMaxJournal sets the journal's bound for a test, and returns a func
// that puts it back.
func SetMaxJournal(n int) (restore func()) {
	old := maxJournal
	maxJournal = n
	return func() { maxJournal = old }
}
