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

func TestMemoryAttemptStoreConformance(t *testing.T) {
	storetest.RunAttemptStore(t, func(*testing.T) store.AttemptStore { return store.NewMemoryAttemptStore() })
}

func TestMemoryDropsStaleEntries(t *testing.T) {
	s := store.NewMemoryAttemptStore()
	ctx := context.Background()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	r := store.AttemptRule{Limit: 1, Window: time.Second, Cooloff: time.Second}
	for i := range 10000 {
		if res, _ := s.Take(ctx, strconv.Itoa(i), t0.Add(time.Duration(i)*time.Second), r); !res.Allowed {
			t.Fatalf("fresh key %d refused", i)
		}
	}
	// Every key but the last few is past its window and cool-off; sweeping keeps the
	// map near the live set (at most 64 entries per shard between sweeps).
	if n := store.Size(s); n > 32*64+10 {
		t.Errorf("Memory holds %d entries after 10000 short-lived keys; stale entries are not being dropped", n)
	}
	// The first key must count afresh.
	if res, _ := s.Take(ctx, "0", t0.Add(time.Hour), r); !res.Allowed {
		t.Fatalf("stale key refused: %+v", res)
	}
}

func ExampleMemoryAttemptStore() {
	s := store.NewMemoryAttemptStore()
	rule := store.AttemptRule{Limit: 2, Window: 3 * time.Minute, Cooloff: 30 * time.Minute}
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	for range 3 {
		res, _ := s.Take(context.Background(), "subject", now, rule)
		fmt.Println(res.Allowed, res.Remaining, res.RetryAt.UTC().Format("15:04"))
	}
	// Output:
	// true 1 00:00
	// true 0 09:30
	// false 0 09:30
}

func BenchmarkMemoryTakeParallel(b *testing.B) {
	s := store.NewMemoryAttemptStore()
	ctx := context.Background()
	now := time.Now()
	r := store.AttemptRule{Limit: 5, Window: 3 * time.Minute, Cooloff: 30 * time.Minute}
	var worker atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		prefix := strconv.FormatInt(worker.Add(1), 10) + "/"
		i := 0
		for pb.Next() {
			s.Take(ctx, prefix+strconv.Itoa(i%1024), now, r)
			i++
		}
	})
}
