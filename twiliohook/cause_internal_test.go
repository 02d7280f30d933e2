package twiliohook

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/twilio/twilio-go/client"
)

// A batch row's reason names Twilio when Twilio itself refused for now, so
// the clinic knows which vendor to wait for.
func TestATransientTwilioRefusalsCauseNamesTwilio(t *testing.T) {
	for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
		err := classify(context.Background(), &client.TwilioRestError{Status: status, Code: 20429})
		var c interface{ Cause() string }
		if !errors.As(err, &c) {
			t.Fatalf("status %d: %v has no Cause", status, err)
		}
		if want := "Twilio answered status " + strconv.Itoa(status) + " code 20429"; c.Cause() != want {
			t.Errorf("status %d: Cause() = %q, want %q", status, c.Cause(), want)
		}
	}
}
