package wallet

import (
	"context"
	"testing"

	"github.com/trustid/trustid/verify"
)

// BenchmarkLink measures Link of the eight-credential fixture with a decision token:
// into an empty wallet (opening the decision, validation, HMACs, encoding, one save) and
// again into a linked one (load, decode, compare, and a save that records the decision
// as used). The source and store are in memory; making each fresh decision is not timed.
func BenchmarkLink(b *testing.B) {
	ctx := context.Background()
	d := pass(b, verify.LevelRealPerson)
	b.Run("first", func(b *testing.B) {
		e := newEnv(b, nil)
		b.ReportAllocs()
		for b.Loop() {
			e.w.cfg.Store = NewMemoryStore()
			if _, err := e.w.Link(ctx, LinkRequest{Decision: d, Holder: ref}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("again", func(b *testing.B) {
		e := newEnv(b, nil)
		e.link(b)
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			d := pass(b, verify.LevelRealPerson)
			b.StartTimer()
			if _, err := e.w.Link(ctx, LinkRequest{Decision: d, Holder: ref}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSealedRoundTrip measures Save then Load of a linked eight-credential wallet
// record through NewSealedStore over the memory store: XChaCha20-Poly1305 seal and open.
func BenchmarkSealedRoundTrip(b *testing.B) {
	ctx := context.Background()
	e := newEnv(b, nil)
	e.link(b)
	hk, _, _ := e.w.holderKey("bench", ref, testNow)
	rec, err := e.store.Load(ctx, hk)
	if err != nil {
		b.Fatal(err)
	}
	s, err := NewSealedStore(NewMemoryStore(), key1)
	if err != nil {
		b.Fatal(err)
	}
	rec.Version = 0
	b.SetBytes(int64(len(rec.Data)))
	b.ReportAllocs()
	for b.Loop() {
		v, err := s.Save(ctx, rec)
		if err != nil {
			b.Fatal(err)
		}
		rec.Version = v
		if _, err := s.Load(ctx, hk); err != nil {
			b.Fatal(err)
		}
	}
}
