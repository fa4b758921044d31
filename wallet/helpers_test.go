package wallet

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/docnum"
	"github.com/trustid/trustid/verify/idcard"
)

// Test data. The numbers are synthetic: ID numbers are built from a real region code,
// a birth date and a 99x sequence code (the range idcard.Generate uses for test data)
// with the check character computed by idcard.CheckChar (GB 11643-1999 clause 7); the
// VIN's check digit is computed by docnum.VINCheckDigit (49 CFR 565.15); the passport and
// permit numbers follow the series documented in verify/docnum. None names a real person.
var (
	testNow      = time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	holderID     = withCheck("11010519900307995") // male, Beijing Chaoyang
	otherID      = withCheck("31010419851122996") // female, Shanghai Xuhui
	hkPermitID   = withCheck("81000019900307995") // Hong Kong residents' residence permit
	testVIN      = withVINCheck("LSVAU2180N2183456")
	testName     = "王小明"
	testLatin    = "WANG XIAOMING"
	testAddress  = "北京市朝阳区建国路88号院3号楼"
	testPassport = "E12345678"
	testHKPermit = "C87654321"
	testTWPermit = "L11223344"
	testPlate    = "京A9K8Z7"
	testArchive  = "110012345678"
	testHousehld = "110105321"
)

func withCheck(first17 string) string {
	c, err := idcard.CheckChar(first17)
	if err != nil {
		panic(err)
	}
	return first17 + string(c)
}

func withVINCheck(v string) string {
	c, err := docnum.VINCheckDigit(v)
	if err != nil {
		panic(err)
	}
	return v[:8] + string(c) + v[9:]
}

func date(s string) verify.Date {
	d, err := verify.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func testHolder() Holder {
	return Holder{Name: testName, LatinName: testLatin, Gender: idcard.Male,
		BirthDate: date("1990-03-07"), Nationality: "CHN", Ethnicity: "汉", Address: testAddress}
}

// fixture returns one active credential of each of the eight kinds for holderID.
func fixture() []Credential {
	h := testHolder()
	return []Credential{
		{Kind: verify.KindIDCard, Number: holderID, Holder: h, Authority: "北京市公安局朝阳分局",
			ValidFrom: date("2015-06-01"), ValidUntil: date("2035-06-01"), Status: StatusActive, Source: "mps-population"},
		{Kind: verify.KindPassport, Number: testPassport, Holder: h, Authority: "国家移民管理局",
			ValidFrom: date("2019-01-10"), ValidUntil: date("2029-01-09"), Status: StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindHKMacaoPermit, Number: testHKPermit, Holder: h, Authority: "国家移民管理局",
			ValidFrom: date("2018-04-01"), ValidUntil: date("2028-03-31"), Status: StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindTaiwanPermit, Number: testTWPermit, Holder: h, Authority: "国家移民管理局",
			ValidFrom: date("2020-08-01"), ValidUntil: date("2030-07-31"), Status: StatusActive, Source: "nia-exit-entry"},
		{Kind: verify.KindHouseholdRegister, Number: holderID, Holder: h, Authority: "北京市公安局朝阳分局建外派出所",
			ValidFrom: date("2010-01-05"), Status: StatusActive, Source: "mps-population",
			Household: &Household{Number: testHousehld, Relation: "户主"}},
		{Kind: verify.KindResidencePermit, Number: holderID, Holder: h, Authority: "上海市公安局徐汇分局",
			ValidFrom: date("2024-01-01"), ValidUntil: date("2029-01-01"), Status: StatusActive, Source: "mps-population"},
		{Kind: verify.KindDriverLicence, Number: holderID, Holder: h, Authority: "北京市公安局公安交通管理局",
			ValidFrom: date("2020-05-01"), ValidUntil: date("2030-05-01"), Status: StatusActive, Source: "mps-traffic",
			Driver: &DriverLicence{Class: "C1", ArchiveNumber: testArchive}},
		{Kind: verify.KindVehicleLicence, Number: testPlate, Holder: h, Authority: "北京市公安局公安交通管理局",
			ValidFrom: date("2022-09-15"), LongTerm: true, Status: StatusActive, Source: "mps-traffic",
			Vehicle: &VehicleLicence{VIN: testVIN, Type: "小型轿车"}},
	}
}

// decisionKey seals the test checker's decisions; the wallets' Config.Decisions opens
// under it.
var decisionKey = store.Key{ID: 9, Secret: bytes.Repeat([]byte{9}, 32)}

// photoRegistry answers every lookup with a valid record named testName, with a photo,
// so that a document check of any well-formed number passes.
type photoRegistry struct{}

func (photoRegistry) Lookup(_ context.Context, k verify.CredentialKind, number string) (*verify.Record, error) {
	return &verify.Record{Kind: k, Number: number, Name: testName, Status: verify.StatusValid,
		ValidFrom: date("2020-01-01"), LongTerm: true, PhotoRef: "photo:registry"}, nil
}

// faceCheck is real-person evidence (liveness.Result in production) bound to a document
// check; memCheck is memory evidence (quiz.Result).
type faceCheck struct {
	subject, check, photo string
	at                    time.Time
}

func (f faceCheck) Subject() string        { return f.subject }
func (f faceCheck) CheckID() string        { return f.check }
func (f faceCheck) PhotoRef() string       { return f.photo }
func (f faceCheck) CompletedAt() time.Time { return f.at }
func (f faceCheck) LivenessPassed() bool   { return true }
func (f faceCheck) FaceMatchPassed() bool  { return true }

type memCheck struct {
	subject, check string
	at             time.Time
}

func (m memCheck) Subject() string        { return m.subject }
func (m memCheck) CheckID() string        { return m.check }
func (m memCheck) CompletedAt() time.Time { return m.at }
func (m memCheck) QuizPassed() bool       { return true }

// decide runs a real document check of an identity-numbered kind for number (the ID
// card for resident numbers, the residence permit for 81/82/83 numbers) and decides on
// it at level with passing evidence, at the clock now, under decisionKey. It returns the
// decision with its token.
func decide(t testing.TB, now func() time.Time, number string, level verify.Level) verify.Decision {
	t.Helper()
	return decideWith(t, now, number, testName, level, decisionKey)
}

func decideWith(t testing.TB, now func() time.Time, number, name string, level verify.Level, key store.Key) verify.Decision {
	t.Helper()
	c, err := verify.New(verify.Config{Registry: photoRegistry{}, Now: now, SubjectKey: bytes.Repeat([]byte{5}, 32),
		Keys: []store.Key{key}, Policy: verify.Policy{Required: verify.LevelRealName}})
	if err != nil {
		t.Fatal(err)
	}
	kind := verify.KindIDCard
	if p := number[:min(2, len(number))]; p == "81" || p == "82" || p == "83" {
		kind = verify.KindResidencePermit // the ID card table refuses these numbers
	}
	doc, err := c.CheckDocument(context.Background(), verify.Claim{Kind: kind, Number: number, Name: name})
	if err != nil {
		t.Fatal(err)
	}
	var rp verify.RealPersonEvidence
	var mem verify.MemoryEvidence
	if level >= verify.LevelRealPerson {
		rp = faceCheck{doc.Subject, doc.CheckID, doc.PhotoRef, doc.CheckedAt}
	}
	if level >= verify.LevelHigh {
		mem = memCheck{doc.Subject, doc.CheckID, doc.CheckedAt}
	}
	d := c.Decide(doc, rp, mem)
	if d.Token == "" {
		t.Fatalf("the test checker sealed no decision: %v", d.Reasons)
	}
	return d
}

// pass returns the token of a fresh passing decision at level about holderID, made at
// testNow.
func pass(t testing.TB, level verify.Level) string {
	t.Helper()
	d := decide(t, func() time.Time { return testNow }, holderID, level)
	if d.Outcome != verify.OutcomePass || d.Level != level {
		t.Fatalf("test decision %v at %v, want pass at %v: %v", d.Outcome, d.Level, level, d.Reasons)
	}
	return d.Token
}

// linkReq is a LinkRequest for ref with a fresh passing real-person decision.
func linkReq(t testing.TB) LinkRequest {
	t.Helper()
	return LinkRequest{Decision: pass(t, verify.LevelRealPerson), Holder: ref}
}

// decisions returns the sealer a wallet opens test decisions with, on clock now.
func decisions(t testing.TB, now func() time.Time) *verify.DecisionSealer {
	t.Helper()
	s, err := verify.NewDecisionSealer(now, decisionKey)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var ref = HolderRef{IDNumber: holderID}

// clock is a settable test clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

type env struct {
	w     *Wallet
	src   *MemorySource
	store Store
	clk   *clock
}

func newEnv(t testing.TB, mod func(*Config)) *env {
	t.Helper()
	e := &env{src: NewMemorySource(), store: NewMemoryStore(), clk: &clock{testNow}}
	e.src.Set(holderID, fixture()...)
	cfg := Config{Source: e.src, Store: e.store, IndexKey: bytes.Repeat([]byte{7}, 32), Now: e.clk.now,
		Decisions: decisions(t, e.clk.now)}
	if mod != nil {
		mod(&cfg)
	}
	e.store = cfg.Store
	w, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.w = w
	return e
}

func (e *env) link(t testing.TB) LinkResult {
	t.Helper()
	res, err := e.w.Link(context.Background(), LinkRequest{Decision: decide(t, e.clk.now, holderID, verify.LevelRealPerson).Token, Holder: ref})
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	if len(res.Rejected) != 0 {
		t.Fatalf("Link rejected %v", res.Rejected)
	}
	return res
}

// current returns the holder's non-superseded credential of kind k.
func (e *env) current(t testing.TB, k verify.CredentialKind) Credential {
	t.Helper()
	cs, err := e.w.Credentials(context.Background(), ref)
	if err != nil {
		t.Fatalf("Credentials: %v", err)
	}
	for _, c := range cs {
		if c.Kind == k && c.Status != StatusSuperseded {
			return c
		}
	}
	t.Fatalf("no current %v", k)
	return Credential{}
}
