package seal_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/internal/seal"
)

// testSuite is a store.SealSuite other than the default: XChaCha20-Poly1305 under
// HKDF-SHA-512, or an AEAD with too short a nonce when short is set.
type testSuite struct {
	id    byte
	short bool
}

func (s testSuite) SealID() byte { return s.id }

func (s testSuite) SealAEAD(secret []byte, info string) (cipher.AEAD, error) {
	k, err := hkdf.Key(sha512.New, secret, nil, info, chacha20poly1305.KeySize)
	if err != nil {
		return nil, err
	}
	if s.short {
		b, err := aes.NewCipher(k)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(b) // 12-byte nonce: too short for random nonces
	}
	return chacha20poly1305.NewX(k)
}

func suiteKey(id uint32, b byte, s testSuite) seal.Key {
	k := key(id, b)
	k.Suite = s
	return k
}

// TestSuiteInFirstByte: a key with a suite seals with it, and the token's first byte says
// so; the default suite's sealer refuses it as another suite's, and the reverse.
func TestSuiteInFirstByte(t *testing.T) {
	other := testSuite{id: 0x7F}
	withSuite := mustNew(t, "p", suiteKey(1, 0xAA, other))
	plain := mustNew(t, "p", key(1, 0xAA))
	tok, err := withSuite.Seal([]byte("payload"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	if raw[0] != 0x7F {
		t.Fatalf("first byte = %#x, want the suite's 0x7f", raw[0])
	}
	got, _, _, err := withSuite.Open(tok, t0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]byte("payload"), got); diff != "" {
		t.Errorf("payload mismatch (-want +got):\n%s", diff)
	}
	if _, _, _, err := plain.Open(tok, t0); !errors.Is(err, seal.ErrWrongSuite) || !errors.Is(err, seal.ErrInvalid) {
		t.Errorf("default sealer Open(suite token) error = %v, want ErrWrongSuite (and ErrInvalid)", err)
	}
	def, err := plain.Seal([]byte("payload"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := withSuite.Open(def, t0); !errors.Is(err, seal.ErrWrongSuite) {
		t.Errorf("suite sealer Open(default token) error = %v, want ErrWrongSuite", err)
	}
	// The same bytes under the suite byte of the default: another suite, refused.
	raw[0] = 0x01
	if _, _, _, err := withSuite.Open(base64.RawURLEncoding.EncodeToString(raw), t0); !errors.Is(err, seal.ErrWrongSuite) {
		t.Errorf("suite byte rewritten: error = %v, want ErrWrongSuite", err)
	}
}

// TestSuiteRotation: a deployment moves to another suite as it rotates keys: the new
// suite's key first seals, the old default key still opens its tokens.
func TestSuiteRotation(t *testing.T) {
	old := mustNew(t, "p", key(1, 0xAA))
	tok, err := old.Seal([]byte("old"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	both := mustNew(t, "p", suiteKey(2, 0xBB, testSuite{id: 0x7F}), key(1, 0xAA))
	if _, _, id, err := both.Open(tok, t0); err != nil || id != 1 {
		t.Fatalf("Open(old token) = key %d, %v; want key 1, nil", id, err)
	}
	fresh, err := both.Seal([]byte("new"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := old.Open(fresh, t0); !errors.Is(err, seal.ErrWrongSuite) {
		t.Errorf("old sealer Open(new suite token) error = %v, want ErrWrongSuite", err)
	}
}

// TestSuiteRefusedAtNew: a suite claiming the default's first byte (or 0), or whose AEAD
// has a nonce too short to be drawn at random, is refused when the sealer is made.
func TestSuiteRefusedAtNew(t *testing.T) {
	for name, s := range map[string]testSuite{
		"default's ID": {id: 1},
		"ID 0":         {id: 0},
		"short nonce":  {id: 0x7F, short: true},
	} {
		if _, err := seal.New("p", suiteKey(1, 0xAA, s)); err == nil {
			t.Errorf("New(%s) succeeded, want an error", name)
		}
	}
}

// TestSuiteEveryBitFlipRejected: the suite's tokens are as tamper-evident as the default's.
func TestSuiteEveryBitFlipRejected(t *testing.T) {
	s := mustNew(t, "p", suiteKey(1, 0xAA, testSuite{id: 0x7F}))
	tok, err := s.Seal([]byte("answer key digests"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	for i := range len(raw) * 8 {
		b := append([]byte(nil), raw...)
		b[i/8] ^= 1 << (i % 8)
		if _, _, _, err := s.Open(base64.RawURLEncoding.EncodeToString(b), t0); !errors.Is(err, seal.ErrInvalid) {
			t.Fatalf("bit %d flipped: err = %v, want ErrInvalid", i, err)
		}
	}
}

// FuzzOpenSuites: a sealer holding keys of two suites (the rotation between them) opens
// only the two tokens it sealed, whatever first byte, key ID or length an input has.
func FuzzOpenSuites(f *testing.F) {
	s := mustNew(f, "fuzz", suiteKey(2, 2, testSuite{id: 0x7F}), key(1, 1))
	old := mustNew(f, "fuzz", key(1, 1))
	// Fixed nonces: the coordinator and its workers must agree on the genuine tokens.
	fresh, err := s.Seal([]byte("seed"), t0.Add(time.Minute), bytes.NewReader(make([]byte, 24)))
	if err != nil {
		f.Fatal(err)
	}
	prior, err := old.Seal([]byte("seed"), t0.Add(time.Minute), bytes.NewReader(make([]byte, 24)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(fresh)
	f.Add(prior)
	f.Add("fwAAAAI")
	f.Fuzz(func(t *testing.T, in string) {
		p, _, _, err := s.Open(in, t0)
		if err == nil && ((in != fresh && in != prior) || !bytes.Equal(p, []byte("seed"))) {
			t.Fatalf("forged or respelled token opened: %q", in)
		}
	})
}
