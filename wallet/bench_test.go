package wallet

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
)

// BenchmarkLink measures Link of the eight-credential fixture with a decision token:
// into an empty wallet (opening the decision, validation, HMACs, encoding, one save) and
// again into a linked one (load, decode, compare, and a save that records the decision
// as used; the previous one has expired and is dropped). The source and store are in
// memory; making each fresh decision is not timed.
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
			e.clk.t = e.clk.t.Add(11 * time.Minute) // the last decision expires and is dropped
			d := decide(b, e.clk.now, holderID, verify.LevelRealPerson).Token
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

// BenchmarkPresent measures Present of the ID card for an internet cafe with n live
// presentations already in the wallet, up to one below Config.MaxPresentations: the
// cap bounds the record, so the cost does not grow with how often the holder presented.
// record-B is the encoded wallet's size. Resetting the live count is not timed.
func BenchmarkPresent(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{0, 32, 63} {
		b.Run(fmt.Sprint("live=", n), func(b *testing.B) {
			e := newEnv(b, withIssuer(b))
			e.link(b)
			h := e.current(b, verify.KindIDCard).Handle
			hk, _, _ := e.w.holderKey("bench", ref, testNow)
			keep := func(st *state) (bool, error) {
				for len(st.Presentations) < n {
					st.Presentations = append(st.Presentations, presentation{Key: fmt.Sprintf("k%043d", len(st.Presentations)),
						Handle: h, Purpose: "internet-cafe", Expires: testNow.Add(time.Hour)})
				}
				st.Presentations = st.Presentations[:n]
				return true, nil
			}
			if err := e.w.update(ctx, "bench", hk, false, keep); err != nil {
				b.Fatal(err)
			}
			req := PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.w.Present(ctx, req); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := e.w.update(ctx, "bench", hk, false, keep); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			rec, err := e.store.Load(ctx, hk)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(len(rec.Data)), "record-B")
		})
	}
}
