package verify_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// onePersonRegistry holds one person under four credential kinds: the ID card, the
// household register and the driving licence share the ID number, and the passport's
// record names its holder's ID number.
func onePersonRegistry(t *testing.T) *verify.MemoryRegistry {
	t.Helper()
	base := verify.Record{Number: numZhangWei, Name: "张伟", Status: verify.StatusValid,
		ValidFrom: verify.Date{Year: 2015, Month: 3, Day: 7}, ValidUntil: verify.Date{Year: 2035, Month: 3, Day: 7},
		PhotoRef: "photo/zhang-wei.jpg"}
	var recs []verify.Record
	for _, k := range []verify.CredentialKind{verify.KindIDCard, verify.KindHouseholdRegister, verify.KindDriverLicence} {
		r := base
		r.Kind = k
		recs = append(recs, r)
	}
	p := base
	p.Kind, p.Number, p.LatinName, p.HolderID = verify.KindPassport, "E12345678", "ZHANG WEI", numZhangWei
	q := base
	q.Kind, q.Number, q.LatinName = verify.KindPassport, "E87654321", "ZHANG WEI"
	reg, err := verify.NewMemoryRegistry(append(recs, p, q)...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// TestOnePersonOneSubject: switching the claimed kind no longer makes a new subject, so
// the per-person limits and quiz memory keyed on it cannot be reset that way.
func TestOnePersonOneSubject(t *testing.T) {
	c := newChecker(t, onePersonRegistry(t), testNow, verify.Policy{})
	subjects := map[string]verify.CredentialKind{}
	for _, cl := range []verify.Claim{
		{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"},
		{Kind: verify.KindHouseholdRegister, Number: numZhangWei, Name: "张伟"},
		{Kind: verify.KindDriverLicence, Number: numZhangWei, Name: "张伟"},
		{Kind: verify.KindPassport, Number: "E12345678", LatinName: "ZHANG WEI"},
	} {
		r, err := c.CheckDocument(t.Context(), cl)
		if err != nil || r.Outcome != verify.OutcomePass {
			t.Fatalf("CheckDocument(%v) = %v, %v", cl.Kind, r, err)
		}
		subjects[r.Subject] = cl.Kind
	}
	if len(subjects) != 1 {
		t.Errorf("one person has %d subjects: %v", len(subjects), subjects)
	}
	// A passport whose record names no holder number is a person of its own.
	r, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindPassport, Number: "E87654321", LatinName: "ZHANG WEI"})
	if err != nil {
		t.Fatal(err)
	}
	if _, same := subjects[r.Subject]; same {
		t.Errorf("a passport without a holder number got the ID card's subject")
	}
}

// TestAttackCorrectedClaim: an attacker passes liveness against their own document check
// and photo, then re-checks with the victim's name and number and offers that result:
// it belongs to another check (and another person), so the decision fails.
func TestAttackCorrectedClaim(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{Required: verify.LevelRealPerson})
	own, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numAyguli, Name: "阿依古丽·买买提"})
	if err != nil {
		t.Fatal(err)
	}
	victim, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil || victim.Outcome != verify.OutcomePass {
		t.Fatalf("victim's check = %v, %v", victim, err)
	}
	live := rpFor(own, true, true)
	for name, rp := range map[string]fakeRealPerson{
		"another person's result":                   live,
		"the subject copied, another check":         {victim.Subject, own.CheckID, victim.PhotoRef, victim.CheckedAt, true, true},
		"the right check, matched to another photo": {victim.Subject, victim.CheckID, own.PhotoRef, victim.CheckedAt, true, true},
		"the right check, completed before it":      {victim.Subject, victim.CheckID, victim.PhotoRef, victim.CheckedAt.Add(-time.Second), true, true},
	} {
		d := c.Decide(victim, rp, nil)
		if d.Outcome != verify.OutcomeFail || d.Level != verify.LevelNone || d.Token != "" && d.Passed() {
			t.Errorf("%s: decision %v, want fail", name, d)
		}
		if !d.Has(verify.ReasonEvidenceMismatch) && !d.Has(verify.ReasonSubjectMismatch) {
			t.Errorf("%s: reasons %v, want evidence or subject mismatch", name, d.Reasons)
		}
	}
	if d := c.Decide(victim, rpFor(victim, true, true), nil); !d.Passed() {
		t.Errorf("the victim's own evidence: %v, want pass", d)
	}
}

// TestAttackStaleEvidence: evidence from long ago decides nothing today, and a decision is
// valid only until its oldest evidence stops being fresh.
func TestAttackStaleEvidence(t *testing.T) {
	then := testNow.AddDate(-2, 0, 0)
	old := newChecker(t, loadFixture(t), then, verify.Policy{Required: verify.LevelRealPerson})
	doc, err := old.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil || doc.Outcome != verify.OutcomePass {
		t.Fatalf("check two years ago = %v, %v", doc, err)
	}
	p := verify.Policy{Required: verify.LevelRealPerson}
	if d := p.Decide(doc, rpFor(doc, true, true), nil, testNow); d.Outcome != verify.OutcomeFail || !d.Has(verify.ReasonEvidenceStale) {
		t.Errorf("two-year-old evidence decided %v today, want fail evidence_stale", d)
	}
	// Fresh document, liveness finished 9 minutes after it: valid until the liveness
	// result is 10 minutes old, i.e. 19 minutes after the check.
	rp := rpFor(doc, true, true)
	rp.at = doc.CheckedAt.Add(9 * time.Minute)
	d := p.Decide(doc, rp, nil, doc.CheckedAt.Add(10*time.Minute))
	if !d.Passed() {
		t.Fatalf("fresh evidence: %v", d)
	}
	if want := doc.CheckedAt.Add(19 * time.Minute); !d.ValidUntil.Equal(want) {
		t.Errorf("ValidUntil = %v, want %v (the liveness result's freshness)", d.ValidUntil, want)
	}
	if d := p.Decide(doc, rp, nil, doc.CheckedAt.Add(19*time.Minute)); d.Passed() || !d.Has(verify.ReasonEvidenceStale) {
		t.Errorf("at ValidUntil: %v, want fail evidence_stale", d)
	}
	// The document check alone is stale after its own maximum age.
	if d := (verify.Policy{}).Decide(doc, nil, nil, doc.CheckedAt.Add(verify.DefaultDocumentMaxAge)); d.Passed() {
		t.Errorf("document check at its maximum age: %v, want fail", d)
	}
	// Evidence dated in the future (a server clock far ahead) is refused too.
	future := rpFor(doc, true, true)
	future.at = doc.CheckedAt.Add(5 * time.Minute)
	if d := p.Decide(doc, future, nil, doc.CheckedAt.Add(time.Minute)); d.Passed() {
		t.Errorf("evidence dated 4 minutes ahead: %v, want fail", d)
	}
}

// TestAttackHandBuiltDecision: only a decision sealed by a checker opens; one built by
// hand, sealed under another key, edited, or opened after its validity does not.
func TestAttackHandBuiltDecision(t *testing.T) {
	c := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Decide(doc, nil, nil)
	if !d.Passed() || d.Token == "" {
		t.Fatalf("Decide = %v (token %t), want a sealed pass", d, d.Token != "")
	}
	got, err := c.Decisions().Open(d.Token)
	if err != nil || got.Subject != d.Subject || got.Level != d.Level || !got.ValidUntil.Equal(d.ValidUntil) {
		t.Fatalf("Open(own token) = %v, %v", got, err)
	}

	handBuilt := verify.Decision{Outcome: verify.OutcomePass, Level: verify.LevelHigh, Subject: d.Subject,
		CheckID: d.CheckID, DecidedAt: testNow, ValidUntil: testNow.Add(time.Hour), Token: "forged"}
	if _, err := c.Decisions().Open(handBuilt.Token); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("Open(hand-built token) = %v, want ErrNotAuthentic", err)
	}
	attacker, err := verify.NewDecisionSealer(fixedClock(testNow), store.Key{ID: 1, Secret: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	forged, err := attacker.Seal(handBuilt)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Decisions().Open(forged); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("Open(decision sealed under another key with the same key ID) = %v, want ErrNotAuthentic", err)
	}
	for i := range d.Token {
		b := []byte(d.Token)
		b[i] ^= 0x01
		if _, err := c.Decisions().Open(string(b)); !errors.Is(err, verify.ErrNotAuthentic) {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
	}
	late, _ := verify.NewDecisionSealer(fixedClock(d.ValidUntil), testSealKeys...)
	if _, err := late.Open(d.Token); !errors.Is(err, verify.ErrExpired) {
		t.Errorf("Open at ValidUntil = %v, want ErrExpired", err)
	}
}

// TestSealedDocumentAcrossInstances: a document check made on one instance continues on
// another that shares the keys.
func TestSealedDocumentAcrossInstances(t *testing.T) {
	a := newChecker(t, loadFixture(t), testNow, verify.Policy{})
	b := newChecker(t, loadFixture(t), testNow.Add(time.Minute), verify.Policy{})
	doc, err := a.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numZhangWei, Name: "张伟"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.SealDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.OpenDocument(tok)
	if err != nil || got.CheckID != doc.CheckID || got.Subject != doc.Subject || got.PhotoRef != doc.PhotoRef ||
		!got.CheckedAt.Equal(doc.CheckedAt) || got.Outcome != doc.Outcome {
		t.Fatalf("OpenDocument = %+v, %v", got, err)
	}
	if d := b.Decide(got, rpFor(got, true, true), nil); !d.Passed() {
		t.Errorf("decision on the other instance: %v", d)
	}
	if _, err := b.Decisions().Open(tok); !errors.Is(err, verify.ErrNotAuthentic) {
		t.Errorf("a document token opened as a decision: %v, want ErrNotAuthentic", err)
	}
}

// TestLegacyNumberSameSubject: a first-generation 15-digit number is the same person as
// its 18-digit form.
func TestLegacyNumberSameSubject(t *testing.T) {
	c := newChecker(t, loadFixture(t), time.Date(2012, 6, 1, 12, 0, 0, 0, cst), verify.Policy{})
	a, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numSun15, Name: "孙建国"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindIDCard, Number: numSun18, Name: "孙建国"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Subject != b.Subject {
		t.Errorf("15- and 18-digit forms of one number give two subjects")
	}
}

// TestDecisionIsPerson: a sealed decision names its person to whoever opens it, in any
// spelling of the number, without printing it.
func TestDecisionIsPerson(t *testing.T) {
	c := newChecker(t, onePersonRegistry(t), testNow, verify.Policy{})
	doc, err := c.CheckDocument(t.Context(), verify.Claim{Kind: verify.KindPassport, Number: "E12345678", LatinName: "ZHANG WEI"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.Decide(doc, nil, nil)
	opened, err := c.Decisions().Open(d.Token)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{numZhangWei, "110105 19900307 1239", "１１０１０５１９９００３０７１２３９"} {
		if !opened.IsPerson(n) {
			t.Errorf("IsPerson(%q) = false for the holder", n)
		}
	}
	if opened.IsPerson(numAyguli) || opened.IsPerson("") || (verify.Decision{}).IsPerson(numZhangWei) {
		t.Error("IsPerson true for another person or an empty decision")
	}
	if s := fmt.Sprintf("%v %+v %#v", opened, opened, opened); strings.Contains(s, numZhangWei) {
		t.Errorf("decision prints its person: %s", s)
	}
}
