package review_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// trail returns the audit trail of a case that went through most of the workflow.
func trail(t testing.TB) []review.AuditRecord {
	t.Helper()
	ctx := context.Background()
	e := newEnv(t, nil)
	c := mustApply(t, e, "app-1")
	e.clock.Advance(time.Hour)
	if _, err := e.desk.RequestSupplement(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialUnclear}, ""); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	if _, err := e.desk.Resubmit(ctx, "app-1", c.ID, []review.Material{material("rescan")}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Hour)
	c, err := e.desk.Reject(ctx, c.Reviewer, c.ID, []verify.Reason{review.ReasonMaterialInvalid, verify.ReasonNameMismatch}, "")
	if err != nil {
		t.Fatal(err)
	}
	return c.History
}

func clone(rs []review.AuditRecord) []review.AuditRecord {
	out := make([]review.AuditRecord, len(rs))
	for i, r := range rs {
		r.Reasons = append([]verify.Reason(nil), r.Reasons...)
		out[i] = r
	}
	return out
}

func wantChainError(t *testing.T, name string, err error, index int) {
	t.Helper()
	var ce *review.Error
	if !errors.Is(err, review.ErrChainBroken) || !errors.As(err, &ce) || ce.Reason != review.ReasonChainBroken || ce.Index != index {
		t.Errorf("%s: VerifyChain = %v, want chain_broken at index %d", name, err, index)
	}
}

func TestVerifyDetectsTampering(t *testing.T) {
	rs := trail(t)
	if len(rs) != 7 {
		t.Fatalf("trail has %d records, want 7", len(rs))
	}
	if err := review.VerifyChain(rs); err != nil {
		t.Fatalf("VerifyChain(intact) = %v", err)
	}
	// Field changes, at every index.
	mutations := []struct {
		name string
		f    func(r *review.AuditRecord)
	}{
		{"actor", func(r *review.AuditRecord) { r.Actor = "reviewer:mallory" }},
		{"action", func(r *review.AuditRecord) { r.Action = "approve" }},
		{"case", func(r *review.AuditRecord) { r.Case = "rv-other" }},
		{"state", func(r *review.AuditRecord) { r.State = review.StateApproved }},
		{"time", func(r *review.AuditRecord) { r.Time = r.Time.Add(time.Nanosecond) }},
		{"seq", func(r *review.AuditRecord) { r.Seq += 7 }},
		{"add reason", func(r *review.AuditRecord) { r.Reasons = append(r.Reasons, "x") }},
		{"materials", func(r *review.AuditRecord) { r.Materials[0] ^= 1 }},
		{"prev", func(r *review.AuditRecord) { r.Prev[31] ^= 0x80 }},
		{"hash", func(r *review.AuditRecord) { r.Hash[0] ^= 1 }},
		{"reason boundary", func(r *review.AuditRecord) {
			// "ab","c" vs "a","bc": the length prefixes keep these apart.
			r.Reasons = []verify.Reason{"ab", "c"}
		}},
	}
	for i := range rs {
		for _, m := range mutations {
			bad := clone(rs)
			m.f(&bad[i])
			wantChainError(t, m.name, review.VerifyChain(bad), i)
		}
	}
	// Every single-bit flip of every digest and every string byte.
	for i := range rs {
		for bit := range 32 * 8 {
			for _, field := range []string{"prev", "hash", "materials"} {
				bad := clone(rs)
				var d *review.Digest
				switch field {
				case "prev":
					d = &bad[i].Prev
				case "hash":
					d = &bad[i].Hash
				default:
					d = &bad[i].Materials
				}
				d[bit/8] ^= 1 << (bit % 8)
				wantChainError(t, field+" bit flip", review.VerifyChain(bad), i)
			}
		}
		for _, field := range []string{"actor", "action", "case"} {
			var s string
			switch field {
			case "actor":
				s = rs[i].Actor
			case "action":
				s = rs[i].Action
			default:
				s = rs[i].Case
			}
			for bit := range len(s) * 8 {
				b := []byte(s)
				b[bit/8] ^= 1 << (bit % 8)
				bad := clone(rs)
				switch field {
				case "actor":
					bad[i].Actor = string(b)
				case "action":
					bad[i].Action = string(b)
				default:
					bad[i].Case = string(b)
				}
				wantChainError(t, field+" bit flip", review.VerifyChain(bad), i)
			}
		}
		for bit := range 64 {
			bad := clone(rs)
			bad[i].Time = time.Unix(0, bad[i].Time.UnixNano()^(1<<bit)).UTC()
			wantChainError(t, "time bit flip", review.VerifyChain(bad), i)
		}
	}
}

func TestVerifyDetectsDeletionInsertionReordering(t *testing.T) {
	rs := trail(t)
	for i := range rs {
		if i == len(rs)-1 {
			continue // tail truncation: see TestCheckpointDetectsTruncation
		}
		bad := append(clone(rs[:i]), clone(rs[i+1:])...)
		wantChainError(t, "delete", review.VerifyChain(bad), i)
	}
	for i := range rs {
		// Insert a copy of record i before itself.
		bad := append(clone(rs[:i+1]), clone(rs[i:])...)
		wantChainError(t, "insert duplicate", review.VerifyChain(bad), i+1)
	}
	// A forged record with a recomputed hash inserted in the middle breaks the next
	// record's sequence and link.
	forged := rs[2]
	forged.Actor, forged.Action, forged.State = "reviewer:mallory", "approve", review.StateApproved
	forged.Hash = forged.ComputeHash()
	bad := append(append(clone(rs[:3]), forged), clone(rs[3:])...)
	bad[3].Seq, bad[3].Prev = 4, bad[2].Hash
	bad[3].Hash = bad[3].ComputeHash()
	wantChainError(t, "insert forged", review.VerifyChain(bad), 4)
	for i := 0; i+1 < len(rs); i++ {
		bad := clone(rs)
		bad[i], bad[i+1] = bad[i+1], bad[i]
		wantChainError(t, "swap", review.VerifyChain(bad), i)
	}
	// Records of another case spliced in.
	other := trail(t)
	bad = append(clone(rs[:3]), other[3:]...)
	wantChainError(t, "splice", review.VerifyChain(bad), 3)
	wantChainError(t, "empty", review.VerifyChain(nil), 0)
}

func TestCheckpointDetectsTruncation(t *testing.T) {
	rs := trail(t)
	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{8}, 64)))
	cp, err := review.SignCheckpoint(priv, rs, t0)
	if err != nil {
		t.Fatal(err)
	}
	extended := append(clone(rs), rs[len(rs)-1])
	extended[len(rs)].Seq++
	extended[len(rs)].Prev = rs[len(rs)-1].Hash
	extended[len(rs)].Hash = extended[len(rs)].ComputeHash()
	tampered := cp
	tampered.Seq--
	tests := []struct {
		name    string
		pub     ed25519.PublicKey
		records []review.AuditRecord
		cp      review.Checkpoint
		want    error
	}{
		{"intact", pub, rs, cp, nil},
		{"appended later", pub, extended, cp, nil},
		{"tail truncated", pub, rs[:len(rs)-1], cp, review.ErrNotAuthentic},
		{"truncated to one", pub, rs[:1], cp, review.ErrNotAuthentic},
		{"wrong key", otherPub, rs, cp, review.ErrNotAuthentic},
		{"edited checkpoint", pub, rs, tampered, review.ErrNotAuthentic},
		{"other case", pub, trail(t), cp, review.ErrNotAuthentic},
	}
	// Without the checkpoint, truncation passes Verify: that is why it exists.
	if err := review.VerifyChain(rs[:len(rs)-1]); err != nil {
		t.Fatalf("VerifyChain(truncated) = %v; a truncated chain is still a valid chain", err)
	}
	for _, tt := range tests {
		err := review.VerifyCheckpoint(tt.pub, tt.records, tt.cp)
		if (tt.want == nil && err != nil) || !errors.Is(err, tt.want) {
			t.Errorf("%s: VerifyCheckpoint = %v, want %v", tt.name, err, tt.want)
		}
	}
	for bit := range len(cp.Sig) * 8 {
		bad := cp
		bad.Sig = append([]byte(nil), cp.Sig...)
		bad.Sig[bit/8] ^= 1 << (bit % 8)
		if err := review.VerifyCheckpoint(pub, rs, bad); !errors.Is(err, review.ErrNotAuthentic) {
			t.Fatalf("signature bit %d flipped: VerifyCheckpoint = %v, want ErrNotAuthentic", bit, err)
		}
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	rs := trail(t)
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, rs); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != len(rs) {
		t.Errorf("export has %d lines, want %d", n, len(rs))
	}
	got, err := review.ImportAudit(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	if diff := cmp.Diff(rs, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Import(Export) mismatch (-want +got):\n%s", diff)
	}
	// Without the final newline.
	if _, err := review.ImportAudit(bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))); err != nil {
		t.Errorf("Import without final newline: %v", err)
	}
}

func TestImportRejectsMalformed(t *testing.T) {
	rs := trail(t)
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, rs[:2]); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	first, second := lines[0], lines[1]
	tests := []struct {
		name string
		in   string
		line int
	}{
		{"empty line", first + "\n" + second, 2},
		{"not json", "hello\n", 1},
		{"array", "[1,2]\n", 1},
		{"unknown field", strings.Replace(first, `"seq":1`, `"seq":1,"x":2`, 1), 1},
		{"trailing data", strings.TrimSuffix(first, "\n") + " {}\n", 1},
		{"two objects", strings.TrimSuffix(first, "\n") + strings.TrimSuffix(second, "\n") + "\n", 1},
		{"upper-case digest", strings.Replace(first, `"prev":"0000`, `"prev":"000A`, 1), 1},
		{"short digest", strings.Replace(first, `"prev":"0000`, `"prev":"000`, 1), 1},
		{"zero seq", strings.Replace(first, `"seq":1`, `"seq":0`, 1), 1},
		{"negative seq", strings.Replace(first, `"seq":1`, `"seq":-1`, 1), 1},
		{"bad action", strings.Replace(first, `"action":"draft"`, `"action":"delete"`, 1), 1},
		{"bad state", strings.Replace(first, `"state":"draft"`, `"state":"done"`, 1), 1},
		{"bad time", strings.Replace(first, `"time":"2026`, `"time":"1926`, 1), 1},
		{"empty actor", strings.Replace(first, `"actor":"applicant:app-1"`, `"actor":""`, 1), 1},
		{"bad reason", strings.Replace(second, `"state"`, `"reasons":["Name Mismatch"],"state"`, 1), 1},
		{"line too long", first + strings.Repeat(" ", review.MaxImportLine+1) + "\n", 2},
	}
	for _, tt := range tests {
		_, err := review.ImportAudit(strings.NewReader(tt.in))
		var ie *review.Error
		if !errors.Is(err, review.ErrInvalidArgument) || !errors.As(err, &ie) || ie.Index != tt.line-1 {
			t.Errorf("ImportAudit(%s) = %v, want invalid_argument at line %d (Index %d)", tt.name, err, tt.line, tt.line-1)
		}
	}
	// Well-formed but broken chain: chain_broken, not invalid_argument.
	_, err := review.ImportAudit(strings.NewReader(second + first))
	wantChainError(t, "reordered import", err, 0)
	_, err = review.ImportAudit(strings.NewReader(""))
	wantChainError(t, "empty import", err, 0)
}

// TestVerifyRejectsTimeOutsideEncoding: the hash encodes Time as Unix nanoseconds in 64
// bits, which wraps every 2^64 ns (about 584 years). A record whose time was moved by
// exactly that much would hash the same; Verify must refuse times outside the range
// the encoding (and Import) covers, 1970..2262.
func TestVerifyRejectsTimeOutsideEncoding(t *testing.T) {
	rs := trail(t)
	for i := range rs {
		bad := clone(rs)
		shifted := bad[i].Time
		for range 4 {
			shifted = shifted.Add(1 << 62) // 4 * 2^62 ns = 2^64 ns
		}
		if shifted.UnixNano() != bad[i].Time.UnixNano() || shifted.Equal(bad[i].Time) {
			t.Fatalf("test setup: %v and %v should differ but share UnixNano", shifted, bad[i].Time)
		}
		bad[i].Time = shifted
		err := review.VerifyChain(bad)
		wantChainError(t, "time shifted by 2^64 ns", err, i)
		var ce *review.Error
		if errors.As(err, &ce) && ce.Field != "time" {
			t.Errorf("record %d: field %q, want time", i, ce.Field)
		}
	}
	before := clone(rs)
	before[0].Time = time.Date(1969, 12, 31, 23, 59, 59, 0, time.UTC)
	before[0].Hash = before[0].ComputeHash()
	wantChainError(t, "time before 1970", review.VerifyChain(before), 0)
}

// TestCheckpointDetectsRewrite: a trail rewritten by someone with write access, every
// later hash recomputed, still passes Verify; the checkpoint taken before catches it.
// A record moved to another case with its hash recomputed is caught by Verify itself.
func TestCheckpointDetectsRewrite(t *testing.T) {
	rs := trail(t)
	pub, priv, err := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{7}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := review.SignCheckpoint(priv, rs, t0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rs {
		bad := clone(rs)
		bad[i].Actor = "reviewer:mallory"
		for j := i; j < len(bad); j++ {
			if j > 0 {
				bad[j].Prev = bad[j-1].Hash
			}
			bad[j].Hash = bad[j].ComputeHash()
		}
		if err := review.VerifyChain(bad); err != nil {
			t.Fatalf("test setup: rewritten trail from %d does not verify: %v", i, err)
		}
		if err := review.VerifyCheckpoint(pub, bad, cp); !errors.Is(err, review.ErrNotAuthentic) {
			t.Errorf("trail rewritten from record %d: VerifyCheckpoint = %v, want ErrNotAuthentic", i, err)
		}
	}
	bad := clone(rs)
	last := len(bad) - 1
	bad[last].Case = "rv-other"
	bad[last].Hash = bad[last].ComputeHash()
	wantChainError(t, "last record moved to another case", review.VerifyChain(bad), last)
}
