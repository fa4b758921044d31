package qrtoken

import (
	"crypto/ed25519"
	"crypto/sha256"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// t0 is the tests' reference instant, 30 s into its window.
var t0 = time.Date(2026, 11, 23, 8, 0, 30, 0, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *testClock { return &testClock{t: t} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// detRand is a deterministic random source for tests and examples only: ChaCha8 seeded with
// a label.
func detRand(label string) *rand.ChaCha8 {
	return rand.NewChaCha8(sha256.Sum256([]byte(label)))
}

// testSecret derives a fixed 32-byte test key from a label.
func testSecret(label string) []byte {
	s := sha256.Sum256([]byte("qrtoken test secret " + label))
	return s[:]
}

func testSigningKey(id uint8, label string) SigningKey {
	seed := sha256.Sum256([]byte("qrtoken test signing " + label))
	return SigningKey{ID: id, Key: ed25519.NewKeyFromSeed(seed[:])}
}

func testGroupKey(t testing.TB, id uint8, label string) GroupPrivateKey {
	ikm := sha256.Sum256([]byte("qrtoken test group " + label))
	k, err := offlineKEM.DeriveKeyPair(ikm[:])
	if err != nil {
		t.Fatal(err)
	}
	return GroupPrivateKey{ID: id, Key: k}
}

// makeID completes 17 digits with their GB 11643 check character.
func makeID(digits17 string) string {
	var d [17]byte
	copy(d[:], digits17)
	return digits17 + string(idCheckChar(idCheckValue(&d)))
}

// exampleID is the example number of GB 11643-1999 itself (Beijing Chaoyang, born
// 1949-12-31, sequence 002, check character X).
const exampleID = "11010519491231002X"

func cafeClaims() Claims { return Claims{Name: "张三", IDNumber: exampleID} }

type env struct {
	issuerClock, readerClock *testClock
	issuer                   *Issuer
	reader                   *Reader
	group                    GroupPrivateKey
}

type envOption func(*IssuerConfig, *ReaderConfig)

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	e := &env{issuerClock: newClock(t0), readerClock: newClock(t0), group: testGroupKey(t, 7, "g")}
	sk := testSigningKey(3, "issuer")
	ic := IssuerConfig{
		Key:        &SecretKey{ID: 1, Secret: testSecret("k1")},
		SigningKey: &sk,
		Now:        e.issuerClock.Now,
	}
	rc := ReaderConfig{
		Purposes:   []Purpose{PurposeInternetCafe(), PurposeStadiumGate(), PurposeGovernmentCounter()},
		Keys:       []SecretKey{{ID: 1, Secret: testSecret("k1")}},
		IssuerKeys: []IssuerPublicKey{sk.Public()},
		GroupKeys:  []GroupPrivateKey{e.group},
		Now:        e.readerClock.Now,
	}
	for _, o := range opts {
		o(&ic, &rc)
	}
	var err error
	if e.issuer, err = NewIssuer(ic); err != nil {
		t.Fatalf("NewIssuer: %v", err)
	}
	if e.reader, err = NewReader(rc); err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	return e
}

func (e *env) issue(t testing.TB, c Claims, p Purpose) string {
	t.Helper()
	code, err := e.issuer.Issue(t.Context(), c, p)
	if err != nil {
		t.Fatalf("Issue(%v, %v): %v", c, p, err)
	}
	return code.Text()
}

func (e *env) issueOffline(t testing.TB, c Claims, p Purpose) string {
	t.Helper()
	code, err := e.issuer.IssueOffline(t.Context(), c, p, e.group.Public())
	if err != nil {
		t.Fatalf("IssueOffline(%v, %v): %v", c, p, err)
	}
	return code.Text()
}

// nameOfBytes returns a name of exactly n UTF-8 bytes: Han characters (3 bytes each),
// padded with the 2-byte middle dot and ASCII as needed.
func nameOfBytes(n int) string {
	var b strings.Builder
	for b.Len()+3 <= n {
		b.WriteString("王")
	}
	for b.Len() < n {
		b.WriteString("A")
	}
	return b.String()
}
