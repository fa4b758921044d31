package review

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"
	"time"

	"github.com/trustid/trustid/verify"
)

// BenchmarkAuditAppend measures chaining one record (canonical encoding and SHA-256)
// onto a trail, including the digest of two material references.
func BenchmarkAuditAppend(b *testing.B) {
	ms := []Material{{Kind: "id-card-front", Ref: "bucket/a", Digest: Digest{1}}, {Kind: "id-card-back", Ref: "bucket/b", Digest: Digest{2}}}
	reasons := []verify.Reason{ReasonMaterialUnclear}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	history := make([]AuditRecord, 0, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if len(history) == cap(history) {
			history = history[:0]
		}
		history = appendRecord(history, AuditRecord{Time: now, Actor: "reviewer:r1", Action: "request_supplement",
			Case: "rv-abcdefghijklmnopqrstuvwx", State: StateSupplementRequested, Reasons: reasons,
			Materials: materialsDigest(ms)})
	}
}

func TestAppendRecordChains(t *testing.T) {
	var h []AuditRecord
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for i := range 3 {
		h = appendRecord(h, AuditRecord{Time: now, Actor: "system", Action: "check", Case: "c", State: StateChecking})
		if h[i].Seq != uint64(i+1) || h[i].Time.Location() != time.UTC {
			t.Errorf("record %d: seq %d location %v, want %d UTC", i, h[i].Seq, h[i].Time.Location(), i+1)
		}
		if i > 0 && h[i].Prev != h[i-1].Hash {
			t.Errorf("record %d does not link to its predecessor", i)
		}
	}
	if h[0].Prev != (Digest{}) {
		t.Errorf("first record's Prev = %v, want zero", h[0].Prev)
	}
	if err := VerifyChain(h); err != nil {
		t.Errorf("Verify = %v", err)
	}
}

// TestComputeHashLayout rebuilds the documented encoding by hand: a record without a
// level hashes as before levels were recorded, and a level is appended after Materials
// as its length-prefixed name.
func TestComputeHashLayout(t *testing.T) {
	lp := func(s string) []byte {
		return append(binary.BigEndian.AppendUint64(nil, uint64(len(s))), s...)
	}
	r := AuditRecord{Seq: 9, Prev: Digest{7}, Time: time.Unix(1_800_000_000, 5), Actor: "reviewer:r-0002",
		Action: "approve", Case: "rv-x", State: StateApproved, Reasons: []verify.Reason{"documents_checked"},
		Materials: Digest{3}}
	var b []byte
	b = append(b, lp("trustid/review/audit/v1")...)
	b = binary.BigEndian.AppendUint64(b, 9)
	b = append(b, r.Prev[:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(r.Time.UnixNano()))
	for _, s := range []string{r.Actor, r.Action, r.Case, "approved"} {
		b = append(b, lp(s)...)
	}
	b = binary.BigEndian.AppendUint64(b, 1)
	b = append(b, lp("documents_checked")...)
	b = append(b, r.Materials[:]...)
	if got, want := r.ComputeHash(), Digest(sha256.Sum256(b)); got != want {
		t.Errorf("ComputeHash without level = %v, want %v", got, want)
	}
	r.Level = verify.LevelRealPerson
	b = append(b, lp("real-person")...)
	if got, want := r.ComputeHash(), Digest(sha256.Sum256(b)); got != want {
		t.Errorf("ComputeHash with level = %v, want %v", got, want)
	}
}
