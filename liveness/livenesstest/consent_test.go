package livenesstest_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
)

// brokenConsents wraps the in-memory store and breaks one rule.
type brokenConsents struct {
	*liveness.MemoryConsentStore
	flaw  string
	first string
}

func (b *brokenConsents) Record(ctx context.Context, c liveness.Consent) (string, error) {
	switch b.flaw {
	case "same-id": // every consent overwrites the first
		if b.first != "" {
			return b.first, nil
		}
		id, err := b.MemoryConsentStore.Record(ctx, c)
		b.first = id
		return id, err
	case "accepts-incomplete":
		c.Subject, c.Purpose, c.TextVersion = "x", "x", "x"
		c.GivenAt, c.WithdrawnAt = time.Unix(1, 0), time.Time{}
	}
	return b.MemoryConsentStore.Record(ctx, c)
}

func (b *brokenConsents) Lookup(ctx context.Context, id string) (liveness.Consent, bool, error) {
	c, ok, err := b.MemoryConsentStore.Lookup(ctx, id)
	if b.flaw == "unknown-is-error" && !ok {
		return c, false, errors.New("not found")
	}
	return c, ok, err
}

func (b *brokenConsents) Withdraw(ctx context.Context, id string, at time.Time) error {
	if b.flaw == "withdraw-ignored" {
		return nil
	}
	return b.MemoryConsentStore.Withdraw(ctx, id, at)
}

// TestConsentSuiteCatchesBrokenStores runs RunConsentStore, in a child test process,
// against stores that each break one rule, and requires it to fail with the matching
// complaint.
func TestConsentSuiteCatchesBrokenStores(t *testing.T) {
	if flaw := os.Getenv("LIVENESSTEST_FLAW"); flaw != "" {
		livenesstest.RunConsentStore(t, func() liveness.ConsentStore {
			return &brokenConsents{MemoryConsentStore: liveness.NewMemoryConsentStore(), flaw: flaw}
		})
		return
	}
	for flaw, complaint := range map[string]string{
		"same-id":            "want a new ID",
		"accepts-incomplete": "want ErrInvalidArgument",
		"unknown-is-error":   "want not found, no error",
		"withdraw-ignored":   "after Withdraw",
	} {
		t.Run(flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestConsentSuiteCatchesBrokenStores$", "-test.count=1")
			cmd.Env = append(os.Environ(), "LIVENESSTEST_FLAW="+flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed a store with flaw %q:\n%s", flaw, out)
			}
			if !strings.Contains(string(out), complaint) {
				t.Errorf("the suite failed, but without %q:\n%s", complaint, out)
			}
		})
	}
}
