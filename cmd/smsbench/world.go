package main

import (
	"errors"
	"fmt"

	"github.com/smsbridge/smsbridge/streamhook/streamtest"
	"github.com/smsbridge/smsbridge/twiliohook/twiliotest"
)

// Fictional credentials and numbers of the benchmark's world.
const (
	streamKey     = "smsbench-stream-key"
	streamSecret  = "smsbench-stream-secret-0123456789"
	accountSID    = "AC0123456789abcdef0123456789abcdef"
	authToken     = "smsbenchtwiliotoken0123456789ab"
	publicURL     = "https://smsbridge.example.org"
	clinicNumber  = "+16465550100" // outside the patients' area codes
	channelType   = "sms"
	adminID       = "front_desk"
	adminPassword = "front-desk-password"
	// bcrypt of adminPassword at cost 10: login is not what is measured.
	adminHash   = "$2a$10$6CZ5oFK2l3Rdm6COvBLileRbqqft9U0h94AwzttB9pXMowaXj.08."
	inboundText = "Yes, I will be there. See you on Tuesday."
	replyText   = "Your appointment is confirmed for Tuesday at 10:00."
)

// world is the fakes, seeded with the patients' users and channels, and the
// two systems under test pointed at them.
type world struct {
	stream  *streamtest.Server
	twilio  *twiliotest.Server
	bridge  *proc
	relay   *proc
	numbers int
}

// newWorld starts the fakes (without validation: they serve load here, the
// tests check correctness), seeds numbers patients, then starts the bridge
// and the relay and waits until both answer.
func newWorld(numbers int, cpuprofile, memprofile string) (*world, error) {
	w := &world{numbers: numbers,
		stream: streamtest.NewServer(streamtest.Options{APIKey: streamKey, APISecret: streamSecret, SkipValidation: true}),
		twilio: twiliotest.NewServer(twiliotest.Options{AccountSID: accountSID, AuthToken: authToken, SkipValidation: true}),
	}
	w.stream.AddChannelType(channelType)
	w.stream.PutUser(streamtest.User{ID: adminID, Name: adminID, Role: "admin"})
	for i := range numbers {
		w.seedPatient(patientNumber(i))
	}
	env := map[string]string{
		"STREAM_API_KEY": streamKey, "STREAM_API_SECRET": streamSecret, "STREAM_BASE_URL": w.stream.URL(),
		"TWILIO_ACCOUNT_SID": accountSID, "TWILIO_AUTH_TOKEN": authToken, "TWILIO_API_BASE_URL": w.twilio.URL(),
		"TWILIO_FROM_NUMBER": clinicNumber, "PUBLIC_URL": publicURL, "ADMIN_USERS": adminID + ":" + adminHash, "SHUTDOWN_DELAY": "0s",
		"LISTEN_HOST": "127.0.0.1", "SMS_CHANNEL_TYPE": channelType, "LOG_LEVEL": "info", "LOG_FORMAT": "json",
		relayChanEnv: channelOf(patientNumber(0)),
		// The benchmark measures the bridge, not the per-admin limit: one
		// admin sends every reminder, far past 60 a minute.
		"REMINDERS_PER_MINUTE": "100000", "REMINDER_BURST": "100000",
	}
	relay, err := startProc(roleRelay, env)
	if err != nil {
		w.close()
		return nil, err
	}
	w.relay = relay
	if cpuprofile != "" {
		env[profileEnv] = cpuprofile
	}
	if memprofile != "" {
		env[memProfileEnv] = memprofile
	}
	if w.bridge, err = startProc(roleBridge, env); err != nil {
		w.close()
		return nil, err
	}
	if err := errors.Join(w.bridge.waitStatus("/readyz", 200), w.relay.waitStatus("/", 200)); err != nil {
		w.close()
		return nil, err
	}
	return w, nil
}

func (w *world) seedPatient(number string) {
	id := channelOf(number)
	w.stream.PutUser(streamtest.User{ID: id, Name: number, Role: "user"})
	w.stream.PutChannel(streamtest.Channel{Type: channelType, ID: id, Members: []string{id, adminID},
		CreatedBy: adminID, Custom: map[string]any{"sms_phone": number, "sms_opted_out": false}})
}

// forget drops the messages of earlier scenarios, so the fakes' memory and
// work per call stay the same from one scenario to the next.
func (w *world) forget() {
	w.stream.ForgetMessages()
	w.twilio.ForgetMessages()
}

// upstream is a reading of the fakes' counters.
type upstream struct {
	streamCalls, twilioCalls int
	conns                    int64
}

func (w *world) upstream() upstream {
	return upstream{w.stream.TotalCalls(), w.twilio.Calls(), w.stream.AcceptedConns() + w.twilio.AcceptedConns()}
}

// close stops both children (the bridge writes its profile on the way
// out), then the fakes. It reports what went wrong, including calls the
// fakes did not expect.
func (w *world) close() error {
	var errs []error
	for _, p := range []*proc{w.bridge, w.relay} {
		if p != nil {
			if err := p.stop(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", p.role, err))
			}
		}
	}
	for _, v := range append(w.stream.Violations(), w.twilio.Violations()...) {
		errs = append(errs, errors.New(v))
	}
	w.stream.Close()
	w.twilio.Close()
	return errors.Join(errs...)
}
