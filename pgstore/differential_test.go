package pgstore

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/store"
)

// TestMatchesMemory runs one pseudo-random sequence of claims, takes and resets (math/rand/v2
// PCG, fixed seed: a few keys, times moving forward by steps from nanoseconds to hours,
// from bases in 1999, 2026 and 2090, rules whose ends pass the year 2262) against the
// in-memory defaults and PostgreSQL, and requires identical results.
func TestMatchesMemory(t *testing.T) {
	s, _ := newStore(t)
	ctx := context.Background()
	steps := []time.Duration{time.Nanosecond, time.Millisecond, time.Second, time.Minute, 7 * time.Minute, time.Hour}
	rules := []store.AttemptRule{
		{Limit: 1, Window: time.Minute},
		{Limit: 3, Window: 5 * time.Minute, Cooloff: 10 * time.Minute},
		{Limit: 2, Window: time.Hour, Cooloff: time.Minute},
		{Limit: 2, Window: time.Duration(math.MaxInt64)},
		{Limit: 1, Window: time.Minute, Cooloff: time.Duration(math.MaxInt64)},
	}
	lifetimes := []time.Duration{0, time.Minute, time.Minute + time.Nanosecond, 10 * time.Minute, 100_000 * time.Second}
	for _, base := range []time.Time{
		time.Date(1999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC),
		time.Date(2090, 1, 1, 0, 0, 0, 1, time.UTC),
	} {
		t.Run(base.Format("2006"), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(base.Year()), 10))
			mg, ms := store.NewMemoryReplayGuard(), store.NewMemoryAttemptStore()
			now := base
			for i := range 300 {
				now = now.Add(time.Duration(rng.IntN(3)) * steps[rng.IntN(len(steps))])
				key := fmt.Sprintf("%d/k%d", base.Year(), rng.IntN(4))
				switch op := rng.IntN(10); {
				case op < 4:
					exp := now.Add(lifetimes[rng.IntN(len(lifetimes))])
					want, _ := mg.Claim(ctx, key, now, exp)
					got, err := s.Claim(ctx, key, now, exp)
					if err != nil {
						t.Fatalf("#%d Claim: %v", i, err)
					}
					if got != want {
						t.Fatalf("#%d Claim(%s, %v, %v) = %v, memory says %v", i, key, now, exp, got, want)
					}
				case op < 9:
					r := rules[rng.IntN(len(rules))]
					want, _ := ms.Take(ctx, key, now, r)
					got, err := s.Take(ctx, key, now, r)
					if err != nil {
						t.Fatalf("#%d Take: %v", i, err)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("#%d Take(%s, %v, %+v) mismatch with memory (-memory +postgres):\n%s", i, key, now, r, diff)
					}
				default:
					ms.Reset(ctx, key)
					if err := s.Reset(ctx, key); err != nil {
						t.Fatalf("#%d Reset: %v", i, err)
					}
				}
			}
		})
	}
}

// TestAskedMatchesMemory does the same for the asked store against quiz's memory store.
func TestAskedMatchesMemory(t *testing.T) {
	s, _ := newStore(t)
	a := s.AskedStore()
	ctx := context.Background()
	mem := quiz.NewMemoryAskedStore()
	rng := rand.New(rand.NewPCG(13, 5))
	steps := []time.Duration{0, time.Nanosecond, time.Millisecond, time.Minute, time.Hour}
	lifetimes := []time.Duration{0, time.Nanosecond, time.Minute, time.Hour, 7 * 24 * time.Hour}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for i := range 400 {
		now = now.Add(steps[rng.IntN(len(steps))])
		key := fmt.Sprintf("k%d", rng.IntN(3))
		if rng.IntN(3) == 0 {
			want, _ := mem.Asked(ctx, key, now)
			got, err := a.Asked(ctx, key, now)
			if err != nil {
				t.Fatalf("#%d Asked: %v", i, err)
			}
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("#%d Asked(%s, %v) mismatch (-memory +postgres):\n%s", i, key, now, diff)
			}
			continue
		}
		ids := make([]string, rng.IntN(4))
		for j := range ids {
			ids[j] = fmt.Sprintf("id%d", rng.IntN(12))
		}
		exp := now.Add(lifetimes[rng.IntN(len(lifetimes))])
		want, _ := mem.Claim(ctx, key, ids, now, exp)
		got, err := a.Claim(ctx, key, ids, now, exp)
		if err != nil {
			t.Fatalf("#%d Claim: %v", i, err)
		}
		if got != want {
			t.Fatalf("#%d Claim(%s, %q, %v, %v) = %v, memory says %v", i, key, ids, now, exp, got, want)
		}
	}
}
