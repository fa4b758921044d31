package relyingpartytest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/trustid/trustid/relyingparty"
	"github.com/trustid/trustid/relyingparty/relyingpartytest"
)

func TestMemoryConsentStore(t *testing.T) {
	relyingpartytest.RunConsentStore(t, func(*testing.T) relyingparty.ConsentStore { return relyingparty.NewMemoryConsentStore() })
}

// brokenStore breaks one rule of the ConsentStore contract.
type brokenStore struct {
	mu   sync.Mutex
	m    map[string]relyingparty.ConsentRecord
	flaw string
}

func (s *brokenStore) Get(_ context.Context, id string) (relyingparty.ConsentRecord, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.m[id]
	return r, ok, nil
}

func (s *brokenStore) Put(_ context.Context, r relyingparty.ConsentRecord) (uint64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flaw != "ignores-version" && s.m[r.ID].Version != r.Version {
		return 0, relyingparty.ErrUnavailable
	}
	r.Version++
	s.m[r.ID] = r // "shares-slice" and "ignores-version" both keep the caller's slice
	return r.Version, nil
}

// TestSuiteCatchesBrokenStores runs the suite, in a child test process, against stores
// that each break one rule, and requires it to fail with the matching complaint.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	if flaw := os.Getenv("RELYINGPARTYTEST_FLAW"); flaw != "" {
		relyingpartytest.RunConsentStore(t, func(*testing.T) relyingparty.ConsentStore {
			return &brokenStore{m: map[string]relyingparty.ConsentRecord{}, flaw: flaw}
		})
		return
	}
	for flaw, complaint := range map[string]string{
		"ignores-version": "want store.ErrConflict",
		"shares-slice":    "the store kept the caller's slice",
	} {
		t.Run(flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesBrokenStores$", "-test.count=1")
			cmd.Env = append(os.Environ(), "RELYINGPARTYTEST_FLAW="+flaw)
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

func TestMemoryHandoffStore(t *testing.T) {
	relyingpartytest.RunHandoffStore(t, func(*testing.T) relyingparty.HandoffStore { return relyingparty.NewMemoryHandoffStore() })
}
