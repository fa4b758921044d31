package smsuite_test

import (
	"crypto/sha256"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"

	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/smsuite"
)

// exampleID is the example number of GB 11643-1999 (Beijing Chaoyang, born 1949-12-31).
const exampleID = "11010519491231002X"

var t0 = time.Date(2026, 11, 22, 9, 0, 30, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

func cafeClaims() qrtoken.Claims { return qrtoken.Claims{Name: "张三", IDNumber: exampleID} }

func testSecret(label string) []byte {
	s := sha256.Sum256([]byte("smsuite test secret " + label))
	return s[:]
}

// testSM2Key is a fixed SM2 private key derived from label.
func testSM2Key(t testing.TB, label string) *sm2.PrivateKey {
	t.Helper()
	d := sha256.Sum256([]byte("smsuite test sm2 " + label))
	n := sm2.P256().Params().N
	x := new(big.Int).Mod(new(big.Int).SetBytes(d[:]), new(big.Int).Sub(n, big.NewInt(1)))
	k, err := sm2.NewPrivateKeyFromInt(x.Add(x, big.NewInt(1)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// env is an issuer and a reader of one suite sharing keys, with their own clocks.
type env struct {
	issuerClock, readerClock *clock
	issuer                   *qrtoken.Issuer
	reader                   *qrtoken.Reader
	group                    qrtoken.GroupPrivateKey
}

func newEnv(t testing.TB, suite qrtoken.Suite, mod ...func(*qrtoken.IssuerConfig, *qrtoken.ReaderConfig)) *env {
	t.Helper()
	e := &env{issuerClock: &clock{t: t0}, readerClock: &clock{t: t0}}
	key := qrtoken.SecretKey{ID: 1, Secret: testSecret("online")}
	var sk qrtoken.SigningKey
	if suite == nil || suite.ID() == 1 {
		g, err := qrtoken.GenerateGroupKey(9)
		if err != nil {
			t.Fatal(err)
		}
		e.group = g
		sk = qrtoken.SigningKey{ID: 3, Key: ed25519Key("issuer")}
	} else {
		e.group = qrtoken.GroupPrivateKey{ID: 9, Key: testSM2Key(t, "group")}
		sk = qrtoken.SigningKey{ID: 3, Key: testSM2Key(t, "issuer")}
	}
	ic := qrtoken.IssuerConfig{Key: &key, SigningKey: &sk, Now: e.issuerClock.Now, Suite: suite}
	rc := qrtoken.ReaderConfig{
		Purposes:   []qrtoken.Purpose{qrtoken.PurposeInternetCafe(), qrtoken.PurposeStadiumGate(), qrtoken.PurposeGovernmentCounter()},
		Keys:       []qrtoken.SecretKey{key},
		IssuerKeys: []qrtoken.IssuerPublicKey{sk.Public()},
		GroupKeys:  []qrtoken.GroupPrivateKey{e.group},
		Now:        e.readerClock.Now,
		Suite:      suite,
	}
	for _, m := range mod {
		m(&ic, &rc)
	}
	var err error
	if e.issuer, err = qrtoken.NewIssuer(ic); err != nil {
		t.Fatal(err)
	}
	if e.reader, err = qrtoken.NewReader(rc); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) issue(t testing.TB, c qrtoken.Claims, p qrtoken.Purpose) string {
	t.Helper()
	code, err := e.issuer.Issue(t.Context(), c, p)
	if err != nil {
		t.Fatal(err)
	}
	return code.Text()
}

func (e *env) issueOffline(t testing.TB, c qrtoken.Claims, p qrtoken.Purpose) string {
	t.Helper()
	code, err := e.issuer.IssueOffline(t.Context(), c, p, e.group.Public())
	if err != nil {
		t.Fatal(err)
	}
	return code.Text()
}

var _ qrtoken.OfflineSuite = smsuite.Suite{}
