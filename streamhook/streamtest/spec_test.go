package streamtest

import "testing"

func TestEmbeddedSpecLoads(t *testing.T) {
	sp, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for id, op := range opByOperationID {
		if handlers[op] == nil {
			t.Errorf("operation %s has no handler", op)
		}
		found := false
		for _, item := range sp.doc.Paths.Map() {
			for _, op := range item.Operations() {
				found = found || op.OperationID == id
			}
		}
		if !found {
			t.Errorf("operation %s is not in the embedded spec", id)
		}
	}
}
