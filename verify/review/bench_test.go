package review_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// BenchmarkApply measures one submission (draft, submit, automatic check, close) on the
// in-memory defaults, with the notice delivered inline.
func BenchmarkApply(b *testing.B) {
	e := newEnv(b, func(c *review.Config) {
		c.Checker, c.AutoApprove = decisionChecker(verify.OutcomePass, verify.ReasonRealNameVerified), true
	})
	ctx := context.Background()
	a := application("")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		a.Applicant = "app-" + strconv.Itoa(i)
		if _, err := e.desk.Apply(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// fillClosed puts n approved cases of other applicants into s, spread over reviewers
// r1 and r2, as a desk that has run for a while holds them.
func fillClosed(b *testing.B, s review.Store, n int) {
	b.Helper()
	ctx := context.Background()
	for i := range n {
		c := &review.Case{
			ID:          "rv-old-" + strconv.Itoa(i),
			Application: application("old-" + strconv.Itoa(i)),
			State:       review.StateApproved,
			Attempt:     1,
			Reviewer:    "r" + strconv.Itoa(1+i%2),
			Created:     t0,
			Updated:     t0,
		}
		if _, err := s.Put(ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyAssign measures a submission that goes to a reviewer (least loaded of
// two) on an in-memory store already holding 1,000 or 100,000 closed cases.
func BenchmarkApplyAssign(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("cases="+strconv.Itoa(n), func(b *testing.B) {
			e := newEnv(b, func(c *review.Config) {
				c.Reviewers = []review.Reviewer{{ID: "r1", Capacity: 1 << 30}, {ID: "r2", Capacity: 1 << 30}}
			})
			fillClosed(b, e.store, n)
			ctx := context.Background()
			a := application("")
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				a.Applicant = "app-" + strconv.Itoa(i)
				c, err := e.desk.Apply(ctx, a)
				if err != nil || c.Reviewer == "" {
					b.Fatalf("Apply = %v, %v; want an assigned case", c, err)
				}
			}
		})
	}
}

// jsonStore is the in-memory store behind a JSON encoding of every case written and
// read, as a database adapter stores them: it costs what the case's size costs.
type jsonStore struct{ *review.MemoryStore }

func roundTrip(c *review.Case) (*review.Case, error) {
	raw, err := json.Marshal(c)
	if err != nil {
		return nil, err
	}
	var n review.Case
	if err := json.Unmarshal(raw, &n); err != nil {
		return nil, err
	}
	return &n, nil
}

func (s jsonStore) Get(ctx context.Context, id string) (*review.Case, error) {
	c, err := s.MemoryStore.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return roundTrip(c)
}

func (s jsonStore) Put(ctx context.Context, c *review.Case) (uint64, error) {
	n, err := roundTrip(c)
	if err != nil {
		return 0, err
	}
	return s.MemoryStore.Put(ctx, n)
}

// BenchmarkApplyOversizedClaimed measures Apply with a claimed name of 1 KB to 10 MB on
// a store that encodes cases as JSON. Every size is over the limit, so each is refused
// before any work and the cost is flat.
func BenchmarkApplyOversizedClaimed(b *testing.B) {
	for _, size := range []int{1 << 10, 64 << 10, 1 << 20, 10 << 20} {
		b.Run("name="+strconv.Itoa(size), func(b *testing.B) {
			e := newEnv(b, func(c *review.Config) { c.Store = jsonStore{review.NewMemoryStore()} })
			ctx := context.Background()
			a := application("")
			a.Claimed.Name = strings.Repeat("x", size)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				a.Applicant = "app-" + strconv.Itoa(i)
				if _, err := e.desk.Apply(ctx, a); !errors.Is(err, review.ErrInvalidArgument) {
					b.Fatalf("Apply(claimed name of %d bytes) error = %v, want ErrInvalidArgument", size, err)
				}
			}
		})
	}
}

// longTrail returns an export of one case's audit trail of n records (the actions and
// states of trail, repeated), with the record at index broken (its actor changed after
// hashing) when broken >= 0.
func longTrail(b testing.TB, n, broken int) []byte {
	b.Helper()
	tmpl := trail(b)
	rs := make([]review.AuditRecord, n)
	var prev review.Digest
	for i := range rs {
		r := tmpl[i%len(tmpl)]
		r.Seq, r.Prev, r.Case = uint64(i)+1, prev, "rv-long"
		r.Time = t0.Add(time.Duration(i) * time.Second)
		r.Hash = r.ComputeHash()
		prev = r.Hash
		rs[i] = r
	}
	if broken >= 0 {
		rs[broken].Actor = "reviewer:mallory"
	}
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, rs); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkImportAudit measures importing a valid export of 10,000 records, and an
// export of 400,000 records broken at record 10.
func BenchmarkImportAudit(b *testing.B) {
	b.Run("valid-10k", func(b *testing.B) {
		data := longTrail(b, 10000, -1)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := review.ImportAudit(bytes.NewReader(data), 0); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(data)), "input-bytes")
	})
	b.Run("break-at-10-of-400k", func(b *testing.B) {
		data := longTrail(b, 400000, 10)
		b.ReportAllocs()
		for b.Loop() {
			_, err := review.ImportAudit(bytes.NewReader(data), 0)
			var e *review.Error
			if !errors.As(err, &e) || e.Reason != review.ReasonChainBroken || e.Index != 10 {
				b.Fatalf("ImportAudit = %v, want chain_broken at 10", err)
			}
		}
		b.ReportMetric(float64(len(data)), "input-bytes")
	})
}

// BenchmarkVerifyChain measures verifying a 7-record trail.
func BenchmarkVerifyChain(b *testing.B) {
	rs := trail(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := review.VerifyChain(rs); err != nil {
			b.Fatal(err)
		}
	}
}
