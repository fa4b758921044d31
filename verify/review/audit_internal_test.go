package review

import (
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
