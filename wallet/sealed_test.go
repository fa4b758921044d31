package wallet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

var (
	key1 = store.Key{ID: 1, Secret: bytes.Repeat([]byte{0x11}, 32)}
	key2 = store.Key{ID: 2, Secret: bytes.Repeat([]byte{0x22}, 32)}
)

// sealedKeyID reads the key ID from a sealed record's header (the at-rest format of the
// package documentation), without authenticating it.
func sealedKeyID(t *testing.T, data []byte) uint32 {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(string(data))
	if err != nil || len(raw) < 5 || raw[0] != 1 {
		t.Fatalf("not a sealed record: %v", err)
	}
	return binary.BigEndian.Uint32(raw[1:5])
}

// personal lists substrings that must never appear in a sealed store's bytes.
func personal() map[string]string {
	return map[string]string{
		"name": testName, "latin name": testLatin, "id number": holderID, "id number head": holderID[:14],
		"address": testAddress, "address fragment": "建国路", "passport": testPassport, "hk permit": testHKPermit,
		"taiwan permit": testTWPermit, "plate": testPlate, "vin": testVIN, "archive": testArchive,
		"household": testHousehld, "relation": "户主", "birth date": "1990-03-07", "authority": "朝阳分局",
	}
}

// rawBytes concatenates everything the inner store holds for every holder.
func rawBytes(t *testing.T, inner *MemoryStore) []byte {
	t.Helper()
	var b bytes.Buffer
	hs, _ := inner.Holders(context.Background())
	for _, h := range hs {
		r, err := inner.Load(context.Background(), h)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(r.Holder)
		b.WriteString(strings.Join(r.Index, ","))
		b.Write(r.Data)
	}
	return b.Bytes()
}

func TestSealedAtRestHoldsNoPersonalData(t *testing.T) {
	inner := NewMemoryStore()
	sealed, err := NewSealedStore(inner, key1)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.Store = sealed; withIssuer(t)(c) })
	e.link(t)
	if _, err := e.w.Present(context.Background(), PresentRequest{Holder: ref, Handle: e.current(t, verify.KindIDCard).Handle, Purpose: qrtokenCafe}); err != nil {
		t.Fatal(err)
	}
	raw := rawBytes(t, inner)
	for what, s := range personal() {
		if bytes.Contains(raw, []byte(s)) {
			t.Errorf("sealed store bytes contain the %s", what)
		}
	}
	// The same assertion fails on the unsealed store: it is able to catch a leak.
	plain := newEnv(t, nil)
	plain.link(t)
	raw = rawBytes(t, plain.store.(*MemoryStore))
	for _, what := range []string{"name", "id number", "address", "passport", "vin"} {
		if !bytes.Contains(raw, []byte(personal()[what])) {
			t.Errorf("unsealed store lacks the %s: the leak check cannot fail", what)
		}
	}
	// Keys are HMACs even without sealing: no raw number in holder or index keys.
	hs, _ := plain.store.(*MemoryStore).Holders(context.Background())
	rec, _ := plain.store.Load(context.Background(), hs[0])
	keys := rec.Holder + strings.Join(rec.Index, ",")
	for what, s := range personal() {
		if strings.Contains(keys, s) {
			t.Errorf("store keys contain the %s", what)
		}
	}
}

func TestSealedRotation(t *testing.T) {
	ctx := context.Background()
	inner := NewMemoryStore()
	old, err := NewSealedStore(inner, key1)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, func(c *Config) { c.Store = old })
	e.link(t)
	hs, _ := inner.Holders(ctx)
	keyID := func() uint32 {
		r, err := inner.Load(ctx, hs[0])
		if err != nil {
			t.Fatal(err)
		}
		return sealedKeyID(t, r.Data)
	}
	if id := keyID(); id != 1 {
		t.Fatalf("sealed under key %d, want 1", id)
	}

	// New key first, old key still held: old records open.
	rotated, err := NewSealedStore(inner, key2, key1)
	if err != nil {
		t.Fatal(err)
	}
	e.w.cfg.Store = rotated
	before, err := e.w.Credentials(ctx, ref)
	if err != nil || len(before) != 8 {
		t.Fatalf("old record under the rotated store: %d credentials, %v", len(before), err)
	}
	n, err := rotated.RotateAll(ctx)
	if err != nil || n != 1 {
		t.Fatalf("RotateAll = %d, %v; want 1", n, err)
	}
	if id := keyID(); id != 2 {
		t.Errorf("after RotateAll sealed under key %d, want 2", id)
	}
	if n, err := rotated.RotateAll(ctx); err != nil || n != 0 {
		t.Errorf("second RotateAll = %d, %v; want 0", n, err)
	}

	// The old key can be dropped; a store with only the old key can no longer open.
	onlyNew, _ := NewSealedStore(inner, key2)
	e.w.cfg.Store = onlyNew
	after, err := e.w.Credentials(ctx, ref)
	if err != nil || len(after) != 8 {
		t.Errorf("rotated record under the new key only: %d credentials, %v", len(after), err)
	}
	onlyOld, _ := NewSealedStore(inner, key1)
	e.w.cfg.Store = onlyOld
	if _, err := e.w.Credentials(ctx, ref); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("rotated record under the retired key: error = %v, want ErrNotAuthentic", err)
	}

	// A write re-seals under the first key too.
	inner2 := NewMemoryStore()
	s1, _ := NewSealedStore(inner2, key1)
	e2 := newEnv(t, func(c *Config) { c.Store = s1 })
	e2.link(t)
	s21, _ := NewSealedStore(inner2, key2, key1)
	e2.w.cfg.Store = s21
	must(t, e2.w.SetStatus(ctx, e2.current(t, verify.KindPassport).Handle, StatusSuspended, "op"))
	hs2, _ := inner2.Holders(ctx)
	r, _ := inner2.Load(ctx, hs2[0])
	if id := sealedKeyID(t, r.Data); id != 2 {
		t.Errorf("record written after rotation sealed under key %d, want 2", id)
	}
}

func TestSealedTamper(t *testing.T) {
	ctx := context.Background()
	inner := NewMemoryStore()
	s, _ := NewSealedStore(inner, key1)
	data := []byte(`{"format":1,"credentials":[],"history":[]}`)
	if _, err := s.Save(ctx, StoredWallet{Holder: "alice", Data: data}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Save(ctx, StoredWallet{Holder: "bob", Data: data}); err != nil {
		t.Fatal(err)
	}
	good, _ := inner.Load(ctx, "alice")
	sealedBytes := good.Data

	put := func(b []byte) {
		r, _ := inner.Load(ctx, "alice")
		r.Data = b
		if _, err := inner.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	// Every single-bit flip.
	for i := range len(sealedBytes) * 8 {
		b := bytes.Clone(sealedBytes)
		b[i/8] ^= 1 << (i % 8)
		put(b)
		if _, err := s.Load(ctx, "alice"); !errors.Is(err, ErrNotAuthentic) {
			t.Fatalf("bit %d flipped: Load error = %v, want ErrNotAuthentic", i, err)
		}
	}
	// Truncation and extension.
	for _, b := range [][]byte{nil, sealedBytes[:1], sealedBytes[:len(sealedBytes)/2], sealedBytes[:len(sealedBytes)-1], append(bytes.Clone(sealedBytes), 0)} {
		put(b)
		if _, err := s.Load(ctx, "alice"); !errors.Is(err, ErrNotAuthentic) {
			t.Errorf("%d bytes: Load error = %v, want ErrNotAuthentic", len(b), err)
		}
	}
	// Bob's record moved into Alice's place.
	bob, _ := inner.Load(ctx, "bob")
	put(bob.Data)
	if _, err := s.Load(ctx, "alice"); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("swapped record: Load error = %v, want ErrNotAuthentic", err)
	}
	// Wrong key.
	put(sealedBytes)
	other, _ := NewSealedStore(inner, store.Key{ID: 1, Secret: bytes.Repeat([]byte{0x99}, 32)})
	if _, err := other.Load(ctx, "alice"); !errors.Is(err, ErrNotAuthentic) {
		t.Errorf("wrong key: Load error = %v, want ErrNotAuthentic", err)
	}
	// A value sealed with the same key for another purpose, even with a well-formed
	// payload for Alice.
	for _, purpose := range []string{"wallet/record/", "liveness/challenge", "wallet"} {
		sl, err := seal.New(purpose, key1)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := sl.Seal(sealPayload("alice", data), sealNever, rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		put([]byte(tok))
		if _, err := s.Load(ctx, "alice"); !errors.Is(err, ErrNotAuthentic) {
			t.Errorf("sealed for purpose %q: Load error = %v, want ErrNotAuthentic", purpose, err)
		}
	}
	// The attack tests can fail: the same construction for the wallet's purpose opens.
	sl, _ := seal.New(sealPurpose, key1)
	tok, _ := sl.Seal(sealPayload("alice", data), sealNever, rand.Reader)
	put([]byte(tok))
	if got, err := s.Load(ctx, "alice"); err != nil || !bytes.Equal(got.Data, data) {
		t.Errorf("record sealed for %q: %q, %v", sealPurpose, got.Data, err)
	}
	if got, err := s.Load(ctx, "alice"); err != nil || !bytes.Equal(got.Data, data) {
		t.Errorf("restored record: %q, %v", got.Data, err)
	}
}

func TestNewSealedStoreConfig(t *testing.T) {
	for _, tt := range []struct {
		name string
		keys []store.Key
	}{
		{"no keys", nil},
		{"short secret", []store.Key{{ID: 1, Secret: make([]byte, 31)}}},
		{"duplicate id", []store.Key{key1, {ID: 1, Secret: key2.Secret}}},
	} {
		if _, err := NewSealedStore(NewMemoryStore(), tt.keys...); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("NewSealedStore(%s) error = %v, want ErrInvalid", tt.name, err)
		}
	}
	if _, err := NewSealedStore(nil, key1); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("NewSealedStore(nil inner) error = %v, want ErrInvalid", err)
	}
	if s := key1.String(); strings.Contains(s, "\x11") {
		t.Errorf("Key.String shows the secret")
	}
}

// TestRotateWhileWriting re-seals while the wallet keeps writing; run with -race.
func TestRotateWhileWriting(t *testing.T) {
	ctx := context.Background()
	inner := NewMemoryStore()
	s12, _ := NewSealedStore(inner, key1, key2)
	e := newEnv(t, func(c *Config) { c.Store = s12 })
	e.link(t)
	h := e.current(t, verify.KindPassport).Handle
	// Writers not yet switched to the new key (but able to open it), a rotator on the
	// new configuration.
	s21, _ := NewSealedStore(inner, key2, key1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 20 {
			if _, err := s21.RotateAll(ctx); err != nil {
				t.Errorf("RotateAll: %v", err)
				return
			}
		}
	}()
	for i := range 20 {
		s := StatusSuspended
		if i%2 == 1 {
			s = StatusActive
		}
		must(t, e.w.SetStatus(ctx, h, s, "op"))
	}
	<-done
	if _, err := s21.RotateAll(ctx); err != nil {
		t.Fatal(err)
	}
	onlyNew, _ := NewSealedStore(inner, key2)
	e.w.cfg.Store = onlyNew
	if got, err := e.w.Status(ctx, h); err != nil || got != StatusActive {
		t.Errorf("after rotation under writes: Status = %v, %v; want active", got, err)
	}
	if _, err := s21.Rotate(ctx, "no-such-holder"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Rotate(missing) error = %v, want ErrNotFound", err)
	}
}
