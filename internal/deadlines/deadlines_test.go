package deadlines

import (
	"testing"
	"time"
)

func TestEveryRouteAnswersBeforeItsCallerGivesUp(t *testing.T) {
	for _, r := range Routes {
		if worst := r.Worst() + AnswerMargin; worst > r.Caller {
			t.Errorf("%s can take %v (budget %v + detached %v + answer %v), but its caller waits %v",
				r.Path, worst, r.Budget, r.Detached, AnswerMargin, r.Caller)
		}
	}
}

func TestEveryRouteAnswersBeforeTheServerCutsTheConnection(t *testing.T) {
	for _, r := range Routes {
		if worst := r.Worst() + AnswerMargin; worst > ServerWrite {
			t.Errorf("%s can take %v, past the server's WriteTimeout of %v", r.Path, worst, ServerWrite)
		}
	}
}

func TestEveryRoutesStepsFitInItsBudget(t *testing.T) {
	for _, r := range Routes {
		var sum time.Duration
		for _, s := range r.Steps {
			if s <= 0 {
				t.Errorf("%s has a step of %v: the ones before it leave nothing", r.Path, s)
			}
			sum += s
		}
		if sum > r.Budget {
			t.Errorf("%s's steps take %v, past its budget of %v", r.Path, sum, r.Budget)
		}
	}
}

func TestTheChatReplyLeavesTimeToMarkTheMessage(t *testing.T) {
	// A reply whose mark is cut short is sent but shows no status: keep at
	// least as long for the mark as a Stream write takes on a slow day.
	if ReplyMark < 500*time.Millisecond {
		t.Errorf("ReplyMark = %v: the read-back and the send leave too little of the reply's budget", ReplyMark)
	}
}

func TestAnOperationThatFellBackToMemoryEndsBeforeRedisIsUsedAgain(t *testing.T) {
	// A failed store call starts StoreDown; every operation that made it
	// must end within it, or its last calls would go to a Redis that missed
	// its first ones.
	longest := max(IdempotentWork, BatchRowWork)
	for _, r := range Routes {
		longest = max(longest, r.Worst()+AnswerMargin)
	}
	if longest >= StoreDown {
		t.Errorf("an operation can take %v, as long as the store's down period (%v)", longest, StoreDown)
	}
}
