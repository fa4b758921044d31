package verify_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
)

type docWant struct {
	Outcome verify.Outcome
	Reasons []verify.Reason
	Status  verify.Status
	Found   bool
	Legacy  bool
	Fields  verify.Fields
}

func gotDoc(r *verify.DocumentResult) docWant {
	return docWant{r.Outcome, r.Reasons, r.Status, r.Found, r.Legacy, r.Fields}
}

func date(y int, m time.Month, d int) verify.Date { return verify.Date{Year: y, Month: m, Day: d} }

func TestCheckDocument(t *testing.T) {
	reg := loadFixture(t)
	nameOnly := verify.Fields{Name: verify.FieldMatch}
	tests := []struct {
		name   string
		claim  verify.Claim
		now    time.Time
		policy verify.Policy
		want   docWant
	}{
		{
			name:  "all fields match",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Gender: idcard.Male, BirthDate: date(1990, 3, 7), Ethnicity: "汉族", Address: "北京市朝阳区建国路88号院3号楼2单元501室"},
			want: docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{
				Name: verify.FieldMatch, Gender: verify.FieldMatch, BirthDate: verify.FieldMatch, Ethnicity: verify.FieldMatch, Address: verify.FieldMatch}},
		},
		{
			name:  "full-width number and name with spaces",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: "１１０１０５１９９００３０７１２３９", Name: " 张　伟 "},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "lower-case x check character",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: "44030519881120045x", Name: "王𠮷"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "rare character outside the BMP, wrong look-alike",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numWangJi, Name: "王吉"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMismatch}},
		},
		{
			name:  "minority name with katakana middle dot",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽・买买提", Ethnicity: "维吾尔族"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Ethnicity: verify.FieldMatch}},
		},
		{
			name:  "minority name without separator: review",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽买买提"},
			want:  docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonNameLenientMatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}},
		},
		{
			name:   "minority name without separator, policy fail",
			claim:  verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽买买提"},
			policy: verify.Policy{LenientName: verify.ActionFail},
			want:   docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameLenientMatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}},
		},
		{
			name:   "minority name without separator, policy ignore",
			claim:  verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽买买提"},
			policy: verify.Policy{LenientName: verify.ActionIgnore},
			want:   docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldLenientMatch}},
		},
		{
			name:  "gender and birth date mismatch",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Gender: idcard.Female, BirthDate: date(1990, 3, 8)},
			want: docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonGenderMismatch, verify.ReasonBirthDateMismatch}, Status: verify.StatusValid, Found: true,
				Fields: verify.Fields{Name: verify.FieldMatch, Gender: verify.FieldMismatch, BirthDate: verify.FieldMismatch}},
		},
		{
			name:  "address mismatch: review by default",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "上海市徐汇区漕溪北路200弄5号"},
			want:  docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonAddressMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldMismatch}},
		},
		{
			name:   "address mismatch ignored",
			claim:  verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "上海市徐汇区漕溪北路200弄5号"},
			policy: verify.Policy{AddressMismatch: verify.ActionIgnore},
			want:   docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldMismatch}},
		},
		{
			name:   "address mismatch fails",
			claim:  verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "上海市徐汇区漕溪北路200弄5号"},
			policy: verify.Policy{AddressMismatch: verify.ActionFail},
			want:   docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonAddressMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldMismatch}},
		},
		{
			name:  "address without its province: lenient match passes",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "朝阳区建国路88号院3号楼2单元501室"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldLenientMatch}},
		},
		{
			name:  "part of the address: review",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "北京市朝阳区建国路88号院"},
			want:  docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonAddressMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldMismatch}},
		},
		{
			name:  "generic flat number: review",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Address: "3号楼2单元501室"},
			want:  docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonAddressMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, Address: verify.FieldMismatch}},
		},
		{
			name:  "wrong name: nothing about the other fields",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张玮", Gender: idcard.Female, BirthDate: date(1990, 3, 8), Ethnicity: "回族", Address: "3号楼2单元501室"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMismatch}},
		},
		{
			name:  "name missing: nothing about the other fields",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Gender: idcard.Female, Address: "上海市徐汇区漕溪北路200弄5号"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMissing}, Status: verify.StatusValid, Found: true},
		},
		{
			name:  "long-term validity",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numLiXiuying, Name: "李秀英"},
			now:   time.Date(2090, 1, 1, 0, 0, 0, 0, cst),
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "revoked",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhaoLei, Name: "赵磊"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentRevoked}, Status: verify.StatusRevoked, Found: true, Fields: nameOnly},
		},
		{
			name:  "reported lost fails by default",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numChenJing, Name: "陈静"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentReportedLost}, Status: verify.StatusReportedLost, Found: true, Fields: nameOnly},
		},
		{
			name:   "reported lost, policy review",
			claim:  verify.Claim{Kind: verify.KindIDCard, Number: numChenJing, Name: "陈静"},
			policy: verify.Policy{ReportedLost: verify.LostReview},
			want:   docWant{Outcome: verify.OutcomeReview, Reasons: []verify.Reason{verify.ReasonDocumentReportedLost}, Status: verify.StatusReportedLost, Found: true, Fields: nameOnly},
		},
		{
			name:  "expired by its dates",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numLiuYang, Name: "刘洋"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentExpired}, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "valid on its last day (China time)",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numLiuYang, Name: "刘洋"},
			now:   time.Date(2025, 5, 15, 23, 59, 59, 0, cst),
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "expired the next day in China although still 15 May in UTC",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numLiuYang, Name: "刘洋"},
			now:   time.Date(2025, 5, 15, 16, 30, 0, 0, time.UTC), // 00:30 on 16 May in Beijing
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentExpired}, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "not yet valid",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhouMin, Name: "周敏"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentNotYetValid}, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "valid from its first day (China time)",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhouMin, Name: "周敏"},
			now:   time.Date(2026, 12, 31, 16, 0, 0, 0, time.UTC), // 00:00 on 1 January 2027 in Beijing
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "not yet valid one second before its first day (China time)",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhouMin, Name: "周敏"},
			now:   time.Date(2026, 12, 31, 23, 59, 59, 0, cst),
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonDocumentNotYetValid}, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "legacy 15-digit card after 2013-01-01",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numSun15, Name: "孙建国"},
			now:   time.Date(2013, 1, 1, 0, 0, 0, 0, cst),
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonLegacyCardInvalid}, Legacy: true},
		},
		{
			name:  "legacy 15-digit card on 2012-12-31 (China time) is looked up as 18 digits",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numSun15, Name: "孙建国"},
			now:   time.Date(2012, 12, 31, 16, 0, 0, 0, time.UTC).Add(-time.Second), // 23:59:59 CST
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Legacy: true, Fields: nameOnly},
		},
		{
			name:  "second-generation card of the same person",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numSun18, Name: "孙建国"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: nameOnly},
		},
		{
			name:  "not found",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numUnknown, Name: "张伟"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonRecordNotFound}},
		},
		{
			name:  "bad check character",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: "110105199003071238", Name: "张伟"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNumberInvalid}},
		},
		{
			name:  "residence permit number claimed as ID card",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: "810000199408230024", Name: "张伟"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNumberInvalid}},
		},
		{
			name:  "invalid kind",
			claim: verify.Claim{Number: numZhangWei, Name: "张伟"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonKindInvalid}},
		},
		{
			name:  "name missing",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNameMissing}, Status: verify.StatusValid, Found: true},
		},
		{
			name:  "foreign permanent resident: ICAO Latin name MUELLER",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numMueller, LatinName: "Mueller Anna", Nationality: "deu"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{LatinName: verify.FieldMatch, Nationality: verify.FieldMatch}},
		},
		{
			name:  "foreign permanent resident: ICAO Latin name MULLER, wrong nationality",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numMueller, LatinName: "MULLER<<ANNA", Nationality: "AUT"},
			want: docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNationalityMismatch}, Status: verify.StatusValid, Found: true,
				Fields: verify.Fields{LatinName: verify.FieldMatch, Nationality: verify.FieldMismatch}},
		},
		{
			name:  "Latin name for a record without one",
			claim: verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, LatinName: "ZHANG WEI"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonLatinNameMismatch}, Status: verify.StatusValid, Found: true, Fields: verify.Fields{LatinName: verify.FieldNotInRecord}},
		},
		{
			name:  "passport with Chinese and Latin names",
			claim: verify.Claim{Kind: verify.KindPassport, Number: "e12345678", Name: "吕小红", LatinName: "LYU XIAOHONG"},
			want:  docWant{Outcome: verify.OutcomePass, Status: verify.StatusValid, Found: true, Fields: verify.Fields{Name: verify.FieldMatch, LatinName: verify.FieldMatch}},
		},
		{
			name:  "malformed passport number",
			claim: verify.Claim{Kind: verify.KindPassport, Number: "12", Name: "吕小红"},
			want:  docWant{Outcome: verify.OutcomeFail, Reasons: []verify.Reason{verify.ReasonNumberInvalid}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.now
			if now.IsZero() {
				now = testNow
			}
			c := newChecker(t, reg, now, tt.policy)
			res, err := c.CheckDocument(t.Context(), tt.claim)
			if err != nil {
				t.Fatalf("CheckDocument: %v", err)
			}
			if diff := cmp.Diff(tt.want, gotDoc(res)); diff != "" {
				t.Errorf("CheckDocument(%v) mismatch (-want +got):\n%s", tt.claim, diff)
			}
			if res.Outcome != verify.OutcomePass && len(res.Reasons) == 0 {
				t.Errorf("outcome %v without a reason", res.Outcome)
			}
		})
	}
}

func TestCheckDocumentStatusFromRegistry(t *testing.T) {
	base := verify.Record{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟",
		ValidFrom: date(2015, 3, 7), ValidUntil: date(2035, 3, 7), Status: verify.StatusValid}
	tests := []struct {
		name   string
		edit   func(*verify.Record)
		want   []verify.Reason
		status verify.Status
	}{
		{"registry says expired before the end date", func(r *verify.Record) { r.Status = verify.StatusExpired }, []verify.Reason{verify.ReasonDocumentExpired}, verify.StatusExpired},
		{"unknown status", func(r *verify.Record) { r.Status = verify.StatusUnknown }, []verify.Reason{verify.ReasonDocumentStatusUnknown}, verify.StatusUnknown},
		{"no end date and not long-term", func(r *verify.Record) { r.ValidUntil = verify.Date{} }, []verify.Reason{verify.ReasonDocumentExpired}, verify.StatusValid},
		{"long-term ignores a past end date", func(r *verify.Record) { r.LongTerm, r.ValidUntil = true, date(2020, 1, 1) }, nil, verify.StatusValid},
		{"revoked and expired", func(r *verify.Record) { r.Status, r.ValidUntil = verify.StatusRevoked, date(2020, 1, 1) },
			[]verify.Reason{verify.ReasonDocumentRevoked, verify.ReasonDocumentExpired}, verify.StatusRevoked},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := base
			tt.edit(&r)
			reg, err := verify.NewMemoryRegistry(r)
			if err != nil {
				t.Fatal(err)
			}
			res, err := newChecker(t, reg, testNow, verify.Policy{}).CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.Reasons); diff != "" {
				t.Errorf("reasons mismatch (-want +got):\n%s", diff)
			}
			if res.Status != tt.status {
				t.Errorf("Status = %v, want %v", res.Status, tt.status)
			}
		})
	}
}

func TestCheckDocumentRegistryFailure(t *testing.T) {
	reg := &countingRegistry{next: loadFixture(t), err: errBackendDown}
	c := newChecker(t, reg, testNow, verify.Policy{})
	res, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if res != nil {
		t.Errorf("CheckDocument returned a result %v with a system failure; a failure is never \"no match\"", res)
	}
	if !errors.Is(err, verify.ErrUnavailable) || !errors.Is(err, errBackendDown) {
		t.Errorf("CheckDocument error = %v, want one matching ErrUnavailable and the backend error", err)
	}
	if errors.Is(err, verify.ErrNotFound) {
		t.Errorf("system failure matches ErrNotFound")
	}

	// A cancelled context is a system failure too.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	c = newChecker(t, loadFixture(t), testNow, verify.Policy{})
	if _, err := c.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"}); !errors.Is(err, context.Canceled) || !errors.Is(err, verify.ErrUnavailable) {
		t.Errorf("CheckDocument with cancelled ctx: error = %v, want context.Canceled wrapped in ErrUnavailable", err)
	}
}

// A host's error that quotes the number it was asked for (here a gateway URL, with the
// number spelled another way and the name beside it) must not carry it out of
// CheckDocument, whatever form the applicant typed it in: no form, no name, in any verb.
func TestRegistryErrorQuotingTheNumberIsMasked(t *testing.T) {
	for _, typed := range []string{"44030519881120045x", "４４０３０５１９８８１１２００４５Ｘ"} {
		reg := &quotingRegistry{}
		c := newChecker(t, reg, testNow, verify.Policy{})
		_, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: typed, Name: "王𠮷"})
		if !errors.Is(err, verify.ErrUnavailable) || !errors.Is(err, errBackendDown) {
			t.Fatalf("error = %v, want one matching ErrUnavailable and the backend error", err)
		}
		for _, n := range []string{numWangJi, "44030519881120045x", typed, "440305-19881120-045X", "王𠮷", "19881120"} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
				if out := fmt.Sprintf(verb, err); strings.Contains(out, n) || strings.Contains(out, fmt.Sprintf("%x", n)) {
					t.Errorf("error under %s %q contains %q", verb, out, n)
				}
			}
		}
	}
}

type quotingRegistry struct{}

func (quotingRegistry) Lookup(_ context.Context, _ verify.CredentialKind, n string) (*verify.Record, error) {
	spelled := n[:6] + "-" + n[6:14] + "-" + n[14:]
	return nil, fmt.Errorf("GET https://gateway.example/lookup?no=%s (asked as %s, %s&name=王𠮷): %w", n, strings.ToLower(n), spelled, errBackendDown)
}

type nilRegistry struct{}

func (nilRegistry) Lookup(context.Context, verify.CredentialKind, string) (*verify.Record, error) {
	return nil, nil
}

func TestCheckDocumentRegistryNilRecord(t *testing.T) {
	c := newChecker(t, nilRegistry{}, testNow, verify.Policy{})
	if _, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"}); !errors.Is(err, verify.ErrUnavailable) {
		t.Errorf("registry returning (nil, nil): error = %v, want ErrUnavailable", err)
	}
}

func TestInvalidNumberSkipsRegistry(t *testing.T) {
	reg := &countingRegistry{next: loadFixture(t)}
	c := newChecker(t, reg, testNow, verify.Policy{})
	for _, cl := range []verify.Claim{
		{Kind: verify.KindIDCard, Number: "110105199003071238", Name: "张伟"}, // check character
		{Kind: verify.KindIDCard, Number: "11010519900307123", Name: "张伟"},  // length
		{Kind: verify.KindIDCard, Number: "", Name: "张伟"},
		{Kind: verify.KindIDCard, Number: "110105209903071239", Name: "张伟"}, // birth in the future
		{Kind: verify.KindIDCard, Number: numSun15, Name: "孙建国"},            // legacy after 2013
		{Kind: verify.KindTaiwanPermit, Number: "??", Name: "张伟"},
	} {
		res, err := c.CheckDocument(t.Context(), cl)
		if err != nil {
			t.Fatalf("CheckDocument(%v): %v", cl, err)
		}
		if res.Outcome != verify.OutcomeFail {
			t.Errorf("CheckDocument(%v) = %v, want fail", cl, res)
		}
	}
	if n := reg.calls.Load(); n != 0 {
		t.Errorf("registry called %d times for invalid numbers, want 0", n)
	}
}

func TestSubjectBinding(t *testing.T) {
	reg := loadFixture(t)
	c := newChecker(t, reg, testNow, verify.Policy{})
	a, _ := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	b, _ := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: "110105 19900307 1239", Name: "张伟"})
	d, _ := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "x"})
	if a.Subject == "" || a.Subject != b.Subject {
		t.Errorf("the same document gave subjects %q and %q", a.Subject, b.Subject)
	}
	if a.Subject == d.Subject {
		t.Errorf("two documents gave the same subject")
	}
	other, err := verify.New(verify.Config{Registry: reg, Now: fixedClock(testNow), SubjectKey: []byte("another key, 32 bytes long......"), Keys: testSealKeys})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := other.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if o.Subject == a.Subject {
		t.Errorf("subjects under different keys are equal")
	}
}

func TestNewConfig(t *testing.T) {
	reg := loadFixture(t)
	tests := []struct {
		name string
		cfg  verify.Config
		want error
	}{
		{"no registry", verify.Config{}, verify.ErrInvalidArgument},
		{"short subject key", verify.Config{Registry: reg, SubjectKey: []byte("short")}, verify.ErrInvalidArgument},
		{"bad policy level", verify.Config{Registry: reg, Policy: verify.Policy{Required: 9}}, verify.ErrInvalidArgument},
		{"bad policy action", verify.Config{Registry: reg, Policy: verify.Policy{AddressMismatch: 7}}, verify.ErrInvalidArgument},
		{"bad lost action", verify.Config{Registry: reg, Policy: verify.Policy{ReportedLost: 7}}, verify.ErrInvalidArgument},
		{"no subject key", verify.Config{Registry: reg, Keys: testSealKeys}, verify.ErrInvalidArgument},
		{"no seal keys", verify.Config{Registry: reg, SubjectKey: testKey}, verify.ErrInvalidArgument},
		{"defaults", verify.Config{Registry: reg, SubjectKey: testKey, Keys: testSealKeys}, nil},
	}
	for _, tt := range tests {
		_, err := verify.New(tt.cfg)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: New error = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestCheckDocumentFieldsNotInRecord(t *testing.T) {
	reg, err := verify.NewMemoryRegistry(
		verify.Record{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", ValidFrom: date(2015, 3, 7), LongTerm: true, Status: verify.StatusValid},
		verify.Record{Kind: verify.KindIDCard, Number: numMueller, LatinName: "MÜLLER<<ANNA", ValidFrom: date(2024, 1, 15), LongTerm: true, Status: verify.StatusValid},
	)
	if err != nil {
		t.Fatal(err)
	}
	c := newChecker(t, reg, testNow, verify.Policy{})
	tests := []struct {
		name  string
		claim verify.Claim
		want  []verify.Reason
	}{
		{"gender, birth date, ethnicity the record lacks are not compared",
			verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", Gender: idcard.Male, BirthDate: date(1990, 3, 7), Ethnicity: "汉", Address: "北京"}, nil},
		{"Latin name the record lacks, Chinese name matches", verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟", LatinName: "ZHANG WEI"}, nil},
		{"Chinese name the record lacks, Latin name matches", verify.Claim{Kind: verify.KindIDCard, Number: numMueller, Name: "安娜", LatinName: "Müller Anna"}, nil},
		{"Chinese name the record lacks, no Latin name", verify.Claim{Kind: verify.KindIDCard, Number: numMueller, Name: "安娜"}, []verify.Reason{verify.ReasonNameMismatch}},
		{"Chinese name the record lacks, Latin name wrong", verify.Claim{Kind: verify.KindIDCard, Number: numMueller, Name: "安娜", LatinName: "MEIER ANNA"},
			[]verify.Reason{verify.ReasonNameMismatch, verify.ReasonLatinNameMismatch}},
	}
	for _, tt := range tests {
		res, err := c.CheckDocument(t.Context(), tt.claim)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, res.Reasons); diff != "" {
			t.Errorf("%s: reasons mismatch (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestNewMemoryRegistryRejectsDuplicates(t *testing.T) {
	r := verify.Record{Kind: verify.KindIDCard, Number: numZhangWei}
	r2 := r
	r2.Number = "110105 19900307 1239" // the same after normalisation
	if _, err := verify.NewMemoryRegistry(r, r2); !errors.Is(err, verify.ErrInvalidArgument) {
		t.Errorf("duplicate records: error = %v, want ErrInvalidArgument", err)
	}
	if _, err := verify.NewMemoryRegistry(r, verify.Record{Kind: verify.KindPassport, Number: numZhangWei}); err != nil {
		t.Errorf("same number, different kind: %v", err)
	}
}
