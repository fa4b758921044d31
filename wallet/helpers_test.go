package wallet

import (
	"bytes"
	"context"
	"testing"
	"time"

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

func pass(level verify.Level) verify.Decision {
	return verify.Decision{Outcome: verify.OutcomePass, Level: level, Required: level,
		Reasons: []verify.Reason{verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified},
		Kind:    verify.KindIDCard, Subject: "subj-holder-1", DecidedAt: testNow}
}

var ref = HolderRef{IDNumber: holderID, Subject: "subj-holder-1"}

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
	cfg := Config{Source: e.src, Store: e.store, IndexKey: bytes.Repeat([]byte{7}, 32), Now: e.clk.now}
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
	res, err := e.w.Link(context.Background(), pass(verify.LevelRealPerson), ref)
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
