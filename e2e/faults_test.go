package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// matrixConcurrency bounds how many cells run at once: enough that the
// cells waiting out timeouts overlap, few enough for a 2-core machine
// under -race.
const matrixConcurrency = 40

// TestFaultMatrix drives every upstream operation the bridge uses through
// every fault (faults_matrix_test.go), with the webhook sequence Twilio or
// Stream would really send, and asserts the outcome docs/reliability.md's
// table states, plus deadlines, truthful chat marks and clean logs.
func TestFaultMatrix(t *testing.T) {
	noLeaks(t)
	cfg := baseConfig(t)
	all := cells()
	results := make([]cellResult, len(all))
	sem := make(chan struct{}, matrixConcurrency)
	var wg sync.WaitGroup
	for i, c := range all {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i] = runCell(cfg, c)
		})
	}
	wg.Wait()

	for i, c := range all {
		t.Run(c.name(), func(t *testing.T) {
			r := results[i]
			for _, p := range r.problems {
				t.Error(p)
			}
			if want := c.want(); r.got != want {
				t.Errorf("outcome = %v, want %v", r.got, want)
			}
		})
	}
	slowest := map[bool]time.Duration{}
	for i, c := range all {
		inbound := c.op.flow != outboundReply && c.op.flow != outboundRetry && c.op.flow != outboundUnsent
		slowest[inbound] = max(slowest[inbound], results[i].slowest)
	}
	t.Logf("slowest answers: /receive-sms %v (deadline %v), /stream-outgoing-sms %v (deadline %v)",
		slowest[true].Round(time.Millisecond), twilioTotal, slowest[false].Round(time.Millisecond), outboundDeadline)
	t.Log("matrix as run (✓ pass, ✗ fail):\n" + renderRun(all, results))
}

// renderRun is the matrix with each cell's result, for the test log.
func renderRun(all []cell, results []cellResult) string {
	var b strings.Builder
	i := 0
	for _, op := range operations {
		for _, last := range lastings {
			fmt.Fprintf(&b, "%-62s %-10s", op.name, last)
			for range faultKinds {
				c, r := all[i], results[i]
				mark := "✓"
				if len(r.problems) > 0 || r.got != c.want() {
					mark = "✗"
				}
				fmt.Fprintf(&b, " %s %-22s", mark, fmt.Sprintf("%s %v", c.fault.name, r.took.Round(100*time.Millisecond)))
				i++
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestTheReliabilityDocsFaultMatrixIsTheOneTheTestsAssert(t *testing.T) {
	readme, err := os.ReadFile("../docs/reliability.md")
	if err != nil {
		t.Fatal(err)
	}
	want := renderMatrix()
	start := strings.Index(string(readme), matrixStart)
	end := strings.Index(string(readme), matrixEnd)
	if start < 0 || end < start {
		t.Fatalf("docs/reliability.md has no %s … %s block; add this to it:\n\n%s\n", matrixStart, matrixEnd, want)
	}
	if got := string(readme[start : end+len(matrixEnd)]); got != want {
		t.Errorf("docs/reliability.md's fault matrix differs from the tests'; replace the block with:\n\n%s\n", want)
	}
}

// noLeaks fails t when goroutines started during the test are still
// running after it, its cleanups included: call it first, so its cleanup
// runs last. Top-level tests using it must not be parallel (goleak sees
// every goroutine of the process). Idle keep-alive connections of the
// default client are closed first; goleak waits a little for connections
// whose server side just closed.
func noLeaks(t *testing.T) {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		http.DefaultClient.CloseIdleConnections()
		goleak.VerifyNone(t, ignore)
	})
}
