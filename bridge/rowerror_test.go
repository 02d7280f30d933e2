package bridge_test

import (
	"fmt"
	"testing"

	"github.com/smsbridge/smsbridge/bridge"
)

// unreachable is a vendor's failure that says why, as the adapters' are.
type unreachable struct{ cause string }

func (u unreachable) Error() string { return "no answer" }
func (u unreachable) Cause() string { return u.cause }
func (u unreachable) Unwrap() error { return bridge.ErrUnavailable }

func TestAFailedRowNamesItsCauseWhenTheErrorGivesOne(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"a cause, wrapped", fmt.Errorf("post: %w", unreachable{"Stream at stream.invalid: cannot resolve"}),
			"Stream or Twilio failed (Stream at stream.invalid: cannot resolve); run the file again later."},
		{"no cause", fmt.Errorf("post: %w", bridge.ErrUnavailable), "Stream or Twilio failed; run the file again later."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := bridge.RowError(tt.err)
			if res.Outcome != bridge.RowFailed || res.Code != "unavailable" || res.Reason != tt.want {
				t.Errorf("row = %+v, want failed unavailable %q", res, tt.want)
			}
		})
	}
}
