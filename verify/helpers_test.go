package verify_test

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// cst is China Standard Time, the zone of the dates on Chinese documents.
var cst = time.FixedZone("CST", 8*60*60)

// testNow is the fixed clock of the tests: 2026-06-01 12:00 in Beijing.
var testNow = time.Date(2026, 6, 1, 12, 0, 0, 0, cst)

// Numbers of the synthetic people in testdata/registry.json (see
// internal/fixturegen: hand-built numbers completed by idcard.CheckChar).
const (
	numZhangWei  = "110105199003071239" // valid, male, Beijing
	numAyguli    = "650102199506120027" // valid, minority name 阿依古丽·买买提
	numWangJi    = "44030519881120045X" // valid, name 王𠮷 with U+20BB7
	numLiXiuying = "310104195001010224" // long-term validity
	numZhaoLei   = "510107198510100113" // revoked
	numChenJing  = "330106199202020087" // reported lost
	numLiuYang   = "110105198005150315" // expired 2025-05-15
	numZhouMin   = "310104200008080261" // valid from 2027-01-01
	numSun18     = "110105194912310038" // 孙建国, 18-digit form
	numSun15     = "110105491231003"    // 孙建国, first-generation 15-digit form
	numMueller   = "911276198504209829" // foreign permanent resident, MÜLLER ANNA
	numUnknown   = "110105199003071247" // valid check character, not in the registry
)

func loadFixture(t testing.TB) *verify.MemoryRegistry {
	t.Helper()
	f, err := os.Open("testdata/registry.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	reg, err := verify.LoadRegistry(f)
	if err != nil {
		t.Fatalf("LoadRegistry: %v", err)
	}
	return reg
}

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

var testKey = []byte("0123456789abcdef0123456789abcdef")

var testSealKeys = []store.Key{{ID: 1, Secret: []byte("seal key for tests, 32 bytes....")}}

func newChecker(t testing.TB, reg verify.Registry, now time.Time, p verify.Policy) *verify.Checker {
	t.Helper()
	c, err := verify.New(verify.Config{Registry: reg, Policy: p, Now: fixedClock(now), SubjectKey: testKey, Keys: testSealKeys})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// countingRegistry counts lookups and can fail them.
type countingRegistry struct {
	next  verify.Registry
	calls atomic.Int64
	err   error
}

func (c *countingRegistry) Lookup(ctx context.Context, k verify.CredentialKind, n string) (*verify.Record, error) {
	c.calls.Add(1)
	if c.err != nil {
		return nil, c.err
	}
	return c.next.Lookup(ctx, k, n)
}

var errBackendDown = errors.New("gateway: connection refused")

// fakeRealPerson is a test fake of RealPersonEvidence (liveness.Result in production).
type fakeRealPerson struct {
	subject, check, photo string
	at                    time.Time
	liveness, face        bool
}

func (f fakeRealPerson) Subject() string        { return f.subject }
func (f fakeRealPerson) CheckID() string        { return f.check }
func (f fakeRealPerson) PhotoRef() string       { return f.photo }
func (f fakeRealPerson) CompletedAt() time.Time { return f.at }
func (f fakeRealPerson) LivenessPassed() bool   { return f.liveness }
func (f fakeRealPerson) FaceMatchPassed() bool  { return f.face }

// rpFor returns real-person evidence bound to doc, completed when doc was checked.
func rpFor(doc *verify.DocumentResult, liveness, face bool) fakeRealPerson {
	return fakeRealPerson{doc.Subject, doc.CheckID, doc.PhotoRef, doc.CheckedAt, liveness, face}
}

// fakeMemory is a test fake of MemoryEvidence (quiz.Result in production).
type fakeMemory struct {
	subject, check string
	at             time.Time
	passed         bool
}

func (f fakeMemory) Subject() string        { return f.subject }
func (f fakeMemory) CheckID() string        { return f.check }
func (f fakeMemory) CompletedAt() time.Time { return f.at }
func (f fakeMemory) QuizPassed() bool       { return f.passed }

// memFor returns memory evidence bound to doc, completed when doc was checked.
func memFor(doc *verify.DocumentResult, passed bool) fakeMemory {
	return fakeMemory{doc.Subject, doc.CheckID, doc.CheckedAt, passed}
}
