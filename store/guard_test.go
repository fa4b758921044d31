package store_test

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/store/storetest"
)

func TestMemoryReplayGuardConformance(t *testing.T) {
	storetest.RunReplayGuard(t, func(*testing.T) store.ReplayGuard { return store.NewMemoryReplayGuard() })
}

func TestMemoryForgetsExpired(t *testing.T) {
	g := store.NewMemoryReplayGuard()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 10000 {
		now := t0.Add(time.Duration(i) * time.Second)
		if ok, _ := g.Claim(ctx, strconv.Itoa(i), now, now.Add(10*time.Second)); !ok {
			t.Fatalf("fresh key %d refused", i)
		}
	}
	// Only keys from the last ten seconds are live; sweeping keeps the map near that size.
	if n := g.Len(); n > 32*64+10 {
		t.Errorf("Len = %d after 10000 short-lived keys; expired keys are not being dropped", n)
	}
}

func ExampleMemoryReplayGuard() {
	g := store.NewMemoryReplayGuard()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for range 2 {
		first, err := g.Claim(context.Background(), "digest-of-code", now, now.Add(time.Minute))
		fmt.Println(first, err)
	}
	// Output:
	// true <nil>
	// false <nil>
}

func BenchmarkMemoryClaimParallel(b *testing.B) {
	g := store.NewMemoryReplayGuard()
	ctx := context.Background()
	now := time.Now()
	b.ReportAllocs()
	var worker atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		// Each goroutine claims its own fresh keys: the figure is the cost of a first use.
		prefix := strconv.FormatInt(worker.Add(1), 10) + "/"
		i := 0
		for pb.Next() {
			g.Claim(ctx, prefix+strconv.Itoa(i), now, now.Add(time.Minute))
			i++
		}
	})
}

// The differential suite runs against the memory stores themselves: it must pass, and it
// exercises the suite's own sequence on every run.
func TestMemoryDifferential(t *testing.T) {
	storetest.RunDifferential(t, store.NewMemoryReplayGuard(), store.NewMemoryAttemptStore())
}
