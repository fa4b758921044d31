package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
)

// TestPurge: Purge deletes exactly the expired replay claims, attempt counts, asked
// facts and hand-offs, and the answers stay what they were.
func TestPurge(t *testing.T) {
	s, pool := newStore(t)
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	rule := store.AttemptRule{Limit: 3, Window: time.Minute}
	asked := s.AskedStore()
	for _, k := range []string{"short-1", "short-2"} {
		if first, err := s.Claim(ctx, k, now, now.Add(time.Minute)); !first || err != nil {
			t.Fatal(first, err)
		}
		if _, err := s.Take(ctx, k, now, rule); err != nil {
			t.Fatal(err)
		}
		if ok, err := asked.Claim(ctx, k, []string{"id-1", "id-2"}, now, now.Add(time.Minute)); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	if first, err := s.Claim(ctx, "long", now, now.Add(time.Hour)); !first || err != nil {
		t.Fatal(first, err)
	}
	hs, err := s.HandoffStore()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"short-1", "short-2"} {
		if err := hs.Put(ctx, k, "redirect", now, now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if err := hs.Put(ctx, "long", "redirect", now, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, now.Add(2*time.Minute))
	if err != nil {
		t.Fatalf("Purge error = %v", err)
	}
	// Two replay rows, two attempt rows, four asked IDs and their two key rows, two
	// hand-offs.
	if n != 12 {
		t.Errorf("Purge deleted %d rows, want 12", n)
	}
	var left int
	if err := pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM trustid_replay) + (SELECT count(*) FROM trustid_attempts)
	+ (SELECT count(*) FROM trustid_asked) + (SELECT count(*) FROM trustid_asked_keys)
	+ (SELECT count(*) FROM trustid_relyingparty_handoffs)`).Scan(&left); err != nil {
		t.Fatal(err)
	}
	if left != 2 {
		t.Errorf("%d rows left after Purge, want 2 (the unexpired claim and hand-off)", left)
	}
	if v, found, err := hs.Take(ctx, "long", now.Add(2*time.Minute)); !found || err != nil || v != "redirect" {
		t.Errorf("Take(unexpired hand-off) after Purge = %q, %v, %v; want its value", v, found, err)
	}
	if first, err := s.Claim(ctx, "long", now.Add(2*time.Minute), now.Add(time.Hour)); first || err != nil {
		t.Errorf("Claim(unexpired key) after Purge = %v, %v; want false (Purge kept it)", first, err)
	}
	if n, err := s.Purge(ctx, now.Add(2*time.Minute)); n != 0 || err != nil {
		t.Errorf("Purge again = %d, %v; want 0, nil", n, err)
	}
}
