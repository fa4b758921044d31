// Package reviewtest is the conformance suite for implementations of review.Store. A
// host's adapter (a SQL table, a document store) proves it keeps the contract the Desk
// relies on: not-found errors; optimistic concurrency as every trustid store has it
// (Case.Version is the version read, 0 for a new case; Put writes iff the stored
// version equals it, stores and returns Version+1, and otherwise fails with an error
// matching store.ErrConflict); compare-and-swap writes that never lose an update under
// concurrency; copies rather than shared memory; PutAssigned's capacity check, one
// write at a time and under concurrent assignment, so that no reviewer gets more cases
// than their capacity; and List filters (and Count, when the store implements the
// optional review.Counter). A host's rate-limit store for
// Config.AttemptStore is checked by package store/storetest.
package reviewtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

var base = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// sampleCase builds a new case (Version 0) with every field set, so that an adapter that
// drops or mangles a field fails the round trip.
func sampleCase(id, applicant, reviewer string, st review.State, wake time.Time) *review.Case {
	var dig review.Digest
	copy(dig[:], "0123456789abcdef0123456789abcdef")
	return &review.Case{
		ID: id,
		Application: review.Application{
			Applicant: applicant,
			Type:      review.CertPersonal,
			Claimed:   review.Identity{Name: "张三", Number: "11010519491231002X"},
			Materials: []review.Material{{Kind: "id-card-front", Ref: "obj/1", Digest: dig}},
			Decision:  "sealed-journey-decision",
		},
		Journey: &review.Journey{Outcome: verify.OutcomeReview, Level: verify.LevelRealPerson, Required: verify.LevelRealPerson,
			Reasons: []verify.Reason{"name_lenient_match"}, Kind: verify.KindIDCard, CheckID: "check-1",
			DecidedAt: base, ValidUntil: base.Add(10 * time.Minute), OpenedAt: base,
			Evidence: []verify.EvidenceRef{{Factor: verify.FactorDocument, CompletedAt: base, ValidUntil: base.Add(30 * time.Minute)}},
			Seal:     "sealed-journey"},
		Approval:   &review.Approval{Token: "sealed-approval", Level: verify.LevelRealPerson, DecidedAt: base, ValidUntil: base.Add(30 * time.Minute)},
		State:      st,
		Attempt:    2,
		Reviewer:   reviewer,
		Deadline:   base.Add(72 * time.Hour),
		Overdue:    true,
		Check:      &review.CheckResult{Outcome: verify.OutcomeReview, Level: verify.LevelRealName, Reasons: []verify.Reason{"name_lenient_match"}, At: base},
		Reasons:    []verify.Reason{"material_unclear"},
		Note:       "please upload the back side",
		ValidUntil: base.Add(365 * 24 * time.Hour),
		RejectedBy: "r9",
		RejectedAt: base.Add(-time.Hour),
		Created:    base,
		Updated:    base.Add(time.Minute),
		WakeAt:     wake,
		History: []review.AuditRecord{{Seq: 1, Time: base, Actor: "applicant:" + applicant, Action: "draft",
			Case: id, State: review.StateDraft, Reasons: []verify.Reason{"x"}, Level: verify.LevelRealName, Materials: dig, Hash: dig}},
		Outbox: []review.Notice{{Key: id + "/2", Kind: review.NoticeSubmitted, Case: id, Applicant: applicant,
			Title: review.Text{ZH: "标题", EN: "title"}, Body: review.Text{ZH: "正文", EN: "body"},
			Decision: "sealed-approval", Created: base, ClaimedUntil: base.Add(time.Minute), Attempts: 1}},
	}
}

// Store runs the conformance suite against stores made by newStore; each call must
// return an empty store.
func Store(t *testing.T, newStore func(t *testing.T) review.Store) {
	t.Helper()
	ctx := context.Background()

	t.Run("GetMissing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Get(ctx, "rv-missing"); !errors.Is(err, review.ErrNotFound) {
			t.Fatalf("Get(missing) error = %v, want ErrNotFound", err)
		}
	})

	t.Run("RoundTrip", func(t *testing.T) {
		s := newStore(t)
		c := sampleCase("rv-a", "app-1", "r1", review.StateInReview, base)
		v, err := s.Put(ctx, c)
		if err != nil {
			t.Fatalf("Put(new case, Version 0) error = %v", err)
		}
		if v != 1 {
			t.Errorf("Put(new case, Version 0) = version %d, want 1", v)
		}
		if c.Version != 0 {
			t.Errorf("Put changed its argument's Version to %d; it must report the new version, not set it", c.Version)
		}
		want := c.Clone()
		want.Version = 1
		got, err := s.Get(ctx, "rv-a")
		if err != nil {
			t.Fatalf("Get error = %v", err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Get after Put mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("VersionConflict", func(t *testing.T) {
		s := newStore(t)
		c := sampleCase("rv-b", "app-1", "r1", review.StateInReview, time.Time{})
		if v, err := s.Put(ctx, c); err != nil || v != 1 {
			t.Fatalf("Put(new case, Version 0) = %d, %v; want 1, nil", v, err)
		}
		// Version is the version the writer read: the stored case is at version 1.
		tests := []struct {
			name    string
			version uint64
			want    error
			stored  uint64 // the version Put reports on success
		}{
			{"create existing", 0, store.ErrConflict, 0},
			{"ahead of the stored version", 2, store.ErrConflict, 0},
			{"read version", 1, nil, 2},
			{"stale version", 1, store.ErrConflict, 0},
			{"after update", 2, nil, 3},
		}
		for _, tt := range tests {
			n := c.Clone()
			n.Version = tt.version
			n.Note = tt.name
			v, err := s.Put(ctx, n)
			if tt.want == nil {
				if err != nil || v != tt.stored {
					t.Errorf("Put(Version %d) (%s) = %d, %v; want %d, nil", tt.version, tt.name, v, err, tt.stored)
				}
			} else if !errors.Is(err, tt.want) {
				t.Errorf("Put(Version %d) (%s) error = %v, want one matching store.ErrConflict", tt.version, tt.name, err)
			}
			if n.Version != tt.version {
				t.Errorf("Put(Version %d) (%s) changed its argument's Version to %d", tt.version, tt.name, n.Version)
			}
		}
		got, err := s.Get(ctx, "rv-b")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != 3 || got.Note != "after update" {
			t.Errorf("stored version %d note %q, want 3 %q", got.Version, got.Note, "after update")
		}
		for _, version := range []uint64{1, 2} {
			n := c.Clone()
			n.ID, n.Version = "rv-new", version
			if _, err := s.Put(ctx, n); !errors.Is(err, store.ErrConflict) {
				t.Errorf("Put(missing case, Version %d) error = %v, want one matching store.ErrConflict", version, err)
			}
		}
		if _, err := s.Get(ctx, "rv-new"); !errors.Is(err, review.ErrNotFound) {
			t.Errorf("a refused Put created the case: Get error = %v, want ErrNotFound", err)
		}
	})

	t.Run("NoSharedMemory", func(t *testing.T) {
		s := newStore(t)
		c := sampleCase("rv-c", "app-1", "r1", review.StateInReview, time.Time{})
		v, err := s.Put(ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		want := c.Clone()
		want.Version = v
		c.Application.Materials[0].Kind = "changed"
		c.History[0].Reasons[0] = "changed"
		c.Outbox[0].Key = "changed"
		c.Reasons[0] = "changed"
		got, err := s.Get(ctx, "rv-c")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("stored case changed through the Put argument (-want +got):\n%s", diff)
		}
		got.History[0].Actor = "changed"
		got.Application.Materials[0].Ref = "changed"
		again, err := s.Get(ctx, "rv-c")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, again, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("stored case changed through a Get result (-want +got):\n%s", diff)
		}
	})

	t.Run("ConcurrentCompareAndSwap", func(t *testing.T) {
		s := newStore(t)
		c := sampleCase("rv-d", "app-1", "r1", review.StateInReview, time.Time{})
		c.Attempt = 0
		if _, err := s.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
		// Every goroutine increments Attempt with read-modify-write and retries on
		// conflict; a store that loses an update ends below the total.
		const workers, perWorker = 8, 25
		var wg sync.WaitGroup
		var conflicts atomic.Int64
		errc := make(chan error, workers)
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range perWorker {
					for {
						cur, err := s.Get(ctx, "rv-d")
						if err != nil {
							errc <- err
							return
						}
						cur.Attempt++
						_, err = s.Put(ctx, cur)
						if err == nil {
							break
						}
						if !errors.Is(err, store.ErrConflict) {
							errc <- err
							return
						}
						conflicts.Add(1)
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("concurrent update error = %v", err)
		}
		got, err := s.Get(ctx, "rv-d")
		if err != nil {
			t.Fatal(err)
		}
		if got.Attempt != workers*perWorker || got.Version != workers*perWorker+1 {
			t.Errorf("after %d concurrent increments: Attempt=%d Version=%d, want %d and %d (lost updates)",
				workers*perWorker, got.Attempt, got.Version, workers*perWorker, workers*perWorker+1)
		}

		// Racing writers of one version: exactly one wins.
		var wins atomic.Int64
		start := got.Clone()
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n := start.Clone()
				n.Note = fmt.Sprint("writer ", i)
				if _, err := s.Put(ctx, n); err == nil {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d writers that read version %d succeeded, want exactly 1", wins.Load(), start.Version)
		}
	})

	t.Run("PutAssigned", func(t *testing.T) {
		s := newStore(t)
		// r1 works on rv-1 and rv-2; approved and supplement-requested cases and r2's
		// case do not count: r1's load is 2.
		for _, c := range []*review.Case{
			sampleCase("rv-1", "app-1", "r1", review.StateInReview, time.Time{}),
			sampleCase("rv-2", "app-2", "r1", review.StateResubmitted, time.Time{}),
			sampleCase("rv-3", "app-3", "r1", review.StateApproved, time.Time{}),
			sampleCase("rv-4", "app-4", "r1", review.StateSupplementRequested, time.Time{}),
			sampleCase("rv-5", "app-5", "r2", review.StateInReview, time.Time{}),
		} {
			if _, err := s.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		get := func(id string) *review.Case {
			t.Helper()
			c, err := s.Get(ctx, id)
			if err != nil {
				t.Fatalf("Get(%s) error = %v", id, err)
			}
			return c
		}
		fresh := sampleCase("rv-6", "app-6", "r1", review.StateInReview, time.Time{})
		if _, err := s.PutAssigned(ctx, fresh, 2); !errors.Is(err, review.ErrNoReviewer) {
			t.Errorf("PutAssigned(new case, r1 at load 2, capacity 2) error = %v, want one matching review.ErrNoReviewer", err)
		}
		if _, err := s.Get(ctx, "rv-6"); !errors.Is(err, review.ErrNotFound) {
			t.Errorf("a PutAssigned refused for capacity wrote the case: Get error = %v, want ErrNotFound", err)
		}
		if v, err := s.PutAssigned(ctx, fresh, 3); err != nil || v != 1 {
			t.Errorf("PutAssigned(new case, r1 at load 2, capacity 3) = %d, %v; want 1, nil", v, err)
		}
		moved := get("rv-5")
		moved.Reviewer = "r1"
		if _, err := s.PutAssigned(ctx, moved, 3); !errors.Is(err, review.ErrNoReviewer) {
			t.Errorf("PutAssigned(reassign to r1 at load 3, capacity 3) error = %v, want one matching review.ErrNoReviewer", err)
		}
		if got := get("rv-5"); got.Reviewer != "r2" || got.Version != 1 {
			t.Errorf("a PutAssigned refused for capacity changed the case: reviewer %q version %d, want r2 1", got.Reviewer, got.Version)
		}
		// The case being written never counts against itself.
		again := get("rv-1")
		again.Note = "same reviewer, written again"
		if v, err := s.PutAssigned(ctx, again, 3); err != nil || v != 2 {
			t.Errorf("PutAssigned(r1's own case, r1 at load 3, capacity 3) = %d, %v; want 2, nil", v, err)
		}
		stale := get("rv-1")
		stale.Version = 1
		if _, err := s.PutAssigned(ctx, stale, 10); !errors.Is(err, store.ErrConflict) {
			t.Errorf("PutAssigned(stale version) error = %v, want one matching store.ErrConflict", err)
		}
		// A decision frees a slot.
		done := get("rv-1")
		done.State = review.StateApproved
		if _, err := s.Put(ctx, done); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PutAssigned(ctx, moved, 3); err != nil {
			t.Errorf("PutAssigned(reassign to r1 at load 2, capacity 3) error = %v, want nil", err)
		}
		load, err := s.List(ctx, review.Query{Reviewer: "r1", States: []review.State{review.StateInReview, review.StateResubmitted}})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, c := range load {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff([]string{"rv-2", "rv-5", "rv-6"}, ids); diff != "" {
			t.Errorf("r1's cases in review mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("PutAssignedConcurrent", func(t *testing.T) {
		s := newStore(t)
		// Every worker assigns its own new case to r1 at the same instant; a store
		// that counts the load and writes in two steps lets more than capacity in.
		const workers, capacity = 16, 3
		var wg sync.WaitGroup
		var wins atomic.Int64
		start := make(chan struct{})
		errc := make(chan error, workers)
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := sampleCase(fmt.Sprintf("rv-%02d", i), fmt.Sprint("app-", i), "r1", review.StateInReview, time.Time{})
				<-start
				_, err := s.PutAssigned(ctx, c, capacity)
				switch {
				case err == nil:
					wins.Add(1)
				case !errors.Is(err, review.ErrNoReviewer):
					errc <- err
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("concurrent PutAssigned error = %v, want nil or one matching review.ErrNoReviewer", err)
		}
		got, err := s.List(ctx, review.Query{Reviewer: "r1"})
		if err != nil {
			t.Fatal(err)
		}
		if wins.Load() != capacity || len(got) != capacity {
			t.Errorf("%d concurrent assignments to a reviewer with capacity %d: %d succeeded, %d stored; want exactly %d",
				workers, capacity, wins.Load(), len(got), capacity)
		}
	})

	t.Run("List", func(t *testing.T) {
		s := newStore(t)
		cases := []*review.Case{
			sampleCase("rv-3", "app-1", "r1", review.StateInReview, base.Add(2*time.Hour)),
			sampleCase("rv-1", "app-1", "", review.StateApproved, base.Add(time.Hour)),
			sampleCase("rv-2", "app-2", "r1", review.StateResubmitted, time.Time{}),
			sampleCase("rv-4", "app-2", "r2", review.StateInReview, base),
		}
		for _, c := range cases {
			if _, err := s.Put(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			q    review.Query
			want []string
		}{
			{"all", review.Query{}, []string{"rv-1", "rv-2", "rv-3", "rv-4"}},
			{"applicant", review.Query{Applicant: "app-1"}, []string{"rv-1", "rv-3"}},
			{"unknown applicant", review.Query{Applicant: "app-9"}, nil},
			{"reviewer", review.Query{Reviewer: "r1"}, []string{"rv-2", "rv-3"}},
			{"states", review.Query{States: []review.State{review.StateInReview, review.StateApproved}}, []string{"rv-1", "rv-3", "rv-4"}},
			{"wake", review.Query{WakeBefore: base.Add(time.Hour)}, []string{"rv-1", "rv-4"}},
			{"wake exact", review.Query{WakeBefore: base}, []string{"rv-4"}},
			{"combined", review.Query{Applicant: "app-2", Reviewer: "r1", States: []review.State{review.StateResubmitted}}, []string{"rv-2"}},
		}
		for _, tt := range tests {
			got, err := s.List(ctx, tt.q)
			if err != nil {
				t.Fatalf("List(%s) error = %v", tt.name, err)
			}
			var ids []string
			for _, c := range got {
				ids = append(ids, c.ID)
			}
			if diff := cmp.Diff(tt.want, ids, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("List(%s) mismatch (-want +got):\n%s", tt.name, diff)
			}
			if counter, ok := s.(review.Counter); ok {
				n, err := counter.Count(ctx, tt.q)
				if err != nil || n != len(tt.want) {
					t.Errorf("Count(%s) = %d, %v; want %d", tt.name, n, err, len(tt.want))
				}
			}
		}
		// An update moves a case between query results.
		c, err := s.Get(ctx, "rv-3")
		if err != nil {
			t.Fatal(err)
		}
		c.State = review.StateApproved
		c.Reviewer = "r2"
		if _, err := s.Put(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := s.List(ctx, review.Query{Reviewer: "r2", States: []review.State{review.StateApproved}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].ID != "rv-3" {
			t.Errorf("List after update = %v, want [rv-3]", got)
		}
	})
}
