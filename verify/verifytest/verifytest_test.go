package verifytest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/verifytest"
)

func TestRegistryMemory(t *testing.T) {
	verifytest.Registry(t, func(t *testing.T, records []verify.Record) verify.Registry {
		reg, err := verify.NewMemoryRegistry(records...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	})
}

// The suite's records cover every status; a host loads them into its test backend.
func ExampleRecords() {
	count := map[verify.Status]int{}
	for _, r := range verifytest.Records() {
		count[r.Status]++
	}
	for _, s := range []verify.Status{verify.StatusValid, verify.StatusExpired, verify.StatusReportedLost, verify.StatusRevoked} {
		fmt.Println(s, count[s])
	}
	// Output:
	// valid 5
	// expired 1
	// reported-lost 1
	// revoked 1
}

// brokenRegistry breaks one rule of the Registry contract at a time, to show that the
// suite notices.
type brokenRegistry struct {
	recs map[string]*verify.Record
	flaw string
}

func (b *brokenRegistry) Lookup(ctx context.Context, kind verify.CredentialKind, number string) (*verify.Record, error) {
	if b.flaw != "cancel-is-not-found" && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r, ok := b.recs[kind.String()+"/"+number]
	switch {
	case !ok && b.flaw == "generic-not-found":
		return nil, errors.New("no such document " + number)
	case !ok:
		return nil, verify.ErrNotFound
	case b.flaw == "shared-record":
		return r, nil
	}
	c := *r
	return &c, nil
}

// TestSuiteCatchesBrokenAdapters runs the suite, in a child test process, against
// adapters that each break one rule, and requires the suite to fail with the matching
// complaint.
func TestSuiteCatchesBrokenAdapters(t *testing.T) {
	if flaw := os.Getenv("VERIFYTEST_FLAW"); flaw != "" {
		verifytest.Registry(t, func(t *testing.T, records []verify.Record) verify.Registry {
			b := &brokenRegistry{recs: map[string]*verify.Record{}, flaw: flaw}
			for _, r := range records {
				b.recs[r.Kind.String()+"/"+r.Number] = &r
			}
			return b
		})
		return
	}
	for flaw, complaint := range map[string]string{
		"generic-not-found":   "want one matching verify.ErrNotFound",
		"cancel-is-not-found": "a system failure must not read as",
		"shared-record":       "changing a returned record changed the registry",
	} {
		t.Run(flaw, func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestSuiteCatchesBrokenAdapters$", "-test.count=1")
			cmd.Env = append(os.Environ(), "VERIFYTEST_FLAW="+flaw)
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("the suite passed an adapter with flaw %q:\n%s", flaw, out)
			}
			if !strings.Contains(string(out), complaint) {
				t.Errorf("the suite failed, but without %q:\n%s", complaint, out)
			}
		})
	}
}
