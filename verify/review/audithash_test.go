package review_test

import (
	"bytes"
	"context"
	"crypto/sha512"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify/review"
)

// testAuditHash stands for another suite's audit hash (SM3 lives in module smsuite, which
// the core does not import): SHA-512/256, 32-byte digests.
const testAuditHash = "test-sha512-256"

func init() { review.RegisterAuditHash(testAuditHash, sha512.New512_256) }

// TestAuditHashSelected: a Desk configured with a registered audit hash writes records
// that name it and are hashed with it; the chain verifies, survives export and import,
// and differs from the SHA-256 chain of the same steps.
func TestAuditHashSelected(t *testing.T) {
	ctx := context.Background()
	chain := func(alg string) []review.AuditRecord {
		e := newEnv(t, func(c *review.Config) { c.AuditHash = alg })
		c, err := e.desk.Apply(ctx, application("app-1"))
		if err != nil {
			t.Fatal(err)
		}
		return c.History
	}
	other, def := chain(testAuditHash), chain("")
	if len(other) == 0 || len(other) != len(def) {
		t.Fatalf("%d records under the other hash, %d under SHA-256", len(other), len(def))
	}
	for i, r := range other {
		if r.HashAlg != testAuditHash || def[i].HashAlg != "" {
			t.Errorf("record %d: HashAlg %q and %q, want %q and empty", i, r.HashAlg, def[i].HashAlg, testAuditHash)
		}
		if r.Hash == def[i].Hash {
			t.Errorf("record %d: same hash under both algorithms", i)
		}
	}
	if err := review.VerifyChain(other); err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, other); err != nil {
		t.Fatal(err)
	}
	back, err := review.ImportAudit(&buf, 100)
	if err != nil {
		t.Fatalf("ImportAudit: %v", err)
	}
	if diff := cmp.Diff(other, back); diff != "" {
		t.Errorf("import mismatch (-want +got):\n%s", diff)
	}
}

// TestAuditHashRefused: a chain naming a hash this process has not registered, or mixing
// hashes, fails at hash_alg; a first record relabelled to SHA-256 fails at its hash; New refuses an
// unregistered name.
func TestAuditHashRefused(t *testing.T) {
	e := newEnv(t, func(c *review.Config) { c.AuditHash = testAuditHash })
	c, err := e.desk.Apply(context.Background(), application("app-1"))
	if err != nil {
		t.Fatal(err)
	}
	h := c.History
	for name, tc := range map[string]struct {
		change func([]review.AuditRecord)
		field  string
	}{
		"unregistered": {func(r []review.AuditRecord) {
			for i := range r {
				r[i].HashAlg = "sm3-not-imported"
			}
		}, "hash_alg"},
		"mixed":      {func(r []review.AuditRecord) { r[len(r)-1].HashAlg = "" }, "hash_alg"},
		"relabelled": {func(r []review.AuditRecord) { r[0].HashAlg = "" }, "hash"}, // the first record sets the chain's hash
	} {
		r := append([]review.AuditRecord(nil), h...)
		tc.change(r)
		err := review.VerifyChain(r)
		var re *review.Error
		if !errors.Is(err, review.ErrChainBroken) || !errors.As(err, &re) || re.Field != tc.field {
			t.Errorf("%s: VerifyChain = %v, want ErrChainBroken at %s", name, err, tc.field)
		}
	}
	if _, err := review.New(review.Config{AuditHash: "sm3-not-imported"}); !errors.Is(err, review.ErrInvalidArgument) {
		t.Errorf("New(unregistered AuditHash) = %v, want ErrInvalidArgument", err)
	}
}
