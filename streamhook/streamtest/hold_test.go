package streamtest

import (
	"context"
	"testing"
	"time"

	stream "github.com/GetStream/stream-chat-go/v6"
)

// holdTestMessage posts an admin's message and returns its id.
func holdTestMessage(t *testing.T, srv *Server, c *stream.Client) string {
	t.Helper()
	seedSMS(t, c)
	if _, err := c.Channel(smsType, patient).SendMessage(context.Background(), &stream.Message{Text: "Your appointment is at 3"}, admin); err != nil {
		t.Fatal(err)
	}
	return srv.Messages(smsType, patient)[0].ID
}

func mark(ctx context.Context, c *stream.Client, id, sid string) error {
	_, err := c.PartialUpdateMessage(ctx, id, &stream.MessagePartialUpdateRequest{PartialUpdate: stream.PartialUpdate{
		Set: map[string]any{"sms_sid": sid}}})
	return err
}

func TestAHeldCallIsDoneOnlyOnceReleasedAndTheNextIsNotHeld(t *testing.T) {
	srv, c := newFake(t)
	id := holdTestMessage(t, srv, c)
	h := srv.HoldMessage(OpUpdateMessagePartial, id)
	done := make(chan error, 1)
	go func() { done <- mark(context.Background(), c, id, "SM1") }()

	select {
	case <-h.Reached():
	case <-time.After(10 * time.Second):
		t.Fatal("the call never reached the hold")
	}
	if m, _ := srv.Message(id); m.Custom["sms_sid"] != nil {
		t.Fatalf("a held call was done: %v", m.Custom)
	}
	h.Release()
	if err := <-done; err != nil {
		t.Fatalf("released call: %v", err)
	}
	if m, _ := srv.Message(id); m.Custom["sms_sid"] != "SM1" {
		t.Errorf("after release: %v, want sms_sid SM1", m.Custom)
	}
	if err := mark(context.Background(), c, id, "SM2"); err != nil { // would block for ever if held
		t.Fatal(err)
	}
}

func TestAHeldCallWhoseCallerGoesAwayIsNeverDone(t *testing.T) {
	srv, c := newFake(t)
	id := holdTestMessage(t, srv, c)
	h := srv.HoldMessage(OpUpdateMessagePartial, id)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mark(ctx, c, id, "SM1") }()
	<-h.Reached()
	cancel() // as a killed process's connection closes

	select {
	case <-h.Abandoned():
	case <-time.After(10 * time.Second):
		t.Fatal("the fake did not notice the caller went away")
	}
	if err := <-done; err == nil {
		t.Error("the abandoned call succeeded")
	}
	h.Release()
	if m, _ := srv.Message(id); m.Custom["sms_sid"] != nil {
		t.Errorf("an abandoned call was done: %v", m.Custom)
	}
}
