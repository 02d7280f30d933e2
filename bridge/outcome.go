package bridge

// Outcome says what a relay did; adapters log and count it.
type Outcome string

const (
	OutcomeStored    Outcome = "stored"    // posted into an existing channel
	OutcomeFirst     Outcome = "first"     // first contact: user and channel created, then posted
	OutcomeDuplicate Outcome = "duplicate" // a redelivery of work already done
	OutcomeIgnored   Outcome = "ignored"   // nothing to do
	OutcomeSent      Outcome = "sent"      // handed to Twilio and marked in the chat
	OutcomeFailed    Outcome = "failed"    // permanently refused; the chat says why
	OutcomeUpdated   Outcome = "updated"   // a status was written
	OutcomeQueued    Outcome = "queued"    // a status kept for when the chat takes it (Statuses.Queue)
	// OutcomeSentUnmarked: handed to Twilio, but writing the result onto the
	// chat message failed; the first status callback writes it.
	OutcomeSentUnmarked Outcome = "sent_unmarked"
)
