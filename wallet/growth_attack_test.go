package wallet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/verify"
)

// TestPresentLoopCapped: a holder presenting in a loop reaches Config.MaxPresentations
// live presentations and is refused beyond with ErrTooManyPresentations; the record
// stays small, a loss report still goes through at the cap and the codes of the card are
// then refused online; once the presentations expire, the holder presents again.
func TestPresentLoopCapped(t *testing.T) {
	ctx := context.Background()
	for _, sealed := range []bool{false, true} {
		t.Run(fmt.Sprint("sealed=", sealed), func(t *testing.T) {
			e := newEnv(t, func(c *Config) {
				withIssuer(t)(c)
				c.PresentationGrace = time.Hour // a long grace: presentations pile up
				if sealed {
					s, err := NewSealedStore(NewMemoryStore(), key1)
					if err != nil {
						t.Fatal(err)
					}
					c.Store = s
				}
			})
			e.link(t)
			id := e.current(t, verify.KindIDCard).Handle
			dl := e.current(t, verify.KindDriverLicence).Handle
			req := PresentRequest{Holder: ref, Handle: id, Purpose: qrtoken.PurposeInternetCafe()}
			var first Presentation
			for i := range 64 {
				p, err := e.w.Present(ctx, req)
				if err != nil {
					t.Fatalf("Present %d of 64: %v", i+1, err)
				}
				if i == 0 {
					first = p
				}
				e.clk.t = e.clk.t.Add(time.Second)
			}
			// Another credential of the same holder counts too: the cap is per holder.
			for _, h := range []Handle{id, dl} {
				_, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: h, Purpose: qrtoken.PurposeInternetCafe()})
				if !errors.Is(err, ErrTooManyPresentations) || ReasonOf(err) != ReasonTooManyPresentations {
					t.Fatalf("Present beyond the cap: error = %v, want ErrTooManyPresentations", err)
				}
			}
			if n := len(e.state(t).Presentations); n != 64 {
				t.Errorf("%d presentations stored, want 64", n)
			}
			if err := e.w.SetStatus(ctx, id, StatusReportedLost, "holder-app"); err != nil {
				t.Fatalf("SetStatus(reported lost) at the cap: %v", err)
			}
			if _, err := e.w.CheckPresented(ctx, first.Code.Text()); !errors.Is(err, ErrInactive) || ReasonOf(err) != ReasonReportedLost {
				t.Errorf("CheckPresented after the loss report: %v, want ErrInactive (reported_lost)", err)
			}
			// The first presentations expire (code expiry plus grace): their slots free,
			// and no more.
			e.clk.t = first.Code.Expires.Add(time.Hour + time.Nanosecond)
			freed := 0
			for ; freed <= 64; freed++ {
				_, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: dl, Purpose: qrtoken.PurposeInternetCafe()})
				if errors.Is(err, ErrTooManyPresentations) {
					break
				}
				if err != nil {
					t.Fatalf("Present once presentations expired: %v", err)
				}
			}
			if n := len(e.state(t).Presentations); freed == 0 || freed == 64 || n != 64 {
				t.Errorf("%d slots freed by the first window's expiry, %d presentations stored; want some, not all, and 64", freed, n)
			}
			// All of them expire: the record drops them.
			e.clk.t = e.clk.t.Add(2 * time.Hour)
			if _, err := e.w.Present(ctx, PresentRequest{Holder: ref, Handle: dl, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
				t.Errorf("Present after every presentation expired: %v", err)
			}
			if n := len(e.state(t).Presentations); n != 1 {
				t.Errorf("%d presentations stored after the others expired, want 1", n)
			}
		})
	}
}

// TestMaxPresentationsConfig: the cap is the configured one.
func TestMaxPresentationsConfig(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, func(c *Config) { withIssuer(t)(c); c.MaxPresentations = 2 })
	e.link(t)
	req := PresentRequest{Holder: ref, Handle: e.current(t, verify.KindIDCard).Handle, Purpose: qrtoken.PurposeInternetCafe()}
	for i := range 3 {
		_, err := e.w.Present(ctx, req)
		if (i < 2) != (err == nil) || i == 2 && !errors.Is(err, ErrTooManyPresentations) {
			t.Errorf("Present %d with a cap of 2: %v", i+1, err)
		}
	}
}

// TestRecordSizeLimit: the wallet never saves a record larger than it and the sealed
// store can read back. A change that would is refused with ErrRecordTooLarge and the
// stored record stays as it was, still loadable; a record of exactly the limit seals
// and opens.
func TestRecordSizeLimit(t *testing.T) {
	ctx := context.Background()
	s, err := NewSealedStore(NewMemoryStore(), key1)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.Store = s })
	e.link(t)
	before := e.state(t)
	hk, _, _ := e.w.holderKey("test", ref, testNow)
	// An operator's history grown to the limit (presentations and presented events are
	// capped; other events are not): pad the last entry so the next one overflows.
	err = e.w.update(ctx, "test", hk, false, func(st *state) (bool, error) {
		st.History = append(st.History, HistoryEntry{Type: HistoryRefreshed, Kind: verify.KindIDCard, Actor: "x", Detail: "d"})
		data, err := st.encode()
		if err != nil {
			return false, err
		}
		st.History[len(st.History)-1].Detail = string(bytes.Repeat([]byte{'d'}, 1+maxStateBytes-len(data)-16))
		return true, nil
	})
	if err != nil {
		t.Fatalf("saving a record just under the limit: %v", err)
	}
	rec, err := e.store.Load(ctx, hk)
	if err != nil {
		t.Fatalf("loading a record near the limit: %v", err)
	}
	if n := len(rec.Data); n > maxStateBytes || n < maxStateBytes-64 {
		t.Fatalf("test record of %d bytes, want just under %d", n, maxStateBytes)
	}
	h := e.current(t, verify.KindPassport).Handle
	err = e.w.SetStatus(ctx, h, StatusSuspended, "operator-with-a-long-name")
	if !errors.Is(err, ErrRecordTooLarge) || ReasonOf(err) != ReasonRecordTooLarge {
		t.Fatalf("a change past the limit: error = %v, want ErrRecordTooLarge", err)
	}
	after := e.state(t)
	if len(after.History) != len(before.History)+1 {
		t.Errorf("the refused change was saved")
	}
	if st, err := e.w.Status(ctx, h); err != nil || st != StatusActive {
		t.Errorf("Status after the refused change = %v, %v; want active, loadable", st, err)
	}
}

// TestSealedRecordFitsAtLimit: an encoded wallet of exactly maxStateBytes seals (the
// seal accepts at most 1 MiB) and opens again.
func TestSealedRecordFitsAtLimit(t *testing.T) {
	ctx := context.Background()
	s, err := NewSealedStore(NewMemoryStore(), key1)
	if err != nil {
		t.Fatal(err)
	}
	holder := (&Wallet{key: make([]byte, 32)}).mac("holder", holderID) // a holder key as long as a real one
	data := bytes.Repeat([]byte{'x'}, maxStateBytes)
	if _, err := s.Save(ctx, StoredWallet{Holder: holder, Data: data}); err != nil {
		t.Fatalf("sealing %d bytes: %v", len(data), err)
	}
	rec, err := s.Load(ctx, holder)
	if err != nil || !bytes.Equal(rec.Data, data) {
		t.Fatalf("opening: %v", err)
	}
}
