package quiztest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/quiz"
)

// AskedStoreDifferential runs one pseudo-random sequence of Claims and Askeds against s
// and against quiz.MemoryAskedStore, and requires identical results: few keys and IDs, so
// that claims overlap, and times moving forward by random steps (math/rand/v2 PCG, fixed
// seed). Keys are under a fresh prefix, so one backend may be shared with other tests.
func AskedStoreDifferential(t *testing.T, s quiz.AskedStore) {
	t.Helper()
	ctx := context.Background()
	prefix := fmt.Sprintf("quiztest-diff/%d/", time.Now().UnixNano())
	mem := quiz.NewMemoryAskedStore()
	rng := rand.New(rand.NewPCG(13, 5))
	steps := []time.Duration{0, time.Nanosecond, time.Millisecond, time.Minute, time.Hour}
	lifetimes := []time.Duration{0, time.Nanosecond, time.Minute, time.Hour, 7 * 24 * time.Hour}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	for i := range 600 {
		now = now.Add(steps[rng.IntN(len(steps))])
		key := fmt.Sprintf("%sk%d", prefix, rng.IntN(3))
		if rng.IntN(3) == 0 {
			want, _ := mem.Asked(ctx, key, now)
			got, err := s.Asked(ctx, key, now)
			if err != nil {
				t.Fatalf("#%d Asked: %v", i, err)
			}
			slices.Sort(want)
			slices.Sort(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("#%d Asked(%s, %v) mismatch (-memory +adapter):\n%s", i, key, now, diff)
			}
			continue
		}
		ids := make([]string, rng.IntN(4))
		for j := range ids {
			ids[j] = fmt.Sprintf("id%d", rng.IntN(12))
		}
		exp := now.Add(lifetimes[rng.IntN(len(lifetimes))])
		want, _ := mem.Claim(ctx, key, ids, now, exp)
		got, err := s.Claim(ctx, key, ids, now, exp)
		if err != nil {
			t.Fatalf("#%d Claim: %v", i, err)
		}
		if got != want {
			t.Fatalf("#%d Claim(%s, %q, %v, %v) = %v, memory says %v", i, key, ids, now, exp, got, want)
		}
	}
}
