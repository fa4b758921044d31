package smsuite_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"
	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/smsuite"
	"github.com/trustid/trustid/verify/review"
)

// TestAuditChainSM3: a review Desk configured with smsuite.AuditHashName writes an audit
// chain hashed with SM3: every record names "sm3", its hash is SM3 over the documented
// encoding (rebuilt here by hand for the first record), and VerifyChain accepts it.
func TestAuditChainSM3(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	desk, err := review.New(review.Config{
		AuditHash: smsuite.AuditHashName,
		Now:       func() time.Time { return now },
		Reviewers: []review.Reviewer{{ID: "r1", Capacity: 5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := desk.Apply(context.Background(), review.Application{
		Applicant: "acct-1",
		Type:      review.CertPersonal,
		Claimed:   review.Identity{Name: "张三", Number: exampleID},
		Materials: []review.Material{{Kind: "id-card-front", Ref: "uploads/front", Digest: sha256.Sum256([]byte("front"))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := review.VerifyChain(c.History); err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	r := c.History[0]
	if r.HashAlg != "sm3" {
		t.Fatalf("HashAlg = %q, want sm3", r.HashAlg)
	}
	lp := func(b []byte, s string) []byte { return append(binary.BigEndian.AppendUint64(b, uint64(len(s))), s...) }
	b := lp(nil, "trustid/review/audit/v1")
	b = binary.BigEndian.AppendUint64(b, r.Seq)
	b = append(b, r.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.UnixNano()))
	b = lp(b, r.Actor)
	b = lp(b, r.Action)
	b = lp(b, r.Case)
	b = lp(b, r.State.String())
	b = binary.BigEndian.AppendUint64(b, uint64(len(r.Reasons)))
	for _, x := range r.Reasons {
		b = lp(b, string(x))
	}
	b = append(b, r.Materials[:]...)
	b = lp(b, "sm3")
	if diff := cmp.Diff(review.Digest(sm3.Sum(b)), r.Hash); diff != "" {
		t.Errorf("record hash is not SM3 of the documented encoding (-want +got):\n%s", diff)
	}
}
