package seal_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/chacha20poly1305"

	"github.com/trustid/trustid/internal/seal"
)

var t0 = time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)

func key(id uint32, b byte) seal.Key {
	return seal.Key{ID: id, Secret: bytes.Repeat([]byte{b}, 32)}
}

func mustNew(t testing.TB, purpose string, keys ...seal.Key) *seal.Sealer {
	t.Helper()
	s, err := seal.New(purpose, keys...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	s := mustNew(t, "liveness", key(7, 1))
	for _, payload := range [][]byte{nil, {0}, []byte("session state"), bytes.Repeat([]byte{0xff}, 4096)} {
		tok, err := s.Seal(payload, t0.Add(time.Minute), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		got, exp, id, err := s.Open(tok, t0)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		if !bytes.Equal(got, payload) || !exp.Equal(t0.Add(time.Minute)) || id != 7 {
			t.Errorf("Open = %x, %v, %d; want %x, %v, 7", got, exp, id, payload, t0.Add(time.Minute))
		}
		if strings.Contains(tok, "session") {
			t.Errorf("token leaks plaintext: %s", tok)
		}
	}
}

// TestFormatAsDocumented opens a token by hand, following only the package doc: header
// layout, HKDF-SHA-256 info, XChaCha20-Poly1305 with version|key ID|purpose as additional
// data, and the big-endian Unix-nanosecond expiry before the payload. A change to any of
// them breaks tokens already issued, so it must be deliberate.
func TestFormatAsDocumented(t *testing.T) {
	secret := bytes.Repeat([]byte{0x5a}, 32)
	s := mustNew(t, "liveness", seal.Key{ID: 0x01020304, Secret: secret})
	exp := time.Unix(1_800_000_000, 123_456_789)
	nonce := bytes.Repeat([]byte{0x07}, chacha20poly1305.NonceSizeX)
	tok, err := s.Seal([]byte("payload"), exp, bytes.NewReader(nonce))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(tok)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]byte{0x01, 0x01, 0x02, 0x03, 0x04}, raw[:5]); diff != "" {
		t.Fatalf("header mismatch (-want +got):\n%s", diff)
	}
	if !bytes.Equal(raw[5:29], nonce) {
		t.Fatalf("nonce not at bytes 5..29")
	}
	key, err := hkdf.Key(sha256.New, secret, nil, "trustid/seal/v1\x00liveness\x00\x01\x02\x03\x04", chacha20poly1305.KeySize)
	if err != nil {
		t.Fatal(err)
	}
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		t.Fatal(err)
	}
	pt, err := aead.Open(nil, nonce, raw[29:], append(bytes.Clone(raw[:5]), "liveness"...))
	if err != nil {
		t.Fatalf("token does not open as documented: %v", err)
	}
	want := binary.BigEndian.AppendUint64(nil, uint64(exp.UnixNano()))
	want = append(want, "payload"...)
	if diff := cmp.Diff(want, pt); diff != "" {
		t.Fatalf("plaintext mismatch (-want +got):\n%s", diff)
	}
}

func TestEveryBitFlipRejected(t *testing.T) {
	s := mustNew(t, "quiz", key(1, 2))
	tok, err := s.Seal([]byte("answer key digests"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(tok)
	for i := range len(raw) * 8 {
		mod := bytes.Clone(raw)
		mod[i/8] ^= 1 << (i % 8)
		if _, _, _, err := s.Open(base64.RawURLEncoding.EncodeToString(mod), t0); !errors.Is(err, seal.ErrInvalid) {
			t.Fatalf("bit %d flipped: err = %v, want ErrInvalid", i, err)
		}
	}
	for n := range len(raw) {
		if _, _, _, err := s.Open(base64.RawURLEncoding.EncodeToString(raw[:n]), t0); !errors.Is(err, seal.ErrInvalid) {
			t.Fatalf("truncated to %d bytes: err = %v, want ErrInvalid", n, err)
		}
	}
	if _, _, _, err := s.Open(base64.RawURLEncoding.EncodeToString(append(bytes.Clone(raw), 0)), t0); !errors.Is(err, seal.ErrInvalid) {
		t.Fatalf("extended: err = %v, want ErrInvalid", err)
	}
}

func TestNonCanonicalSpellingRejected(t *testing.T) {
	s := mustNew(t, "quiz", key(1, 2))
	// Find a token whose last character carries unused low bits, then set them.
	for n := range 3 {
		tok, _ := s.Seal(make([]byte, n), t0.Add(time.Minute), rand.Reader)
		if len(tok)%4 == 0 {
			continue
		}
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		last := strings.IndexByte(alphabet, tok[len(tok)-1])
		alt := tok[:len(tok)-1] + string(alphabet[last|1])
		if alt == tok {
			alt = tok[:len(tok)-1] + string(alphabet[last&^1])
		}
		if _, _, _, err := s.Open(alt, t0); !errors.Is(err, seal.ErrInvalid) {
			t.Fatalf("alternative spelling accepted: err = %v", err)
		}
		return
	}
	t.Fatal("no token with spare bits found")
}

// TestLineBreaksRejected: encoding/base64 skips CR and LF even in strict mode, so without
// an explicit check "tok\n", "to\r\nk" and the like would open as the same token under a
// different text, and a replay guard keyed on Digest(token) could be walked around.
func TestLineBreaksRejected(t *testing.T) {
	s := mustNew(t, "quiz", key(1, 2))
	tok, err := s.Seal([]byte("x"), t0.Add(time.Minute), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	for _, alt := range []string{tok + "\n", "\r" + tok, tok[:10] + "\r\n" + tok[10:], tok[:4] + "\n" + tok[4:]} {
		if _, _, _, err := s.Open(alt, t0); !errors.Is(err, seal.ErrInvalid) {
			t.Errorf("Open(%q) err = %v, want ErrInvalid", alt, err)
		}
	}
}

func TestWrongPurposeOrKey(t *testing.T) {
	a := mustNew(t, "liveness", key(1, 1))
	tok, _ := a.Seal([]byte("x"), t0.Add(time.Minute), rand.Reader)
	for name, s := range map[string]*seal.Sealer{
		"other purpose":        mustNew(t, "quiz", key(1, 1)),
		"same ID other secret": mustNew(t, "liveness", key(1, 9)),
		"unknown ID":           mustNew(t, "liveness", key(2, 1)),
	} {
		if _, _, _, err := s.Open(tok, t0); !errors.Is(err, seal.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

func TestKeyRotation(t *testing.T) {
	old := mustNew(t, "liveness", key(1, 1))
	tok, _ := old.Seal([]byte("live session"), t0.Add(time.Minute), rand.Reader)
	rotated := mustNew(t, "liveness", key(2, 2), key(1, 1))
	if _, _, id, err := rotated.Open(tok, t0); err != nil || id != 1 {
		t.Fatalf("old token under rotated keys: id %d, err %v", id, err)
	}
	fresh, _ := rotated.Seal([]byte("new"), t0.Add(time.Minute), rand.Reader)
	if _, _, id, err := rotated.Open(fresh, t0); err != nil || id != 2 {
		t.Fatalf("new token: id %d, err %v; want sealed under key 2", id, err)
	}
	if _, _, _, err := old.Open(fresh, t0); !errors.Is(err, seal.ErrInvalid) {
		t.Fatalf("retired sealer opened a token under the new key: %v", err)
	}
}

func TestExpiry(t *testing.T) {
	s := mustNew(t, "quiz", key(1, 1))
	exp := t0.Add(2*time.Minute + 500*time.Millisecond)
	tok, _ := s.Seal([]byte("x"), exp, rand.Reader)
	if _, got, _, err := s.Open(tok, exp.Add(-time.Nanosecond)); err != nil || !got.Equal(exp) {
		t.Fatalf("one nanosecond before expiry: expiry %v, err %v; want %v, nil", got, err, exp)
	}
	for _, at := range []time.Time{exp, exp.Add(time.Hour)} {
		if _, _, _, err := s.Open(tok, at); !errors.Is(err, seal.ErrExpired) {
			t.Fatalf("Open at %v: err = %v, want ErrExpired", at, err)
		}
	}
}

// TestSealRejectsUnrepresentableExpiry: UnixNano wraps outside 1678..2262, so the zero
// Time would otherwise be sealed as an expiry in 1754 and a far-future one as a past time.
func TestSealRejectsUnrepresentableExpiry(t *testing.T) {
	s := mustNew(t, "quiz", key(1, 1))
	for _, exp := range []time.Time{{}, time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if tok, err := s.Seal([]byte("x"), exp, rand.Reader); err == nil {
			t.Errorf("Seal(expiry %v) = %q, nil; want an error", exp, tok)
		}
	}
	edge := time.Unix(0, math.MaxInt64)
	tok, err := s.Seal([]byte("x"), edge, rand.Reader)
	if err != nil {
		t.Fatalf("Seal(expiry %v): %v", edge, err)
	}
	if _, got, _, err := s.Open(tok, t0); err != nil || !got.Equal(edge) {
		t.Fatalf("Open = expiry %v, %v; want %v, nil", got, err, edge)
	}
	if _, err := s.Seal(make([]byte, 1<<20), t0.Add(time.Minute), rand.Reader); err == nil {
		t.Error("Seal of a payload Open would refuse as too long succeeded")
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	for name, keys := range map[string][]seal.Key{
		"none":      nil,
		"short":     {{ID: 1, Secret: make([]byte, 31)}},
		"duplicate": {key(1, 1), key(1, 2)},
	} {
		if _, err := seal.New("p", keys...); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	if _, err := seal.New("", key(1, 1)); err == nil {
		t.Error("empty purpose accepted")
	}
}

func TestKeyFormattingHidesSecret(t *testing.T) {
	k := seal.Key{ID: 3, Secret: []byte("0123456789abcdef0123456789abcdef")}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, k); strings.Contains(out, "0123") {
			t.Errorf("%s prints the secret: %s", f, out)
		}
	}
}

func TestDigestDistinguishes(t *testing.T) {
	if seal.Digest("a", "tok") == seal.Digest("b", "tok") || seal.Digest("a", "tok") == seal.Digest("a", "tok2") {
		t.Fatal("digest collides across purpose or token")
	}
	if seal.Digest("a", "tok") != seal.Digest("a", "tok") {
		t.Fatal("digest not deterministic")
	}
}

func FuzzOpen(f *testing.F) {
	s := mustNew(f, "fuzz", key(1, 1))
	// A fixed nonce: the fuzzing coordinator and its worker processes each run this set-up,
	// and they must agree on which token is the genuine one.
	tok, _ := s.Seal([]byte("seed"), t0.Add(time.Minute), bytes.NewReader(make([]byte, 24)))
	f.Add(tok)
	f.Add("")
	f.Add("AQAAAAE")
	f.Add(strings.Repeat("A", 60))
	f.Fuzz(func(t *testing.T, in string) {
		p, _, _, err := s.Open(in, t0)
		if err == nil && (in != tok || !bytes.Equal(p, []byte("seed"))) {
			// The only authentic token is the seed, and it has one spelling only.
			t.Fatalf("forged or respelled token opened: %q", in)
		}
	})
}

func BenchmarkSeal(b *testing.B) {
	s := mustNew(b, "bench", key(1, 1))
	payload := make([]byte, 200)
	b.ReportAllocs()
	for b.Loop() {
		s.Seal(payload, t0.Add(time.Minute), rand.Reader)
	}
}

func BenchmarkOpen(b *testing.B) {
	s := mustNew(b, "bench", key(1, 1))
	tok, _ := s.Seal(make([]byte, 200), t0.Add(time.Minute), rand.Reader)
	b.ReportAllocs()
	for b.Loop() {
		s.Open(tok, t0)
	}
}

func ExampleSealer() {
	secret := bytes.Repeat([]byte{0x42}, 32) // use 32 bytes from crypto/rand in production
	s, _ := seal.New("example", seal.Key{ID: 1, Secret: secret})
	tok, _ := s.Seal([]byte("state"), t0.Add(5*time.Minute), rand.Reader)
	state, _, _, err := s.Open(tok, t0)
	fmt.Println(string(state), err)
	_, _, _, err = s.Open(tok, t0.Add(10*time.Minute))
	fmt.Println(err)
	// Output:
	// state <nil>
	// seal: token expired
}
