package storetest

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/store"
)

// RunDifferential runs one pseudo-random sequence of claims, takes and resets against
// guard and attempts and against the in-memory defaults, and requires identical results.
// The sequence comes from math/rand/v2 PCG with fixed seeds: a few keys, times moving
// forward by steps from nanoseconds to hours, from bases in 1999, 2026 and 2090, rules
// whose ends pass the year 2262 (where the in-memory store caps them) and times to live of
// exactly 1e8 ms (a number a Lua script might print as "1e+08"). Keys are under a fresh
// prefix, so one backend may be shared with other tests.
func RunDifferential(t *testing.T, guard store.ReplayGuard, attempts store.AttemptStore) {
	t.Helper()
	ctx := context.Background()
	prefix := fmt.Sprintf("storetest-diff/%d/", time.Now().UnixNano())
	steps := []time.Duration{time.Nanosecond, time.Millisecond, time.Second, time.Minute, 7 * time.Minute, time.Hour}
	rules := []store.AttemptRule{
		{Limit: 1, Window: time.Minute},
		{Limit: 3, Window: 5 * time.Minute, Cooloff: 10 * time.Minute},
		{Limit: 2, Window: time.Hour, Cooloff: time.Minute}, // cool-off shorter than the window
		{Limit: 2, Window: time.Duration(math.MaxInt64)},
		{Limit: 1, Window: time.Minute, Cooloff: time.Duration(math.MaxInt64)},
		{Limit: 2, Window: 100_000 * time.Second, Cooloff: 100_000 * time.Second},
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
			for i := range 400 {
				now = now.Add(time.Duration(rng.IntN(3)) * steps[rng.IntN(len(steps))])
				key := fmt.Sprintf("%s%d/k%d", prefix, base.Year(), rng.IntN(4))
				switch op := rng.IntN(10); {
				case op < 4:
					exp := now.Add(lifetimes[rng.IntN(len(lifetimes))])
					want, _ := mg.Claim(ctx, key, now, exp)
					got, err := guard.Claim(ctx, key, now, exp)
					if err != nil {
						t.Fatalf("#%d Claim: %v", i, err)
					}
					if got != want {
						t.Fatalf("#%d Claim(%s, %v, %v) = %v, memory says %v", i, key, now, exp, got, want)
					}
				case op < 9:
					r := rules[rng.IntN(len(rules))]
					want, _ := ms.Take(ctx, key, now, r)
					got, err := attempts.Take(ctx, key, now, r)
					if err != nil {
						t.Fatalf("#%d Take: %v", i, err)
					}
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("#%d Take(%s, %v, %+v) mismatch with memory (-memory +adapter):\n%s", i, key, now, r, diff)
					}
				default:
					ms.Reset(ctx, key)
					if err := attempts.Reset(ctx, key); err != nil {
						t.Fatalf("#%d Reset: %v", i, err)
					}
				}
			}
		})
	}
}
