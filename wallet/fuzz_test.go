package wallet

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/trustid/trustid/internal/seal"
)

// encodedFixture returns the encoded wallet of the linked fixture.
func encodedFixture(t testing.TB) []byte {
	e := newEnv(t, nil)
	e.link(t)
	hk, _, _ := e.w.holderKey("fuzz", ref, testNow)
	rec, err := e.store.Load(context.Background(), hk)
	if err != nil {
		t.Fatal(err)
	}
	return rec.Data
}

// FuzzDecodeState checks that the decoder of the stored wallet format never panics,
// fails only with ErrCorrupt, and that what it accepts re-encodes to an equal wallet.
func FuzzDecodeState(f *testing.F) {
	good := encodedFixture(f)
	f.Add(good)
	f.Add([]byte(`{"format":1,"credentials":[],"history":[]}`))
	f.Add([]byte(`{"format":2,"credentials":[],"history":[]}`))
	f.Add([]byte(`{"format":1,"credentials":[{"kind":"id-card","status":"active","level":"high","handle":"h"}],"history":[],"presentations":[{"key":"k","handle":"h"}]}`))
	f.Add([]byte(`{"format":1,"credentials":[],"history":[],"decisions":[{"key":"","until":"2026-11-23T08:10:00Z"}]}`))
	f.Add([]byte(`{"format":1,"credentials":[],"history":[],"decisions":[{"key":"d","until":"2026-11-23T08:10:00Z"}]}`))
	f.Add([]byte(`{"format":1} {}`))
	f.Add([]byte(`{"format":1,"unknown":true}`))
	f.Add([]byte(``))
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeState(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("decodeState error %v does not match ErrCorrupt", err)
			}
			return
		}
		enc, err := st.encode()
		if err != nil {
			t.Fatalf("accepted state does not encode: %v", err)
		}
		st2, err := decodeState(enc)
		if err != nil {
			t.Fatalf("re-encoded state does not decode: %v", err)
		}
		// Encoding is deterministic, so an equal wallet re-encodes to equal bytes.
		enc2, err := st2.encode()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Errorf("round trip mismatch (-first +second):\n%s", cmp.Diff(st, st2, cmpopts.EquateEmpty()))
		}
	})
}

// FuzzSealedOpen checks that opening a sealed record never panics, fails only with
// ErrNotAuthentic, and never accepts anything but the sealed records themselves.
func FuzzSealedOpen(f *testing.F) {
	ss, err := NewSealedStore(NewMemoryStore(), key1, key2)
	if err != nil {
		f.Fatal(err)
	}
	sl, err := seal.New(sealPurpose, key1)
	if err != nil {
		f.Fatal(err)
	}
	// A fixed nonce source: fuzz workers run this setup in their own processes and must
	// build the same records as the coordinator. (Never do this outside a test.)
	nonces := bytes.NewReader(bytes.Repeat([]byte{0x5a}, 2*24))
	good, err := sl.Seal(sealPayload("holder", []byte(`{"format":1}`)), sealNever, nonces)
	if err != nil {
		f.Fatal(err)
	}
	empty, err := sl.Seal(sealPayload("holder", nil), sealNever, nonces)
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(good))
	f.Add([]byte(empty))
	f.Add([]byte(good[:40]))
	f.Add([]byte("B" + good[1:]))
	f.Add([]byte{1, 0, 0, 0, 9})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		data, id, err := ss.open("holder", b)
		if err != nil {
			if !errors.Is(err, ErrNotAuthentic) {
				t.Fatalf("open error %v does not match ErrNotAuthentic", err)
			}
			return
		}
		if string(b) != good && string(b) != empty {
			t.Fatalf("opened a record the sealer never made (key %d, %q)", id, data)
		}
	})
}
